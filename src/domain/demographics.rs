//! Age and disability, as donors and the IASC guidelines ask them to be reported: the age band
//! a person was in when a workshop started, and the Washington Group Short Set's cut-off.
//!
//! The report counts these in SQL (`services::tallies`); the rules are written here once, and
//! the SQL is checked against them by the API tests.

use entity::participant::{Difficulty, Model as Participant};

use super::FieldError;

/// The answers to the Washington Group Short Set's six questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WashingtonGroup {
    pub seeing: Difficulty,
    pub hearing: Difficulty,
    pub walking: Difficulty,
    pub cognition: Difficulty,
    pub self_care: Difficulty,
    pub communication: Difficulty,
}

/// Where a person falls in the report's disability split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisabilityStatus {
    WithDisability,
    WithoutDisability,
    Unrecorded,
}

impl WashingtonGroup {
    /// The answers in the order of the questions.
    pub fn answers(&self) -> [Difficulty; 6] {
        [
            self.seeing,
            self.hearing,
            self.walking,
            self.cognition,
            self.self_care,
            self.communication,
        ]
    }

    /// The Group's recommended cut-off: at least one domain "a lot of difficulty" or "cannot
    /// do at all". Someone who declined every question is unrecorded.
    pub fn status(&self) -> DisabilityStatus {
        let answers = self.answers();
        if answers
            .iter()
            .any(|a| matches!(a, Difficulty::ALotOfDifficulty | Difficulty::CannotDoAtAll))
        {
            DisabilityStatus::WithDisability
        } else if answers.iter().all(|a| *a == Difficulty::Declined) {
            DisabilityStatus::Unrecorded
        } else {
            DisabilityStatus::WithoutDisability
        }
    }

    /// The answers a participant record holds (stored all six or none).
    pub fn of(p: &Participant) -> Option<Self> {
        Some(Self {
            seeing: p.wg_seeing?,
            hearing: p.wg_hearing?,
            walking: p.wg_walking?,
            cognition: p.wg_cognition?,
            self_care: p.wg_self_care?,
            communication: p.wg_communication?,
        })
    }
}

impl DisabilityStatus {
    /// The report's key.
    pub fn key(self) -> &'static str {
        match self {
            Self::WithDisability => "with_disability",
            Self::WithoutDisability => "without_disability",
            Self::Unrecorded => "unrecorded",
        }
    }
}

/// The report's age bands: key, label, lowest age, highest age (inclusive; the youngest band
/// also takes anyone younger, the oldest has no upper bound).
pub const AGE_BANDS: [(&str, &str, i32, i32); 5] = [
    ("15-24", "Aged 15–24", 0, 24),
    ("25-34", "Aged 25–34", 25, 34),
    ("35-49", "Aged 35–49", 35, 49),
    ("50-64", "Aged 50–64", 50, 64),
    ("65+", "Aged 65 and over", 65, i32::MAX),
];

/// The key of people whose birth year (or disability answers) were not recorded.
pub const UNRECORDED: &str = "unrecorded";

/// The age band of someone born in `birth_year` at a workshop starting in `start_year`
/// (the age they reach that year: only the year of birth is held).
pub fn age_band(birth_year: Option<i32>, start_year: i32) -> &'static str {
    let Some(born) = birth_year else {
        return UNRECORDED;
    };
    let age = start_year - born;
    AGE_BANDS
        .iter()
        .find(|(_, _, low, high)| (*low..=*high).contains(&age))
        .map_or(AGE_BANDS[0].0, |band| band.0)
}

/// The label of an age-band or disability key.
pub fn label(key: &str) -> &'static str {
    if let Some(band) = AGE_BANDS.iter().find(|b| b.0 == key) {
        return band.1;
    }
    match key {
        "with_disability" => "With a disability",
        "without_disability" => "Without a disability",
        _ => "Not recorded",
    }
}

/// The earliest birth year accepted.
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;
/// The youngest age at which a birth year is accepted (the report's first band starts at 15).
pub const YOUNGEST_AGE: i32 = 15;

/// Checks a birth year against `this_year`: participants are at least [`YOUNGEST_AGE`].
pub fn check_birth_year(year: i32, this_year: i32, errors: &mut Vec<FieldError>) {
    let latest = this_year - YOUNGEST_AGE;
    if !(EARLIEST_BIRTH_YEAR..=latest).contains(&year) {
        errors.push(FieldError::new(
            "birth_year",
            format!(
                "must be a year from {EARLIEST_BIRTH_YEAR} to {latest} (participants are at least {YOUNGEST_AGE})"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Difficulty::*;

    fn answers(all: Difficulty) -> WashingtonGroup {
        WashingtonGroup {
            seeing: all,
            hearing: all,
            walking: all,
            cognition: all,
            self_care: all,
            communication: all,
        }
    }

    #[test]
    fn one_domain_with_a_lot_of_difficulty_is_a_disability() {
        let mut wg = answers(NoDifficulty);
        assert_eq!(wg.status(), DisabilityStatus::WithoutDisability);
        wg.walking = SomeDifficulty;
        assert_eq!(wg.status(), DisabilityStatus::WithoutDisability);
        wg.hearing = ALotOfDifficulty;
        assert_eq!(wg.status(), DisabilityStatus::WithDisability);
        let mut wg = answers(Declined);
        wg.cognition = CannotDoAtAll;
        assert_eq!(wg.status(), DisabilityStatus::WithDisability);
    }

    #[test]
    fn declining_every_question_leaves_it_unrecorded() {
        assert_eq!(answers(Declined).status(), DisabilityStatus::Unrecorded);
        let mut wg = answers(Declined);
        wg.seeing = NoDifficulty;
        assert_eq!(wg.status(), DisabilityStatus::WithoutDisability);
    }

    #[test]
    fn the_age_band_is_the_age_reached_in_the_workshop_year() {
        assert_eq!(age_band(None, 2026), "unrecorded");
        assert_eq!(age_band(Some(2002), 2026), "15-24");
        assert_eq!(age_band(Some(2001), 2026), "25-34");
        assert_eq!(age_band(Some(1977), 2026), "35-49");
        assert_eq!(age_band(Some(1976), 2026), "50-64");
        assert_eq!(age_band(Some(1961), 2026), "65+");
        assert_eq!(age_band(Some(1920), 2026), "65+");
        // Younger than the first band (a workshop years before today): the youngest band.
        assert_eq!(age_band(Some(2012), 2026), "15-24");
    }

    #[test]
    fn birth_years_must_make_a_person_of_fifteen_or_more() {
        let mut errors = vec![];
        check_birth_year(2011, 2026, &mut errors);
        check_birth_year(1900, 2026, &mut errors);
        assert!(errors.is_empty());
        check_birth_year(2012, 2026, &mut errors);
        check_birth_year(1899, 2026, &mut errors);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "birth_year");
    }
}
