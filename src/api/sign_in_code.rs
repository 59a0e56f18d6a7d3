//! Participant sign-in by a code sent by SMS, for participants with a phone and no email (the
//! portal's second way in: see `web::portal`).

use poem::{Request, web::Data};
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json};

use super::{JsonBody, Tag, auth::LoginResponse};
use crate::{error::ApiError, services::sign_in::LinkRequest, state::AppState};

/// Who asks for a sign-in code.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SmsCodeRequest {
    /// The participant's phone number as recorded on their participant record, written any
    /// usual way (`0771 234 567`, `+263 77 123 4567`).
    #[oai(validator(max_length = 32))]
    pub phone: String,
}

/// A code to check.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SmsCodeEntry {
    #[oai(validator(max_length = 32))]
    pub phone: String,
    /// The six digits the SMS carried.
    #[oai(validator(max_length = 12))]
    pub code: String,
}

#[derive(ApiResponse)]
enum SmsCodeAccepted {
    /// Accepted. If the number belongs to a participant, a one-time 6-digit code valid for
    /// 10 minutes is on its way by SMS; the answer is the same either way.
    #[oai(status = 202)]
    Accepted,
}

#[derive(ApiResponse)]
enum SmsCodeResult {
    /// Signed in: a participant session, as a login gives.
    #[oai(status = 200)]
    Ok(Json<LoginResponse>),
}

pub struct SignInCodeApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Auth")]
impl SignInCodeApi {
    /// Text me a sign-in code
    ///
    /// Public. When the number belongs to a participant, sends a one-time 6-digit code by SMS
    /// (through the outbox) that works for 10 minutes and allows 5 wrong entries; a new
    /// request replaces an earlier code. The answer is 202 whether or not the number is known
    /// (a number that is not a phone number is 422). Throttled like the email link: after a few
    /// requests for one number (or many from one client) further ones get 429 with
    /// `Retry-After` for a while.
    #[oai(
        path = "/auth/sms-code",
        method = "post",
        operation_id = "request_sms_code"
    )]
    async fn request_code(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: JsonBody<SmsCodeRequest>,
    ) -> Result<SmsCodeAccepted, ApiError> {
        let address = crate::forwarded::client_ip(req);
        match state
            .sign_in
            .sms_code(&state.db, &body.0.phone, address.as_deref())
            .await?
        {
            LinkRequest::Accepted => Ok(SmsCodeAccepted::Accepted),
        }
    }

    /// Sign in with a code
    ///
    /// Exchanges the phone number and the code it was sent for a participant session (the
    /// account is created on first use). A wrong, used or expired code, a code after 5 wrong
    /// entries (even the right one), and an unknown number all get the same 401. Throttled
    /// like login (429 with `Retry-After`).
    #[oai(
        path = "/auth/sms-code/verify",
        method = "post",
        operation_id = "verify_sms_code"
    )]
    async fn verify(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: JsonBody<SmsCodeEntry>,
    ) -> Result<SmsCodeResult, ApiError> {
        let address = crate::forwarded::client_ip(req);
        let login = state
            .sign_in
            .verify_sms_code(&state.db, &body.0.phone, &body.0.code, address.as_deref())
            .await?;
        match login {
            Some(login) => Ok(SmsCodeResult::Ok(Json(login.into()))),
            None => Err(ApiError::Unauthorized(
                "the phone number or code is wrong, used or expired".into(),
            )),
        }
    }
}
