//! The cascade rule, whole: a cascade workshop follows a completed ToT workshop of the same
//! course, a community workshop a completed cascade one (a ToT workshop has no parent), and every
//! trainer of a cascade or community workshop holds a ToT certificate of the course that is not
//! revoked and still valid on the workshop's first day. The services read the facts; the
//! verdicts are here.

use chrono::NaiveDate;
use entity::workshop::{Level, Status};

use super::{
    certification::is_valid_on,
    workshop::{level_name, parent_level},
};

/// What the rule needs to know of a proposed parent workshop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parent {
    pub id: i64,
    pub level: Level,
    pub course_id: i64,
    pub status: Status,
}

/// Why a workshop may not have the parent it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParentRefusal {
    /// The request is wrong in itself (`parent_workshop_id`): a 422.
    Invalid(String),
    /// The parent exists but does not qualify: a 409.
    Conflict(String),
}

/// The parent part of the cascade rule. `parent_id` is what was asked for and `parent` what it
/// names (`None`: no such workshop).
pub fn check_parent(
    level: Level,
    course_id: i64,
    parent_id: Option<i64>,
    parent: Option<Parent>,
) -> Result<(), ParentRefusal> {
    match (parent_level(level), parent_id) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(ParentRefusal::Invalid(
            "a ToT workshop has no parent workshop".into(),
        )),
        (Some(needed), None) => Err(ParentRefusal::Invalid(format!(
            "a {} workshop needs its parent {} workshop",
            level_name(level),
            level_name(needed)
        ))),
        (Some(needed), Some(pid)) => {
            let Some(parent) = parent.filter(|p| p.id == pid) else {
                return Err(ParentRefusal::Invalid(format!(
                    "workshop {pid} does not exist"
                )));
            };
            if parent.level != needed {
                Err(ParentRefusal::Conflict(format!(
                    "a {} workshop's parent must be a {} workshop; workshop {pid} is a {} workshop",
                    level_name(level),
                    level_name(needed),
                    level_name(parent.level)
                )))
            } else if parent.course_id != course_id {
                Err(ParentRefusal::Conflict(format!(
                    "parent workshop {pid} teaches another course"
                )))
            } else if parent.status != Status::Completed {
                Err(ParentRefusal::Conflict(format!(
                    "parent workshop {pid} has not been completed"
                )))
            } else {
                Ok(())
            }
        }
    }
}

/// A ToT certificate a trainer holds, as the trainer part of the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCertificate {
    pub number: String,
    pub revoked: bool,
    /// The last day it lets its holder train (`None`: no expiry).
    pub valid_until: Option<NaiveDate>,
}

/// A trainer proposed for a cascade or community workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedTrainer {
    pub user_id: i64,
    pub name: String,
    /// `None` when the account is not linked to a participant record (so holds nothing).
    pub certificates: Option<Vec<HeldCertificate>>,
}

/// The trainer part of the cascade rule for one trainer of a workshop of course `course_code`
/// starting on `start`: `None` when they may train it, else the refusal in words, naming the
/// trainer and, for a certificate that merely expired, its last valid day.
pub fn trainer_refusal(
    course_code: &str,
    trainer: &ProposedTrainer,
    start: NaiveDate,
) -> Option<String> {
    let (id, name) = (trainer.user_id, &trainer.name);
    let Some(held) = &trainer.certificates else {
        return Some(format!(
            "trainer {id} ({name}) holds no valid ToT certificate for {course_code} (the account \
             is not linked to a participant record)"
        ));
    };
    if held
        .iter()
        .any(|c| !c.revoked && is_valid_on(c.valid_until, start))
    {
        return None;
    }
    // The most recent one that was not revoked, if any, has merely expired.
    let expired = held
        .iter()
        .filter(|c| !c.revoked)
        .filter_map(|c| c.valid_until.map(|until| (until, c)))
        .max_by_key(|(until, _)| *until);
    Some(match expired {
        Some((until, c)) => format!(
            "trainer {id} ({name})'s ToT certificate for {course_code} ({}) expired: it was valid \
             until {until}, before the workshop starts on {start}",
            c.number
        ),
        None => format!("trainer {id} ({name}) holds no valid ToT certificate for {course_code}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent(level: Level, status: Status) -> Option<Parent> {
        Some(Parent {
            id: 7,
            level,
            course_id: 1,
            status,
        })
    }

    #[test]
    fn a_tot_workshop_has_no_parent_and_the_others_need_one() {
        assert_eq!(check_parent(Level::Tot, 1, None, None), Ok(()));
        assert!(matches!(
            check_parent(Level::Tot, 1, Some(7), parent(Level::Tot, Status::Completed)),
            Err(ParentRefusal::Invalid(m)) if m.contains("no parent")
        ));
        assert!(matches!(
            check_parent(Level::Community, 1, None, None),
            Err(ParentRefusal::Invalid(m)) if m == "a community workshop needs its parent cascade workshop"
        ));
        assert!(matches!(
            check_parent(Level::Cascade, 1, Some(7), None),
            Err(ParentRefusal::Invalid(m)) if m == "workshop 7 does not exist"
        ));
    }

    #[test]
    fn a_parent_must_be_the_level_above_of_the_same_course_and_completed() {
        let ok = check_parent(
            Level::Cascade,
            1,
            Some(7),
            parent(Level::Tot, Status::Completed),
        );
        assert_eq!(ok, Ok(()));
        let wrong_level = check_parent(
            Level::Community,
            1,
            Some(7),
            parent(Level::Tot, Status::Completed),
        );
        assert!(
            matches!(wrong_level, Err(ParentRefusal::Conflict(m)) if m.contains("must be a cascade"))
        );
        let other_course = check_parent(
            Level::Cascade,
            2,
            Some(7),
            parent(Level::Tot, Status::Completed),
        );
        assert!(
            matches!(other_course, Err(ParentRefusal::Conflict(m)) if m.contains("another course"))
        );
        let running = check_parent(
            Level::Cascade,
            1,
            Some(7),
            parent(Level::Tot, Status::InProgress),
        );
        assert!(
            matches!(running, Err(ParentRefusal::Conflict(m)) if m.contains("not been completed"))
        );
    }

    fn trainer(certificates: Option<Vec<HeldCertificate>>) -> ProposedTrainer {
        ProposedTrainer {
            user_id: 3,
            name: "Nomvula Ndlovu".into(),
            certificates,
        }
    }

    fn held(revoked: bool, valid_until: Option<NaiveDate>) -> HeldCertificate {
        HeldCertificate {
            number: "IWSD-CSSD-2026-000001".into(),
            revoked,
            valid_until,
        }
    }

    #[test]
    fn a_trainer_needs_a_certificate_valid_on_the_first_day() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
        assert_eq!(
            trainer_refusal("CSSD", &trainer(Some(vec![held(false, None)])), day(1)),
            None,
            "no expiry"
        );
        assert_eq!(
            trainer_refusal(
                "CSSD",
                &trainer(Some(vec![held(false, Some(day(1)))])),
                day(1)
            ),
            None,
            "valid through its last day"
        );
        let expired = trainer_refusal(
            "CSSD",
            &trainer(Some(vec![held(false, Some(day(1)))])),
            day(2),
        )
        .unwrap();
        assert!(
            expired.contains("expired: it was valid until 2026-06-01"),
            "{expired}"
        );
        let revoked = trainer_refusal("CSSD", &trainer(Some(vec![held(true, None)])), day(1));
        assert_eq!(
            revoked.as_deref(),
            Some("trainer 3 (Nomvula Ndlovu) holds no valid ToT certificate for CSSD")
        );
        let unlinked = trainer_refusal("CSSD", &trainer(None), day(1)).unwrap();
        assert!(unlinked.contains("not linked to a participant record"));
    }
}
