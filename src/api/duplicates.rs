//! Duplicate participants: groups of records that are likely one person, and merging two.

use poem::web::Data;
use poem_openapi::{
    Enum, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{JsonBody, Tag, page, participants::Participant};
use crate::{
    auth::CanAdminister, domain::duplicates::Reason as DomainReason, error::ApiError,
    services::duplicates as service, state::AppState,
};

/// Why records look like one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// The same national ID number.
    NationalId,
    /// The same email address.
    Email,
    /// The same phone number, however it was written (`+263 77…` and `077…` alike).
    Phone,
    /// The same name (ignoring case, spacing and punctuation) in the same organisation.
    NameAndOrganisation,
}

impl From<DomainReason> for DuplicateReason {
    fn from(r: DomainReason) -> Self {
        match r {
            DomainReason::NationalId => Self::NationalId,
            DomainReason::Email => Self::Email,
            DomainReason::Phone => Self::Phone,
            DomainReason::NameAndOrganisation => Self::NameAndOrganisation,
        }
    }
}

/// Records that share one value.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DuplicateLink {
    pub reason: DuplicateReason,
    /// The value they share, as compared (a phone number in digits, a name in lower case
    /// followed by `@ <organisation id>`).
    pub value: String,
    pub participant_ids: Vec<i64>,
}

/// Records that are likely one person.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DuplicateGroup {
    /// The records, lowest id first.
    pub participants: Vec<Participant>,
    /// What links them: every value two or more of them share.
    pub reasons: Vec<DuplicateLink>,
}

/// A page of duplicate groups.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DuplicateGroupPage {
    pub items: Vec<DuplicateGroup>,
    /// How many groups there are in all.
    pub total: u64,
}

/// Which record to keep.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MergeParticipant {
    /// The participant that stays and receives everything of the one merged.
    pub into_id: i64,
}

/// How many records of one kind moved.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MovedRecords {
    /// `enrolment`, `certificate`, `attendance` (marks) or `assessment`.
    pub kind: String,
    pub count: u64,
}

/// What a merge did.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MergeReport {
    /// The record kept, with details it lacked taken from the one removed.
    pub participant: Participant,
    /// The record removed.
    pub removed_participant_id: i64,
    /// What moved to the record kept.
    pub moved: Vec<MovedRecords>,
    /// Withdrawn enrolments of the removed record in workshops where the kept one holds a
    /// place; deleted, since one person holds one place per workshop.
    pub dropped_enrolment_ids: Vec<i64>,
}

pub struct DuplicateApi;

#[OpenApi(prefix_path = "/api/v1/participants", tag = "Tag::Participants")]
impl DuplicateApi {
    /// List likely duplicate participants
    ///
    /// Administrators only. Groups of records sharing a national ID number, an email address,
    /// a phone number (however written), or the same name in the same organisation, with the
    /// reasons; records linked through one another form one group.
    #[oai(
        path = "/duplicates",
        method = "get",
        operation_id = "list_duplicate_participants"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        /// How many groups to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many groups to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<DuplicateGroupPage>, ApiError> {
        let found = service::list(&state.db, page(limit.0, offset.0)).await?;
        Ok(Json(DuplicateGroupPage {
            items: found
                .items
                .into_iter()
                .map(|g| DuplicateGroup {
                    participants: g.participants.into_iter().map(Into::into).collect(),
                    reasons: g
                        .group
                        .links
                        .into_iter()
                        .map(|l| DuplicateLink {
                            reason: l.reason.into(),
                            value: l.value,
                            participant_ids: l.participant_ids,
                        })
                        .collect(),
                })
                .collect(),
            total: found.total,
        }))
    }

    /// Merge a participant into another
    ///
    /// Administrators only. Moves the participant's enrolments (with their attendance marks
    /// and assessments), certificates and sign-in account to `into_id`, fills in details
    /// `into_id` lacks, and removes the participant — in one transaction with its audit
    /// records; the reports count the person once from then on. Issued certificates keep what
    /// they printed. 409 when both hold a place in the same workshop (named in the answer) or
    /// both have sign-in accounts; 422 when `into_id` is the participant itself or names nobody.
    #[oai(
        path = "/:id/merge",
        method = "post",
        operation_id = "merge_participant"
    )]
    async fn merge(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        /// The participant to remove.
        id: Path<i64>,
        body: JsonBody<MergeParticipant>,
    ) -> Result<Json<MergeReport>, ApiError> {
        let outcome = service::merge(&state.db, &auth.actor(), id.0, body.0.into_id).await?;
        Ok(Json(MergeReport {
            participant: outcome.participant.into(),
            removed_participant_id: outcome.removed_id,
            moved: outcome
                .moved
                .into_iter()
                .map(|(kind, count)| MovedRecords {
                    kind: kind.to_owned(),
                    count,
                })
                .collect(),
            dropped_enrolment_ids: outcome.dropped_enrolment_ids,
        }))
    }
}
