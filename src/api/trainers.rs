//! Trainers: accounts that lead workshops, their ToT certificates and until when those entitle
//! them to train others.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::{Object, OpenApi, param::Query, payload::Json};

use super::{
    Tag,
    certificates::CertificateStatus,
    page,
    workshops::{Level, WorkshopStatus},
};
use crate::{
    auth::CanAdminister,
    domain::schedule::local_today,
    error::ApiError,
    services::trainers::{self as service, Trainer as TrainerView, TrainerCertificate},
    state::AppState,
};

/// A ToT certificate a trainer holds.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TrainerCertificateInfo {
    pub certificate_id: i64,
    pub number: String,
    pub course_id: i64,
    pub course_code: String,
    /// The ToT workshop it was earned in.
    pub workshop_id: i64,
    /// The ToT workshop's last day.
    pub completed_on: NaiveDate,
    /// The last day it entitles its holder to lead cascade and community workshops (the
    /// course's `trainer_certificate_valid_months` after `completed_on`); left out when it never expires.
    pub valid_until: Option<NaiveDate>,
    /// `valid` or `revoked`.
    pub status: CertificateStatus,
    /// Whether it entitles its holder to train today (not revoked, not expired).
    pub valid_today: bool,
}

impl TrainerCertificateInfo {
    fn new(c: TrainerCertificate, today: NaiveDate) -> Self {
        let valid_today = c.is_valid_on(today);
        let m = c.certificate;
        Self {
            certificate_id: m.id,
            number: m.number,
            course_id: m.course_id,
            course_code: m.course_code,
            workshop_id: m.workshop_id,
            completed_on: m.end_date,
            valid_until: c.valid_until,
            status: m.status.into(),
            valid_today,
        }
    }
}

/// A workshop a trainer is assigned to.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LedWorkshop {
    pub workshop_id: i64,
    pub course_id: i64,
    pub level: Level,
    pub venue: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: WorkshopStatus,
}

/// A trainer account.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Trainer {
    /// The user id (as in a workshop's `trainer_ids`).
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// The participant record the account is linked to (through which it holds certificates).
    pub participant_id: Option<i64>,
    /// Its ToT certificates, oldest first.
    pub certificates: Vec<TrainerCertificateInfo>,
    /// The workshops it is assigned to, most recent first.
    pub workshops: Vec<LedWorkshop>,
}

impl Trainer {
    fn new(t: TrainerView, today: NaiveDate) -> Self {
        Self {
            user_id: t.user.id,
            name: t.user.name,
            email: t.user.email,
            participant_id: t.user.participant_id,
            certificates: t
                .certificates
                .into_iter()
                .map(|c| TrainerCertificateInfo::new(c, today))
                .collect(),
            workshops: t
                .workshops
                .into_iter()
                .map(|w| LedWorkshop {
                    workshop_id: w.id,
                    course_id: w.course_id,
                    level: w.level.into(),
                    venue: w.venue,
                    start_date: w.start_date,
                    end_date: w.end_date,
                    status: w.status.into(),
                })
                .collect(),
        }
    }
}

wire_page! {
    /// A page of trainers.
    TrainerPage of Trainer
}

pub struct TrainerApi;

#[OpenApi(prefix_path = "/api/v1/trainers", tag = "Tag::Trainers")]
impl TrainerApi {
    /// List trainers
    ///
    /// Administrators only. Trainer accounts by name, with their ToT certificates (and the last
    /// day each entitles them to train) and the workshops they lead or led. With
    /// `expiring_within_days=N`, only trainers holding a certificate that is valid today and
    /// runs out within N days — the ones to invite to a refresher.
    #[oai(path = "/", method = "get", operation_id = "list_trainers")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        /// Only trainers with a certificate running out within this many days (0–3650).
        #[oai(validator(minimum(value = "0"), maximum(value = "3650")))]
        expiring_within_days: Query<Option<u32>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<TrainerPage>, ApiError> {
        let found =
            service::list(&state.db, expiring_within_days.0, page(limit.0, offset.0)).await?;
        let today = local_today();
        Ok(Json(TrainerPage {
            items: found
                .items
                .into_iter()
                .map(|t| Trainer::new(t, today))
                .collect(),
            total: found.total,
        }))
    }
}
