//! The data subject's rights (Zimbabwe's Cyber and Data Protection Act): access to everything
//! held about a participant, as one JSON document (`crate::subject_access`).

use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};

use super::{JsonBody, Tag, participants::Participant};
use crate::{
    auth::{Caller, CanAdminister},
    error::ApiError,
    services::{erasure, personal_data},
    state::AppState,
    subject_access::PersonalDataExport,
};

#[derive(ApiResponse)]
enum ExportResponse {
    /// Everything held about the person; `Content-Disposition` names a file to save it as.
    #[oai(status = 200)]
    Ok(
        Json<PersonalDataExport>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

fn download(document: PersonalDataExport) -> ExportResponse {
    let disposition = format!("attachment; filename=\"{}\"", document.file_name());
    ExportResponse::Ok(Json(document), disposition)
}

/// Why a participant's personal data is erased (kept in the audit log).
#[derive(Debug, Object)]
pub struct EraseParticipant {
    /// The request and how it was received (1–1000 characters; no personal data needed).
    #[oai(validator(min_length = 1, max_length = 1000))]
    pub reason: String,
}

/// What an erasure did.
#[derive(Debug, Object)]
pub struct Erasure {
    /// The record as it now is: `Erased participant #<id>`, without contact details,
    /// national ID, gender, birth year or disability answers.
    pub participant: Participant,
    /// Certificates withdrawn (`status: withdrawn`), their PDFs deleted.
    pub certificates_withdrawn: u64,
    /// Mail messages blanked.
    pub mail_blanked: u64,
    /// Audit entries scrubbed of the erased values.
    pub audit_entries_scrubbed: u64,
}

pub struct PersonalDataApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Participants")]
impl PersonalDataApi {
    /// Export everything held about a participant
    ///
    /// The data subject's right of access: the record, enrolments with the consent recorded,
    /// attendance marks, assessment scores, certificates, the outreach meetings they recorded,
    /// the mail sent to them (with its text) and the audit entries about them, as one document
    /// (docs/PERSONAL_DATA.md). Administrators only.
    #[oai(
        path = "/participants/:id/export",
        method = "get",
        operation_id = "export_participant"
    )]
    async fn export(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        id: Path<i64>,
    ) -> Result<ExportResponse, ApiError> {
        let data = personal_data::export(&state.db, id.0).await?;
        Ok(download(data.into()))
    }

    /// Export everything held about me
    ///
    /// The same document as `GET /participants/{id}/export`, for the participant record linked
    /// to the caller's account (the portal's "Download my data"). 404 for an account without one.
    #[oai(path = "/me/export", method = "get", operation_id = "export_me")]
    async fn export_me(
        &self,
        state: Data<&AppState>,
        auth: Caller,
    ) -> Result<ExportResponse, ApiError> {
        let Some(id) = auth.0.participant_id() else {
            return Err(ApiError::NotFound(
                "this account is not linked to a participant record".into(),
            ));
        };
        let data = personal_data::export(&state.db, id).await?;
        Ok(download(data.into()))
    }

    /// Erase a participant's personal data
    ///
    /// The data subject's right to erasure, in one transaction: the name becomes
    /// `Erased participant #<id>`; email, phone, national ID, gender, birth year and the
    /// disability answers are removed; sign-in links and sessions end; certificates become
    /// `withdrawn` (the verify page says only "withdrawn at the holder's request"), their PDFs
    /// are deleted and their credentials' status bits set; mail held for them is blanked; audit
    /// entries keep who did what and why, not the erased values. Every report keeps its figures
    /// (the person is counted as before). Webhook `participant.erased`. 409 when already erased.
    #[oai(
        path = "/participants/:id/erase",
        method = "post",
        operation_id = "erase_participant"
    )]
    async fn erase(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        id: Path<i64>,
        body: JsonBody<EraseParticipant>,
    ) -> Result<Json<Erasure>, ApiError> {
        let done = erasure::erase(&state.db, &auth.actor(), id.0, &body.0.reason).await?;
        for user in &done.accounts_ended {
            state.auth_cache.forget_user(*user);
        }
        Ok(Json(Erasure {
            participant: done.participant.into(),
            certificates_withdrawn: done.certificates_withdrawn,
            mail_blanked: done.mail_blanked,
            audit_entries_scrubbed: done.audit_entries_scrubbed,
        }))
    }
}
