//! Trainers: the cascade rule on who may lead a cascade or community workshop (a ToT
//! certificate of the course that is still valid on the workshop's first day), and the list of
//! trainer accounts with their certificates and the workshops they led.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    app_user::{self, Role},
    certificate::{self, CertificateStatus},
    course,
    workshop::{self, Level},
    workshop_trainer,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Page, PageRequest};
use crate::domain::{
    Result,
    cascade::{HeldCertificate, ProposedTrainer, trainer_refusal},
    certification::{expires_within, is_valid_on, valid_until},
    schedule::local_today,
};

/// A ToT certificate and how long it entitles its holder to train.
#[derive(Debug, Clone)]
pub struct TrainerCertificate {
    pub certificate: certificate::Model,
    /// The last day it is valid for training others; `None`: no expiry.
    pub valid_until: Option<NaiveDate>,
}

impl TrainerCertificate {
    /// Whether it entitles its holder to train on `date` (not revoked, not expired).
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.certificate.status == CertificateStatus::Valid && is_valid_on(self.valid_until, date)
    }
}

/// The ToT certificates held by the given participants, with their validity, by participant.
async fn tot_certificates(
    db: &impl ConnectionTrait,
    participant_ids: &[i64],
    course_id: Option<i64>,
) -> Result<HashMap<i64, Vec<TrainerCertificate>>> {
    let mut query = certificate::Entity::find()
        .filter(certificate::Column::ParticipantId.is_in(participant_ids.iter().copied()))
        .filter(certificate::Column::Level.eq(Level::Tot));
    if let Some(course_id) = course_id {
        query = query.filter(certificate::Column::CourseId.eq(course_id));
    }
    let certificates = query
        .order_by_asc(certificate::Column::EndDate)
        .order_by_asc(certificate::Column::Id)
        .all(db)
        .await?;
    let months: HashMap<i64, Option<i32>> = course::Entity::find()
        .filter(course::Column::Id.is_in(certificates.iter().map(|c| c.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.trainer_certificate_valid_months))
        .collect();
    let mut by_participant: HashMap<i64, Vec<TrainerCertificate>> = HashMap::new();
    for certificate in certificates {
        let valid_until = valid_until(
            certificate.end_date,
            months.get(&certificate.course_id).copied().flatten(),
        );
        by_participant
            .entry(certificate.participant_id)
            .or_default()
            .push(TrainerCertificate {
                certificate,
                valid_until,
            });
    }
    Ok(by_participant)
}

/// The cascade rule for trainers ([`trainer_refusal`]) applied to the given trainer accounts,
/// through their linked participant records, for a workshop of `course` starting on `start`.
/// Returns the conflicts in words, one per trainer.
pub async fn uncertified(
    db: &impl ConnectionTrait,
    course: &course::Model,
    trainer_ids: &[i64],
    start: NaiveDate,
) -> Result<Vec<String>> {
    let users = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(trainer_ids.iter().copied()))
        .order_by_asc(app_user::Column::Id)
        .all(db)
        .await?;
    let participant_ids: Vec<i64> = users.iter().filter_map(|u| u.participant_id).collect();
    let mut certificates = tot_certificates(db, &participant_ids, Some(course.id)).await?;
    Ok(users
        .into_iter()
        .filter_map(|user| {
            let trainer = ProposedTrainer {
                user_id: user.id,
                name: user.name,
                certificates: user.participant_id.map(|p| {
                    certificates
                        .remove(&p)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|c| HeldCertificate {
                            number: c.certificate.number,
                            revoked: c.certificate.status != CertificateStatus::Valid,
                            valid_until: c.valid_until,
                        })
                        .collect()
                }),
            };
            trainer_refusal(&course.code, &trainer, start)
        })
        .collect())
}

/// A trainer account with its ToT certificates and the workshops it led.
#[derive(Debug, Clone)]
pub struct Trainer {
    pub user: app_user::Model,
    pub certificates: Vec<TrainerCertificate>,
    /// Most recent first.
    pub workshops: Vec<workshop::Model>,
}

/// Trainer accounts by name, each with its ToT certificates (with their expiry) and the
/// workshops it is assigned to. With `expiring_within_days`, only trainers holding a certificate
/// that is valid today and runs out within that many days.
pub async fn list(
    db: &impl ConnectionTrait,
    expiring_within_days: Option<u32>,
    page: PageRequest,
) -> Result<Page<Trainer>> {
    let users = app_user::Entity::find()
        .filter(app_user::Column::Role.eq(Role::Trainer))
        .order_by_asc(app_user::Column::Name)
        .order_by_asc(app_user::Column::Id)
        .all(db)
        .await?;
    let participant_ids: Vec<i64> = users.iter().filter_map(|u| u.participant_id).collect();
    let mut certificates = tot_certificates(db, &participant_ids, None).await?;
    let today = local_today();
    let users: Vec<app_user::Model> = match expiring_within_days {
        None => users,
        Some(days) => users
            .into_iter()
            .filter(|u| {
                u.participant_id
                    .and_then(|p| certificates.get(&p))
                    .is_some_and(|held| {
                        held.iter().any(|c| {
                            c.certificate.status == CertificateStatus::Valid
                                && expires_within(c.valid_until, today, days)
                        })
                    })
            })
            .collect(),
    };
    let total = users.len() as u64;
    let users: Vec<app_user::Model> = users
        .into_iter()
        .skip(usize::try_from(page.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit).unwrap_or(usize::MAX))
        .collect();
    let assignments = workshop_trainer::Entity::find()
        .filter(workshop_trainer::Column::UserId.is_in(users.iter().map(|u| u.id)))
        .all(db)
        .await?;
    let workshops: HashMap<i64, workshop::Model> = workshop::Entity::find()
        .filter(workshop::Column::Id.is_in(assignments.iter().map(|a| a.workshop_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    let mut led: HashMap<i64, Vec<workshop::Model>> = HashMap::new();
    for a in assignments {
        if let Some(w) = workshops.get(&a.workshop_id) {
            led.entry(a.user_id).or_default().push(w.clone());
        }
    }
    let items = users
        .into_iter()
        .map(|user| {
            let mut workshops = led.remove(&user.id).unwrap_or_default();
            workshops.sort_by_key(|w| std::cmp::Reverse((w.start_date, w.id)));
            let certificates = user
                .participant_id
                .and_then(|p| certificates.remove(&p))
                .unwrap_or_default();
            Trainer {
                user,
                certificates,
                workshops,
            }
        })
        .collect();
    Ok(Page { items, total })
}
