//! Participant sign-in by emailed link (the link itself opens a page: see `web::portal`).

use poem::{Request, web::Data};
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::{JsonBody, Tag};
use crate::{error::ApiError, services::sign_in::LinkRequest, state::AppState};

/// Who asks for a sign-in link.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EmailLinkRequest {
    /// The participant's email address, as recorded on their participant record (any case).
    #[oai(validator(max_length = 254))]
    pub email: String,
}

#[derive(ApiResponse)]
enum EmailLinkAccepted {
    /// Accepted. If the address belongs to a participant, a one-time sign-in link valid for 30
    /// minutes is on its way by email; the answer is the same either way.
    #[oai(status = 202)]
    Accepted,
}

pub struct SignInLinkApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Auth")]
impl SignInLinkApi {
    /// Email me a sign-in link
    ///
    /// Public. When the address belongs to a participant, mails a one-time link (through the
    /// outbox) that is valid for 30 minutes; opening it signs the participant in to the
    /// participant pages (`/portal`), creating their account on first use, without a password.
    /// The answer is 202 whether or not the address is known. Throttled like login: after a
    /// few requests for one address (or many from one client) further ones get 429 with
    /// `Retry-After` for a while. Staff accounts sign in with their password instead.
    #[oai(
        path = "/auth/email-link",
        method = "post",
        operation_id = "request_email_link"
    )]
    async fn request_link(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: JsonBody<EmailLinkRequest>,
    ) -> Result<EmailLinkAccepted, ApiError> {
        let address = crate::forwarded::client_ip(req);
        // Only the shape of the address is checked before answering: whether it is known is
        // never told, and the lookup runs after the answer.
        match state
            .sign_in
            .email_link(
                &state.db,
                &body.0.email,
                address.as_deref(),
                state.config.public_url_trimmed(),
            )
            .await?
        {
            LinkRequest::Accepted => Ok(EmailLinkAccepted::Accepted),
        }
    }
}
