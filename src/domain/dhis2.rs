//! DHIS2's vocabulary, free of HTTP: its identifiers (UIDs), its ISO periods, and the mapping
//! file (`CSSD_DHIS2_MAPPING`) that names the data elements and category option combos our
//! figures are reported under.

use std::{collections::BTreeMap, fmt};

use chrono::{Days, NaiveDate, Weekday};
use entity::participant::Gender;
use sea_orm::{ActiveEnum, Iterable};
use serde::Deserialize;

use super::{FieldError, demographics};

/// The figures a DHIS2 document carries, as the mapping file's `data_elements` names them.
pub const FIGURES: [&str; 3] = ["enrolled", "certified", "people_reached"];

/// Whether `value` is a DHIS2 UID: 11 characters, a letter then 10 letters or digits (ASCII).
pub fn is_uid(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 11
        && bytes[0].is_ascii_alphabetic()
        && bytes[1..].iter().all(u8::is_ascii_alphanumeric)
}

/// Checks an organisation's DHIS2 organisation unit; blank means none (it clears the unit).
pub fn clean_org_unit(value: Option<&str>) -> Result<Option<String>, Vec<FieldError>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if is_uid(value) {
        Ok(Some(value.to_owned()))
    } else {
        Err(vec![FieldError::new(
            "dhis2_org_unit",
            format!(
                "{value:?} is not a DHIS2 UID: 11 characters, a letter then 10 letters or digits"
            ),
        )])
    }
}

/// A DHIS2 period in ISO form: a week (`2026W49`), month (`202612`), quarter (`2026Q4`) or
/// year (`2026`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// An ISO 8601 week: Monday to Sunday, week 1 holding the year's first Thursday.
    Week {
        year: i32,
        week: u32,
    },
    Month {
        year: i32,
        month: u32,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
    Year(i32),
}

const PERIOD_FORMS: &str = "a week (2026W49), month (202612), quarter (2026Q4) or year (2026)";

impl Period {
    /// Reads a period as DHIS2 writes it; the error names the `period` field.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = text.trim();
        let refuse = |why: &str| FieldError::new("period", format!("{text:?} {why}"));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // ASCII first: the slicing below is by bytes.
        if !text.is_ascii() || text.len() < 4 || !digits(&text[..4]) {
            return Err(refuse(&format!("is not {PERIOD_FORMS}")));
        }
        let year: i32 = text[..4].parse().map_err(|_| refuse("has no year"))?;
        if year < 1900 {
            return Err(refuse("is before 1900"));
        }
        let rest = &text[4..];
        let period = if rest.is_empty() {
            Period::Year(year)
        } else if let Some(week) = rest.strip_prefix('W').filter(|w| digits(w) && w.len() <= 2) {
            let week: u32 = week.parse().map_err(|_| refuse("has no week"))?;
            if NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).is_none() {
                return Err(refuse(&format!(
                    "is not a week: {year} has no ISO week {week}"
                )));
            }
            Period::Week { year, week }
        } else if let Some(quarter) = rest.strip_prefix('Q').filter(|q| q.len() == 1 && digits(q)) {
            let quarter: u32 = quarter.parse().map_err(|_| refuse("has no quarter"))?;
            if !(1..=4).contains(&quarter) {
                return Err(refuse("is not a quarter: quarters are Q1 to Q4"));
            }
            Period::Quarter { year, quarter }
        } else if rest.len() == 2 && digits(rest) {
            let month: u32 = rest.parse().map_err(|_| refuse("has no month"))?;
            if !(1..=12).contains(&month) {
                return Err(refuse("is not a month: months are 01 to 12"));
            }
            Period::Month { year, month }
        } else {
            return Err(refuse(&format!("is not {PERIOD_FORMS}")));
        };
        Ok(period)
    }

    /// The period's first day.
    pub fn first_day(&self) -> NaiveDate {
        let date = match *self {
            Period::Week { year, week } => NaiveDate::from_isoywd_opt(year, week, Weekday::Mon),
            Period::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
            Period::Quarter { year, quarter } => NaiveDate::from_ymd_opt(year, quarter * 3 - 2, 1),
            Period::Year(year) => NaiveDate::from_ymd_opt(year, 1, 1),
        };
        date.expect("a parsed period has a first day")
    }

    /// The period's last day (inclusive).
    pub fn last_day(&self) -> NaiveDate {
        let next = match *self {
            Period::Week { .. } => self.first_day().checked_add_days(Days::new(7)),
            Period::Month { year, month: 12 } | Period::Quarter { year, quarter: 4 } => {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            }
            Period::Month { year, month } => NaiveDate::from_ymd_opt(year, month + 1, 1),
            Period::Quarter { year, quarter } => NaiveDate::from_ymd_opt(year, quarter * 3 + 1, 1),
            Period::Year(year) => NaiveDate::from_ymd_opt(year + 1, 1, 1),
        };
        next.and_then(|d| d.pred_opt())
            .expect("a parsed period has a last day")
    }
}

impl fmt::Display for Period {
    /// The period as DHIS2 writes it (weeks without a leading zero: `2026W9`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Week { year, week } => write!(f, "{year}W{week}"),
            Period::Month { year, month } => write!(f, "{year}{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year}Q{quarter}"),
            Period::Year(year) => write!(f, "{year}"),
        }
    }
}

/// What a mapping file says: which data element each figure goes to, and which category
/// option combo each `<gender>/<age band>` group goes to (else the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    data_elements: BTreeMap<String, String>,
    category_option_combos: BTreeMap<String, String>,
    default_category_option_combo: Option<String>,
}

/// The file as written (`deny_unknown_fields`: a misspelt key is named, not ignored).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    data_elements: BTreeMap<String, String>,
    #[serde(default)]
    category_option_combos: BTreeMap<String, String>,
    #[serde(default)]
    default_category_option_combo: Option<String>,
}

/// A mapping file that cannot be used: the key at fault and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct MappingError {
    /// The offending key, as a path such as `category_option_combos."female/15-24"`.
    pub key: String,
    pub message: String,
}

fn mapping_error(key: impl Into<String>, message: impl Into<String>) -> MappingError {
    MappingError {
        key: key.into(),
        message: message.into(),
    }
}

/// The gender keys of the groups (stored values, and `unrecorded`).
pub fn gender_keys() -> Vec<String> {
    Gender::iter()
        .map(|g| g.to_value())
        .chain(std::iter::once(demographics::UNRECORDED.to_owned()))
        .collect()
}

/// The age-band keys of the groups (`15-24` …, and `unrecorded`).
pub fn age_band_keys() -> Vec<&'static str> {
    demographics::AGE_BANDS
        .iter()
        .map(|band| band.0)
        .chain(std::iter::once(demographics::UNRECORDED))
        .collect()
}

impl Mapping {
    /// Reads and checks a mapping file's JSON: every key known, every value a UID.
    pub fn from_json(text: &str) -> Result<Self, MappingError> {
        let file: MappingFile = serde_json::from_str(text)
            .map_err(|e| mapping_error("(file)", format!("not a mapping file: {e}")))?;
        let uid = |key: String, value: &str| {
            if is_uid(value) {
                Ok(())
            } else {
                Err(mapping_error(
                    key,
                    format!(
                        "{value:?} is not a DHIS2 UID (11 characters, a letter then 10 letters or digits)"
                    ),
                ))
            }
        };
        if file.data_elements.is_empty() {
            return Err(mapping_error(
                "data_elements",
                format!(
                    "names no data element; give one or more of {}",
                    FIGURES.join(", ")
                ),
            ));
        }
        for (figure, value) in &file.data_elements {
            if !FIGURES.contains(&figure.as_str()) {
                return Err(mapping_error(
                    format!("data_elements.{figure}"),
                    format!("is not a figure; the figures are {}", FIGURES.join(", ")),
                ));
            }
            uid(format!("data_elements.{figure}"), value)?;
        }
        let (genders, bands) = (gender_keys(), age_band_keys());
        for (group, value) in &file.category_option_combos {
            let key = format!("category_option_combos.{group:?}");
            let known = group.split_once('/').is_some_and(|(gender, band)| {
                genders.iter().any(|g| g == gender) && bands.contains(&band)
            });
            if !known {
                return Err(mapping_error(
                    key,
                    format!(
                        "is not a group: keys are <gender>/<age band>, gender one of {}, age band one of {}",
                        genders.join(", "),
                        bands.join(", ")
                    ),
                ));
            }
            uid(key, value)?;
        }
        if let Some(default) = &file.default_category_option_combo {
            uid("default_category_option_combo".into(), default)?;
        }
        Ok(Mapping {
            data_elements: file.data_elements,
            category_option_combos: file.category_option_combos,
            default_category_option_combo: file.default_category_option_combo,
        })
    }

    /// The data element of a figure (`enrolled`, `certified`, `people_reached`), if mapped.
    pub fn data_element(&self, figure: &str) -> Option<&str> {
        self.data_elements.get(figure).map(String::as_str)
    }

    /// The category option combo of a `<gender>/<age band>` group: its own, else the default.
    pub fn category_option_combo(&self, group: &str) -> Option<&str> {
        self.category_option_combos
            .get(group)
            .or(self.default_category_option_combo.as_ref())
            .map(String::as_str)
    }
}

/// The group key of a gender and age band (`female/15-24`).
pub fn group_key(gender: &str, age_band: &str) -> String {
    format!("{gender}/{age_band}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn range(text: &str) -> (NaiveDate, NaiveDate) {
        let period = Period::parse(text).unwrap();
        (period.first_day(), period.last_day())
    }

    #[test]
    fn uids_are_a_letter_then_ten_letters_or_digits() {
        assert!(is_uid("ImspTQPwCqd"));
        assert!(is_uid("a0000000000"));
        assert!(!is_uid("0mspTQPwCqd"));
        assert!(!is_uid("ImspTQPwCq"));
        assert!(!is_uid("ImspTQPwCqdX"));
        assert!(!is_uid("Imsp-QPwCqd"));
        assert!(!is_uid("ImspTQPwCqé"));
        assert_eq!(clean_org_unit(Some("  ")), Ok(None));
        assert_eq!(
            clean_org_unit(Some(" ImspTQPwCqd ")),
            Ok(Some("ImspTQPwCqd".into()))
        );
        assert_eq!(
            clean_org_unit(Some("harare")).unwrap_err()[0].field,
            "dhis2_org_unit"
        );
    }

    #[test]
    fn months_quarters_and_years_cover_their_days() {
        assert_eq!(range("202612"), (day(2026, 12, 1), day(2026, 12, 31)));
        assert_eq!(range("202402"), (day(2024, 2, 1), day(2024, 2, 29)));
        assert_eq!(range("2026Q1"), (day(2026, 1, 1), day(2026, 3, 31)));
        assert_eq!(range("2026Q4"), (day(2026, 10, 1), day(2026, 12, 31)));
        assert_eq!(range("2026"), (day(2026, 1, 1), day(2026, 12, 31)));
    }

    #[test]
    fn iso_weeks_run_monday_to_sunday_across_year_boundaries() {
        assert_eq!(range("2026W49"), (day(2026, 11, 30), day(2026, 12, 6)));
        // 2026 starts on a Thursday: its week 1 begins on 29 December 2025.
        assert_eq!(range("2026W1"), (day(2025, 12, 29), day(2026, 1, 4)));
        assert_eq!(range("2026W01"), range("2026W1"));
        // ... and it has 53 weeks, the last ending in 2027.
        assert_eq!(range("2026W53"), (day(2026, 12, 28), day(2027, 1, 3)));
        // 2025 has 52: its 53rd week does not exist.
        assert!(Period::parse("2025W53").is_err());
        // 2021's week 1 begins on 4 January (1–3 January are in 2020W53).
        assert_eq!(range("2021W1"), (day(2021, 1, 4), day(2021, 1, 10)));
        assert_eq!(range("2020W53"), (day(2020, 12, 28), day(2021, 1, 3)));
    }

    #[test]
    fn periods_are_written_as_dhis2_writes_them() {
        for text in ["2026W49", "2026W9", "202612", "202601", "2026Q4", "2026"] {
            assert_eq!(Period::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Period::parse("2026W09").unwrap().to_string(), "2026W9");
    }

    #[test]
    fn malformed_periods_are_refused_naming_the_field() {
        for text in [
            "",
            "26",
            "2026-12",
            "202613",
            "202600",
            "2026Q5",
            "2026Q0",
            "2026W0",
            "2026W54",
            "2026W123",
            "2026S1",
            "1899",
            "2026 Q4",
            "２０２６",
        ] {
            let err = Period::parse(text).unwrap_err();
            assert_eq!(err.field, "period", "{text:?}");
        }
    }

    const GOOD: &str = r#"{
        "data_elements": {"enrolled": "fbfJHSPpUQD", "certified": "cYeuwXTCPkU"},
        "category_option_combos": {"female/15-24": "Prlt0C1RF0s"},
        "default_category_option_combo": "HllvX50cXC0"
    }"#;

    #[test]
    fn a_mapping_falls_back_to_the_default_combo() {
        let mapping = Mapping::from_json(GOOD).unwrap();
        assert_eq!(mapping.data_element("enrolled"), Some("fbfJHSPpUQD"));
        assert_eq!(mapping.data_element("people_reached"), None);
        assert_eq!(
            mapping.category_option_combo("female/15-24"),
            Some("Prlt0C1RF0s")
        );
        assert_eq!(
            mapping.category_option_combo("male/65+"),
            Some("HllvX50cXC0")
        );
    }

    #[test]
    fn the_documented_example_mapping_is_a_valid_one() {
        let example = include_str!("../../docs/dhis2-mapping.example.json");
        let mapping = Mapping::from_json(example).unwrap();
        for figure in FIGURES {
            assert!(mapping.data_element(figure).is_some(), "{figure}");
        }
    }

    #[test]
    fn a_bad_mapping_names_the_key_at_fault() {
        let key = |text: &str| Mapping::from_json(text).unwrap_err().key;
        assert_eq!(
            key(&GOOD.replace("\"certified\"", "\"trained\"")),
            "data_elements.trained"
        );
        assert_eq!(
            key(&GOOD.replace("cYeuwXTCPkU", "cYeu")),
            "data_elements.certified"
        );
        assert_eq!(
            key(&GOOD.replace("female/15-24", "female/15-25")),
            "category_option_combos.\"female/15-25\""
        );
        assert_eq!(
            key(&GOOD.replace("female/15-24", "woman/15-24")),
            "category_option_combos.\"woman/15-24\""
        );
        assert_eq!(
            key(&GOOD.replace("HllvX50cXC0", "1llvX50cXC0")),
            "default_category_option_combo"
        );
        let unknown = Mapping::from_json(&GOOD.replace("\"default_category", "\"defualt_category"))
            .unwrap_err();
        assert!(
            unknown.message.contains("defualt_category_option_combo"),
            "{unknown}"
        );
        assert_eq!(key(r#"{"data_elements": {}}"#), "data_elements");
    }
}
