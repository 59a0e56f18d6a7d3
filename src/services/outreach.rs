//! Outreach records: the meetings certified participants hold with their constituencies, the
//! last step of the cascade. Recording one recounts its workshop's outreach figures
//! (`workshop_outreach_stats`) in the same transaction, so the cascade tree and the summary
//! report read one row per workshop.

use chrono::{NaiveDate, Utc};
use entity::{
    app_user::Role,
    certificate::{self, CertificateStatus},
    outreach, participant,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Page, PageRequest, audit, workshop_queries, workshop_write::Write};
use crate::domain::{
    Error, FieldError, Result,
    access::{Permission, Principal},
    clean_text,
    outreach::{AgeBands, Attendees, check_headcounts, check_held_on, check_topics},
    schedule::local_today,
};

/// A meeting as recorded.
#[derive(Debug, Clone)]
pub struct NewOutreach {
    pub participant_id: i64,
    pub workshop_id: i64,
    pub held_on: NaiveDate,
    pub venue: String,
    pub ward: Option<String>,
    pub topics: Vec<String>,
    pub attendees: Attendees,
    pub age_bands: Option<AgeBands>,
}

/// A stored meeting, read back.
#[derive(Debug, Clone)]
pub struct OutreachView {
    pub record: outreach::Model,
    pub topics: Vec<String>,
    pub attendees: Attendees,
    pub age_bands: Option<AgeBands>,
}

impl From<outreach::Model> for OutreachView {
    fn from(record: outreach::Model) -> Self {
        let bands = [
            record.under_18,
            record.age_18_35,
            record.age_36_59,
            record.age_60_plus,
        ];
        let age_bands = match bands {
            [
                Some(under_18),
                Some(age_18_35),
                Some(age_36_59),
                Some(age_60_plus),
            ] => Some(AgeBands {
                under_18,
                age_18_35,
                age_36_59,
                age_60_plus,
            }),
            _ => None,
        };
        Self {
            topics: serde_json::from_str(&record.topics).unwrap_or_default(),
            attendees: Attendees {
                female: record.female,
                male: record.male,
                other: record.other,
                undisclosed: record.undisclosed,
            },
            age_bands,
            record,
        }
    }
}

/// Whether `who` may record a meeting of `participant_id` for `workshop_id`: an administrator,
/// a trainer of that workshop, or the participant themself.
async fn ensure_may_record(
    db: &impl ConnectionTrait,
    who: &Principal,
    participant_id: i64,
    workshop_id: i64,
) -> Result<()> {
    if who.is_admin() {
        return Ok(());
    }
    let allowed = match who {
        Principal::User {
            role: Role::Trainer,
            id,
            ..
        } => workshop_queries::is_trainer_of(db, workshop_id, *id).await?,
        Principal::User {
            role: Role::Participant,
            participant_id: own,
            ..
        } => *own == Some(participant_id),
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "outreach is recorded by the participant who held the meeting, a trainer of the workshop, or an administrator".into(),
        ))
    }
}

/// Recounts one workshop's outreach figures (the unit of work does it when a meeting is
/// recorded; see [`super::workshop_write::Write::record_outreach`]).
pub use super::tallies::refresh_outreach as recount;

/// Records a meeting. The participant must hold a valid certificate from the workshop, the
/// topics come from its course, the age bands (when given) sum to the attendees, and the
/// meeting was held (not in the future).
pub async fn record(
    db: &DatabaseConnection,
    who: &Principal,
    new: NewOutreach,
) -> Result<OutreachView> {
    let mut errors = Vec::new();
    let venue = clean_text("venue", &new.venue, 200, &mut errors);
    let ward = new
        .ward
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(|w| clean_text("ward", w, 64, &mut errors));
    check_held_on(new.held_on, local_today(), &mut errors);
    check_headcounts(&new.attendees, new.age_bands.as_ref(), &mut errors);
    let Ok(view) = workshop_queries::get(db, new.workshop_id).await else {
        errors.push(FieldError::new(
            "workshop_id",
            format!("workshop {} does not exist", new.workshop_id),
        ));
        return Err(Error::Invalid(errors));
    };
    ensure_may_record(db, who, new.participant_id, new.workshop_id).await?;
    check_topics(&new.topics, &view.course.topic_list(), &mut errors);
    if participant::Entity::find_by_id(new.participant_id)
        .one(db)
        .await?
        .is_none()
    {
        errors.push(FieldError::new(
            "participant_id",
            format!("participant {} does not exist", new.participant_id),
        ));
    } else if certificate::Entity::find()
        .filter(certificate::Column::ParticipantId.eq(new.participant_id))
        .filter(certificate::Column::WorkshopId.eq(new.workshop_id))
        .filter(certificate::Column::Status.eq(CertificateStatus::Valid))
        .one(db)
        .await?
        .is_none()
    {
        errors.push(FieldError::new(
            "participant_id",
            format!(
                "participant {} holds no valid certificate from workshop {}; outreach is recorded \
                 by those certified in the workshop whose course they pass on",
                new.participant_id, new.workshop_id
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let actor = who.actor();
    let bands = new.age_bands;
    let row = outreach::ActiveModel {
        participant_id: Set(new.participant_id),
        workshop_id: Set(new.workshop_id),
        held_on: Set(new.held_on),
        venue: Set(venue),
        ward: Set(ward),
        topics: Set(serde_json::to_string(&new.topics).unwrap_or_else(|_| "[]".into())),
        female: Set(new.attendees.female),
        male: Set(new.attendees.male),
        other: Set(new.attendees.other),
        undisclosed: Set(new.attendees.undisclosed),
        under_18: Set(bands.map(|b| b.under_18)),
        age_18_35: Set(bands.map(|b| b.age_18_35)),
        age_36_59: Set(bands.map(|b| b.age_36_59)),
        age_60_plus: Set(bands.map(|b| b.age_60_plus)),
        people_reached: Set(i32::try_from(new.attendees.total()).unwrap_or(i32::MAX)),
        recorded_by: Set(actor.label.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let mut write = Write::begin(db, &actor).await?;
    let saved = write.record_outreach(row).await?;
    write.audit(
        "outreach",
        saved.id,
        "record",
        None,
        audit::snapshot(&saved),
    );
    write.commit().await?;
    Ok(saved.into())
}

/// Filters of the outreach list.
#[derive(Debug, Clone, Default)]
pub struct OutreachFilter {
    pub workshop_id: Option<i64>,
    pub participant_id: Option<i64>,
    /// Held on or after.
    pub from: Option<NaiveDate>,
    /// Held on or before.
    pub to: Option<NaiveDate>,
}

/// What `who` may list: readers of rosters see every record; a participant sees only their own
/// (asking for someone else's is 403); anyone else may not list outreach.
pub fn visible_to(who: &Principal, mut filter: OutreachFilter) -> Result<Option<OutreachFilter>> {
    if who.may(Permission::ReadParticipants) {
        return Ok(Some(filter));
    }
    match who {
        Principal::User {
            role: Role::Participant,
            participant_id,
            ..
        } => match (participant_id, filter.participant_id) {
            (None, _) => Ok(None),
            (Some(own), Some(asked)) if asked != *own => Err(Error::Forbidden(
                "a participant lists only their own outreach".into(),
            )),
            (Some(own), _) => {
                filter.participant_id = Some(*own);
                Ok(Some(filter))
            }
        },
        _ => Err(Error::Forbidden(
            "this caller may not read outreach records".into(),
        )),
    }
}

/// Meetings, the most recent first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: OutreachFilter,
    page: PageRequest,
) -> Result<Page<OutreachView>> {
    let mut query = outreach::Entity::find();
    if let Some(w) = filter.workshop_id {
        query = query.filter(outreach::Column::WorkshopId.eq(w));
    }
    if let Some(p) = filter.participant_id {
        query = query.filter(outreach::Column::ParticipantId.eq(p));
    }
    if let Some(from) = filter.from {
        query = query.filter(outreach::Column::HeldOn.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(outreach::Column::HeldOn.lte(to));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(outreach::Column::HeldOn)
        .order_by_desc(outreach::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: items.into_iter().map(Into::into).collect(),
        total,
    })
}
