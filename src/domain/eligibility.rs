//! Who has earned a certificate, and in words a participant understands, why not.
//!
//! Eligible = days attended (present or late; excused does not count) ≥ the course's
//! `min_attendance_days`, and post-test percentage ≥ the course's `pass_mark`.

use entity::attendance::AttendanceStatus;

/// Whether a mark counts as having attended the day.
pub fn counts_as_attended(status: AttendanceStatus) -> bool {
    matches!(status, AttendanceStatus::Present | AttendanceStatus::Late)
}

/// The course's requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirements {
    pub min_attendance_days: i32,
    pub pass_mark: i32,
}

/// A score out of a maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub score: f64,
    pub max_score: f64,
}

impl Score {
    /// The score in percent.
    pub fn percent(self) -> f64 {
        if self.max_score > 0.0 {
            self.score / self.max_score * 100.0
        } else {
            0.0
        }
    }
}

/// The verdict for one participant.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub eligible: bool,
    pub days_attended: i32,
    pub post_test_percent: Option<f64>,
    /// One sentence per unmet condition; empty when eligible.
    pub reasons: Vec<String>,
    /// The unmet conditions themselves (for pages that say them in another language).
    pub unmet: Vec<Unmet>,
}

/// A condition for a certificate that a participant did not meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unmet {
    /// Attended `attended` of the `required` days.
    Attendance { attended: i32, required: i32 },
    /// No post-test score is recorded.
    NoPostTest,
    /// The post-test score (percent) is below the pass mark (percent).
    BelowPassMark { percent: f64, pass_mark: i32 },
}

impl Unmet {
    /// The condition in an English sentence (the API's `reasons`).
    pub fn english(self) -> String {
        match self {
            Unmet::Attendance { attended, required } => {
                format!("attended {attended} of the {required} required days")
            }
            Unmet::NoPostTest => "no post-test recorded".to_owned(),
            Unmet::BelowPassMark { percent, pass_mark } => format!(
                "post-test {} is below the pass mark of {pass_mark}%",
                percent_text(percent)
            ),
        }
    }
}

/// Formats a percentage without noise: 48 → "48%", 47.5 → "47.5%".
pub fn percent_text(p: f64) -> String {
    let rounded = super::figures::percent(p);
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}%")
    } else {
        format!("{rounded:.1}%")
    }
}

/// Decides whether a participant has earned a certificate.
pub fn judge(
    requirements: Requirements,
    marks: &[AttendanceStatus],
    post_test: Option<Score>,
) -> Verdict {
    let days_attended = marks.iter().filter(|s| counts_as_attended(**s)).count() as i32;
    let mut unmet = Vec::new();
    if days_attended < requirements.min_attendance_days {
        unmet.push(Unmet::Attendance {
            attended: days_attended,
            required: requirements.min_attendance_days,
        });
    }
    let post_test_percent = post_test.map(Score::percent);
    match post_test_percent {
        None => unmet.push(Unmet::NoPostTest),
        // A tiny tolerance so that 6/10 against a pass mark of 60 is a pass despite floating point.
        Some(p) if p + 1e-9 < f64::from(requirements.pass_mark) => {
            unmet.push(Unmet::BelowPassMark {
                percent: p,
                pass_mark: requirements.pass_mark,
            })
        }
        Some(_) => {}
    }
    Verdict {
        eligible: unmet.is_empty(),
        days_attended,
        post_test_percent,
        reasons: unmet.iter().map(|u| u.english()).collect(),
        unmet,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttendanceStatus::*;

    const FIVE_DAYS_60: Requirements = Requirements {
        min_attendance_days: 5,
        pass_mark: 60,
    };

    fn post(score: f64) -> Option<Score> {
        Some(Score {
            score,
            max_score: 100.0,
        })
    }

    #[test]
    fn exactly_the_minimum_days_and_exactly_the_pass_mark_is_eligible() {
        let v = judge(FIVE_DAYS_60, &[Present; 5], post(60.0));
        assert!(v.eligible, "{v:?}");
        assert!(v.reasons.is_empty());
    }

    #[test]
    fn late_counts_as_present() {
        let v = judge(
            FIVE_DAYS_60,
            &[Present, Late, Late, Present, Late],
            post(75.0),
        );
        assert!(v.eligible);
        assert_eq!(v.days_attended, 5);
    }

    #[test]
    fn excused_does_not_count_as_attended() {
        let v = judge(
            FIVE_DAYS_60,
            &[Present, Present, Present, Present, Excused],
            post(90.0),
        );
        assert!(!v.eligible);
        assert_eq!(v.reasons, ["attended 4 of the 5 required days"]);
    }

    #[test]
    fn one_point_below_the_pass_mark_fails_with_the_figures() {
        let v = judge(
            FIVE_DAYS_60,
            &[Present; 5],
            Some(Score {
                score: 48.0,
                max_score: 100.0,
            }),
        );
        assert_eq!(v.reasons, ["post-test 48% is below the pass mark of 60%"]);
        let v = judge(
            FIVE_DAYS_60,
            &[Present; 5],
            Some(Score {
                score: 59.5,
                max_score: 100.0,
            }),
        );
        assert_eq!(v.reasons, ["post-test 59.5% is below the pass mark of 60%"]);
    }

    #[test]
    fn a_score_out_of_another_maximum_is_compared_in_percent() {
        assert!(
            judge(
                FIVE_DAYS_60,
                &[Present; 5],
                Some(Score {
                    score: 6.0,
                    max_score: 10.0
                })
            )
            .eligible
        );
        assert!(
            !judge(
                FIVE_DAYS_60,
                &[Present; 5],
                Some(Score {
                    score: 17.0,
                    max_score: 30.0
                })
            )
            .eligible
        );
    }

    #[test]
    fn every_unmet_condition_is_listed() {
        let v = judge(FIVE_DAYS_60, &[Present, Present, Absent], None);
        assert_eq!(
            v.reasons,
            ["attended 2 of the 5 required days", "no post-test recorded"]
        );
        assert_eq!(v.post_test_percent, None);
    }
}
