//! Outreach: a certified participant's meeting with their constituency. Headcounts only, no
//! names. The rules: the meeting happened (not in the future, and within the dates the API
//! takes), it covered topics of the course, and when the age bands are given they add up to
//! the same people as the attendees.

use chrono::NaiveDate;

use super::FieldError;

/// The earliest and latest dates the API accepts.
pub const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
pub const LATEST: NaiveDate = NaiveDate::from_ymd_opt(2100, 12, 31).expect("a date");

/// The people at a meeting, by gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attendees {
    pub female: i32,
    pub male: i32,
    pub other: i32,
    pub undisclosed: i32,
}

impl Attendees {
    /// Everyone at the meeting.
    pub fn total(&self) -> i64 {
        [self.female, self.male, self.other, self.undisclosed]
            .iter()
            .map(|n| i64::from(*n))
            .sum()
    }
}

/// The people at a meeting, by age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AgeBands {
    pub under_18: i32,
    pub age_18_35: i32,
    pub age_36_59: i32,
    pub age_60_plus: i32,
}

impl AgeBands {
    /// Everyone counted in a band.
    pub fn total(&self) -> i64 {
        [
            self.under_18,
            self.age_18_35,
            self.age_36_59,
            self.age_60_plus,
        ]
        .iter()
        .map(|n| i64::from(*n))
        .sum()
    }
}

/// `held_on` lies within 2000..=2100 and not after `today`.
pub fn check_held_on(held_on: NaiveDate, today: NaiveDate, errors: &mut Vec<FieldError>) {
    if !(EARLIEST..=LATEST).contains(&held_on) {
        errors.push(FieldError::new(
            "held_on",
            format!("must lie between {EARLIEST} and {LATEST}"),
        ));
    } else if held_on > today {
        errors.push(FieldError::new(
            "held_on",
            format!("{held_on} is in the future; record a meeting once it has been held"),
        ));
    }
}

/// At least one topic, each a topic of the course, none twice.
pub fn check_topics(topics: &[String], course_topics: &[String], errors: &mut Vec<FieldError>) {
    if topics.is_empty() {
        errors.push(FieldError::new(
            "topics",
            "name at least one topic of the course that the meeting covered",
        ));
    }
    for (i, topic) in topics.iter().enumerate() {
        let field = format!("topics[{i}]");
        if !course_topics.contains(topic) {
            errors.push(FieldError::new(
                field,
                format!(
                    "{topic:?} is not a topic of the workshop's course (its topics: {})",
                    course_topics.join("; ")
                ),
            ));
        } else if topics[..i].contains(topic) {
            errors.push(FieldError::new(field, "is listed twice"));
        }
    }
}

/// The most people one outreach meeting may count: a council's largest public meeting is in the
/// low thousands; a headcount beyond this is a typing slip (or an attempt to inflate a report).
pub const MAX_ATTENDEES: i64 = 10_000;

/// Headcounts are not negative, someone came and no more than [`MAX_ATTENDEES`]; age bands,
/// when given, sum to the attendees.
pub fn check_headcounts(
    attendees: &Attendees,
    age_bands: Option<&AgeBands>,
    errors: &mut Vec<FieldError>,
) {
    let negative = [
        ("attendees.female", attendees.female),
        ("attendees.male", attendees.male),
        ("attendees.other", attendees.other),
        ("attendees.undisclosed", attendees.undisclosed),
    ]
    .into_iter()
    .chain(age_bands.into_iter().flat_map(|b| {
        [
            ("age_bands.under_18", b.under_18),
            ("age_bands.age_18_35", b.age_18_35),
            ("age_bands.age_36_59", b.age_36_59),
            ("age_bands.age_60_plus", b.age_60_plus),
        ]
    }))
    .filter(|(_, n)| *n < 0)
    .map(|(field, _)| FieldError::new(field, "must not be negative"))
    .collect::<Vec<_>>();
    if !negative.is_empty() {
        errors.extend(negative);
        return;
    }
    if attendees.total() == 0 {
        errors.push(FieldError::new(
            "attendees",
            "a meeting needs at least one attendee",
        ));
    } else if attendees.total() > MAX_ATTENDEES {
        errors.push(FieldError::new(
            "attendees",
            format!(
                "{} people at one meeting is more than the {MAX_ATTENDEES} a meeting may count; \
                 record each meeting on its own",
                attendees.total()
            ),
        ));
    }
    if let Some(bands) = age_bands
        && bands.total() != attendees.total()
    {
        errors.push(FieldError::new(
            "age_bands",
            format!(
                "the age bands add up to {} but the attendees to {}; they count the same people",
                bands.total(),
                attendees.total()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_meeting_today_or_earlier_is_accepted() {
        let mut errors = vec![];
        check_held_on(date("2026-11-30"), date("2026-11-30"), &mut errors);
        check_held_on(date("2001-01-01"), date("2026-11-30"), &mut errors);
        assert!(errors.is_empty());
    }

    #[test]
    fn a_meeting_in_the_future_is_refused() {
        let mut errors = vec![];
        check_held_on(date("2026-12-01"), date("2026-11-30"), &mut errors);
        assert_eq!(fields(&errors), ["held_on"]);
        assert!(errors[0].message.contains("future"));
    }

    #[test]
    fn a_meeting_outside_2000_to_2100_is_refused() {
        let mut errors = vec![];
        check_held_on(date("1999-12-31"), date("2026-11-30"), &mut errors);
        check_held_on(date("2101-01-01"), date("2200-01-01"), &mut errors);
        assert_eq!(fields(&errors), ["held_on", "held_on"]);
        assert!(errors[0].message.contains("2000-01-01"));
    }

    #[test]
    fn topics_come_from_the_course_once_each() {
        let course: Vec<String> = vec!["Roles".into(), "Trust".into()];
        let mut errors = vec![];
        check_topics(&["Trust".into()], &course, &mut errors);
        assert!(errors.is_empty());
        check_topics(
            &["Trust".into(), "Cooking".into(), "Trust".into()],
            &course,
            &mut errors,
        );
        assert_eq!(fields(&errors), ["topics[1]", "topics[2]"]);
        check_topics(&[], &course, &mut errors);
        assert_eq!(errors.last().unwrap().field, "topics");
    }

    fn people(female: i32, male: i32) -> Attendees {
        Attendees {
            female,
            male,
            ..Default::default()
        }
    }

    #[test]
    fn a_meeting_counts_at_most_ten_thousand_people() {
        let mut errors = vec![];
        check_headcounts(&people(5_000, 5_000), None, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        check_headcounts(&people(200_000, 200_000), None, &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "attendees");
    }

    #[test]
    fn age_bands_that_sum_to_the_attendees_are_accepted() {
        let mut errors = vec![];
        let bands = AgeBands {
            under_18: 2,
            age_18_35: 10,
            age_36_59: 8,
            age_60_plus: 5,
        };
        check_headcounts(&people(15, 10), Some(&bands), &mut errors);
        check_headcounts(&people(1, 0), None, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn age_bands_that_do_not_sum_to_the_attendees_are_refused() {
        let mut errors = vec![];
        let bands = AgeBands {
            age_18_35: 24,
            ..Default::default()
        };
        check_headcounts(&people(15, 10), Some(&bands), &mut errors);
        assert_eq!(fields(&errors), ["age_bands"]);
        assert!(errors[0].message.contains("24") && errors[0].message.contains("25"));
    }

    #[test]
    fn a_meeting_without_attendees_or_with_negative_counts_is_refused() {
        let mut errors = vec![];
        check_headcounts(&people(0, 0), None, &mut errors);
        assert_eq!(fields(&errors), ["attendees"]);
        let mut errors = vec![];
        check_headcounts(&people(-1, 3), None, &mut errors);
        assert_eq!(fields(&errors), ["attendees.female"]);
    }
}
