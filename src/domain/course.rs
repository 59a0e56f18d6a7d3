//! What makes a course valid.

use super::{FieldError, clean_text};

/// The default length of an IWSD course, in days.
pub const DEFAULT_DURATION_DAYS: i32 = 5;
/// The default pass mark for the post-test, in percent.
pub const DEFAULT_PASS_MARK: i32 = 60;
/// The longest course the schedule supports.
pub const MAX_DURATION_DAYS: i32 = 10;

/// A course as it will be stored, after its rules have been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub code: String,
    pub title: String,
    pub description: String,
    pub duration_days: i32,
    pub topics: Vec<String>,
    pub pass_mark: i32,
    pub min_attendance_days: i32,
    /// Months a ToT certificate of the course entitles its holder to train others; `None`: for good.
    pub trainer_certificate_valid_months: Option<i32>,
}

/// Values proposed for a course: every field optional, as in a PATCH.
#[derive(Debug, Clone, Default)]
pub struct CourseChanges {
    pub code: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub duration_days: Option<i32>,
    pub topics: Option<Vec<String>>,
    pub pass_mark: Option<i32>,
    pub min_attendance_days: Option<i32>,
    /// `Some(None)` clears it (no expiry).
    pub trainer_certificate_valid_months: Option<Option<i32>>,
}

impl CourseChanges {
    /// Checks the changes applied to `current` (or to a new course when `None`) and returns the
    /// resulting course, or every rule it breaks.
    ///
    /// Codes are upper-cased (they appear in certificate numbers); text is trimmed;
    /// `min_attendance_days` defaults to the whole course and may not exceed it.
    pub fn apply_to(self, current: Option<&Course>) -> Result<Course, Vec<FieldError>> {
        let mut errors = Vec::new();
        let code = match (self.code, current) {
            (Some(code), _) => {
                let code = clean_text("code", &code, 16, &mut errors).to_uppercase();
                let well_formed = code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if !code.is_empty() && !well_formed {
                    errors.push(FieldError::new(
                        "code",
                        "may hold only letters A–Z, digits, '-' and '_'",
                    ));
                }
                code
            }
            (None, Some(c)) => c.code.clone(),
            (None, None) => {
                errors.push(FieldError::new("code", "is required"));
                String::new()
            }
        };
        let title = match (self.title, current) {
            (Some(title), _) => clean_text("title", &title, 200, &mut errors),
            (None, Some(c)) => c.title.clone(),
            (None, None) => {
                errors.push(FieldError::new("title", "is required"));
                String::new()
            }
        };
        let description = match (self.description, current) {
            (Some(d), _) => d.trim().to_owned(),
            (None, Some(c)) => c.description.clone(),
            (None, None) => String::new(),
        };
        let duration_days = self
            .duration_days
            .or(current.map(|c| c.duration_days))
            .unwrap_or(DEFAULT_DURATION_DAYS);
        if !(1..=MAX_DURATION_DAYS).contains(&duration_days) {
            errors.push(FieldError::new(
                "duration_days",
                format!("must be between 1 and {MAX_DURATION_DAYS}"),
            ));
        }
        let topics = match (self.topics, current) {
            (Some(topics), _) => topics
                .iter()
                .enumerate()
                .map(|(i, t)| clean_text(&format!("topics[{i}]"), t, 200, &mut errors))
                .collect(),
            (None, Some(c)) => c.topics.clone(),
            (None, None) => Vec::new(),
        };
        let pass_mark = self
            .pass_mark
            .or(current.map(|c| c.pass_mark))
            .unwrap_or(DEFAULT_PASS_MARK);
        if !(0..=100).contains(&pass_mark) {
            errors.push(FieldError::new(
                "pass_mark",
                "must be a percentage between 0 and 100",
            ));
        }
        // A new duration without a new minimum keeps "attend every day" meaning every day.
        let min_attendance_days = match (self.min_attendance_days, current) {
            (Some(m), _) => m,
            (None, Some(c)) if c.min_attendance_days == c.duration_days => duration_days,
            (None, Some(c)) => c.min_attendance_days,
            (None, None) => duration_days,
        };
        if min_attendance_days < 1 || min_attendance_days > duration_days {
            errors.push(FieldError::new(
                "min_attendance_days",
                format!("must be between 1 and the course's {duration_days} days"),
            ));
        }
        let trainer_certificate_valid_months =
            match (self.trainer_certificate_valid_months, current) {
                (Some(months), _) => months,
                (None, Some(c)) => c.trainer_certificate_valid_months,
                (None, None) => None,
            };
        if let Some(months) = trainer_certificate_valid_months
            && !(1..=super::certification::MAX_VALID_MONTHS).contains(&months)
        {
            errors.push(FieldError::new(
                "trainer_certificate_valid_months",
                format!(
                    "must be between 1 and {} months, or null for no expiry",
                    super::certification::MAX_VALID_MONTHS
                ),
            ));
        }
        if errors.is_empty() {
            Ok(Course {
                code,
                title,
                description,
                duration_days,
                topics,
                pass_mark,
                min_attendance_days,
                trainer_certificate_valid_months,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_course(changes: CourseChanges) -> Result<Course, Vec<FieldError>> {
        changes.apply_to(None)
    }

    fn minimal() -> CourseChanges {
        CourseChanges {
            code: Some(" cc ".into()),
            title: Some("Customer Care".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_course_defaults_to_five_days_all_attended_and_a_pass_mark_of_60() {
        let course = new_course(minimal()).unwrap();
        assert_eq!(course.code, "CC");
        assert_eq!(course.duration_days, 5);
        assert_eq!(course.min_attendance_days, 5);
        assert_eq!(course.pass_mark, 60);
    }

    #[test]
    fn trainer_certificates_expire_after_1_to_600_months_or_never() {
        assert_eq!(
            new_course(minimal())
                .unwrap()
                .trainer_certificate_valid_months,
            None
        );
        let two_years = new_course(CourseChanges {
            trainer_certificate_valid_months: Some(Some(24)),
            ..minimal()
        })
        .unwrap();
        assert_eq!(two_years.trainer_certificate_valid_months, Some(24));
        for months in [0, 601, -3] {
            let err = new_course(CourseChanges {
                trainer_certificate_valid_months: Some(Some(months)),
                ..minimal()
            })
            .unwrap_err();
            assert_eq!(err[0].field, "trainer_certificate_valid_months");
        }
        let kept = CourseChanges::default().apply_to(Some(&two_years)).unwrap();
        assert_eq!(kept.trainer_certificate_valid_months, Some(24));
        let cleared = CourseChanges {
            trainer_certificate_valid_months: Some(None),
            ..Default::default()
        }
        .apply_to(Some(&two_years))
        .unwrap();
        assert_eq!(cleared.trainer_certificate_valid_months, None);
    }

    #[test]
    fn min_attendance_may_equal_but_not_exceed_the_duration() {
        let ok = new_course(CourseChanges {
            min_attendance_days: Some(5),
            ..minimal()
        });
        assert!(ok.is_ok());
        let err = new_course(CourseChanges {
            min_attendance_days: Some(6),
            ..minimal()
        })
        .unwrap_err();
        assert_eq!(err[0].field, "min_attendance_days");
    }

    #[test]
    fn pass_mark_outside_0_to_100_is_refused() {
        for bad in [-1, 101, 150] {
            let err = new_course(CourseChanges {
                pass_mark: Some(bad),
                ..minimal()
            })
            .unwrap_err();
            assert_eq!(err[0].field, "pass_mark");
        }
        assert!(
            new_course(CourseChanges {
                pass_mark: Some(100),
                ..minimal()
            })
            .is_ok()
        );
        assert!(
            new_course(CourseChanges {
                pass_mark: Some(0),
                ..minimal()
            })
            .is_ok()
        );
    }

    #[test]
    fn blank_topics_are_named_by_position() {
        let topics = Some(vec!["Roles".into(), "  ".into()]);
        let err = new_course(CourseChanges {
            topics,
            ..minimal()
        })
        .unwrap_err();
        assert_eq!(err[0].field, "topics[1]");
    }

    #[test]
    fn codes_with_spaces_or_symbols_are_refused() {
        let err = new_course(CourseChanges {
            code: Some("C C!".into()),
            ..minimal()
        })
        .unwrap_err();
        assert_eq!(err[0].field, "code");
    }

    #[test]
    fn shortening_a_course_keeps_full_attendance_required() {
        let current = new_course(minimal()).unwrap();
        let shorter = CourseChanges {
            duration_days: Some(3),
            ..Default::default()
        }
        .apply_to(Some(&current))
        .unwrap();
        assert_eq!(shorter.min_attendance_days, 3);
    }

    #[test]
    fn a_patch_that_breaks_the_minimum_is_refused() {
        let current = new_course(CourseChanges {
            min_attendance_days: Some(4),
            ..minimal()
        })
        .unwrap();
        let err = CourseChanges {
            duration_days: Some(3),
            ..Default::default()
        }
        .apply_to(Some(&current))
        .unwrap_err();
        assert_eq!(err[0].field, "min_attendance_days");
    }
}
