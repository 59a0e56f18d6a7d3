//! The data subject's rights (Zimbabwe's Cyber and Data Protection Act): access to everything
//! held about a participant, as one JSON document (`crate::subject_access`).

use poem::web::Data;
use poem_openapi::{ApiResponse, OpenApi, param::Path, payload::Json};

use super::Tag;
use crate::{
    auth::{CanAdminister, Caller},
    error::ApiError,
    services::personal_data,
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
}
