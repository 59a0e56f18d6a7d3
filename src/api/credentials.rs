//! Digital credentials (Open Badges 3.0): a certificate's credential as a VC-JWT, the issuer
//! profile, the published keys, the revocation status lists, and verification for anyone.

use poem::{
    IntoResponse, Response,
    http::{StatusCode, header},
    web::Data,
};
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::Path,
    payload::{Binary, Json},
    registry::{MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::Type,
};
use serde_json::Value;

use super::{JsonBody, Tag, certificates::ensure_may_read, workshops::Level};
use crate::{
    auth::Caller,
    credential::jwt,
    error::ApiError,
    services::{certificates, credentials as service, sharing},
    state::AppState,
};

/// A verifiable credential: signed (VC-JWT) unless the caller asked for JSON.
pub enum SignedOrJson {
    /// The compact JWS.
    Jwt(String),
    /// The unsigned credential.
    Json(Value),
}

impl IntoResponse for SignedOrJson {
    fn into_response(self) -> Response {
        let (content_type, body) = match self {
            Self::Jwt(token) => (jwt::MEDIA_TYPE, token),
            Self::Json(value) => ("application/json; charset=utf-8", value.to_string()),
        };
        Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::VARY, "Accept")
            // A credential names its holder; a status list must be read fresh.
            .header(header::CACHE_CONTROL, "no-store")
            .body(body)
    }
}

impl ApiResponse for SignedOrJson {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The credential: a VC-JWT (`application/vc+jwt`, JOSE header `alg: \
                              RS256`, `kid` naming a key of `/.well-known/jwks.json`) by \
                              default; the unsigned JSON when the request prefers \
                              `application/json`.",
                status: Some(200),
                status_range: None,
                content: vec![
                    MetaMediaType {
                        content_type: jwt::MEDIA_TYPE,
                        schema: String::schema_ref(),
                    },
                    MetaMediaType {
                        content_type: "application/json",
                        schema: Value::schema_ref(),
                    },
                ],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        String::register(registry);
        Value::register(registry);
    }
}

/// The request's `Accept` header: content negotiation, which OpenAPI describes by the
/// response's media types (the server's default first), not as a parameter.
fn accept(req: &poem::Request) -> Option<&str> {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
}

/// Whether the `Accept` header prefers JSON to a VC-JWT (by q-value; a tie goes to the JWT).
pub fn prefers_json(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return false };
    let (mut json, mut jwt) = (0.0f32, 0.0f32);
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        match media.as_str() {
            "application/json" | "application/ld+json" | "application/vc" => json = json.max(q),
            "application/vc+jwt" | "application/jwt" => jwt = jwt.max(q),
            _ => {}
        }
    }
    json > jwt
}

/// A credential presented for verification.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VerifyCredentialRequest {
    /// The VC-JWT (compact JWS) as issued by `GET /api/v1/certificates/{id}/credential`.
    #[oai(validator(min_length = 1, max_length = 65536))]
    pub credential: String,
}

/// One check of a verification.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VerificationCheck {
    /// `format`, `algorithm`, `key`, `signature`, `issuer`, `type`, `expiry` or `status`.
    pub check: String,
    pub ok: bool,
    /// What was found, in words.
    pub detail: String,
}

/// The verdict on a presented credential.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CredentialVerification {
    /// True only when every check passed.
    pub valid: bool,
    /// The checks in the order they ran; checking stops at one that makes the rest meaningless
    /// (an unreadable token, a foreign key, a bad signature).
    pub checks: Vec<VerificationCheck>,
    /// The credential's subject (the holder and the achievement), once the signature holds.
    pub credential_subject: Option<Value>,
}

#[derive(ApiResponse)]
enum JsonDocument {
    /// The document.
    #[oai(status = 200)]
    Ok(Json<Value>),
}

#[derive(ApiResponse)]
enum AchievementBadge {
    /// The badge, a PNG.
    #[oai(status = 200, content_type = "image/png")]
    Ok(Binary<Vec<u8>>, #[oai(header = "Cache-Control")] String),
}

pub struct CredentialApi;

#[OpenApi(tag = "Tag::Credentials")]
impl CredentialApi {
    /// A certificate's digital credential
    ///
    /// The certificate as an Open Badges 3.0 `OpenBadgeCredential` (W3C Verifiable Credentials
    /// Data Model 2.0): the holder (name; the email only as a salted SHA-256 hash), the
    /// achievement (course, level, topics, hours, criteria), the issuer, `validFrom` and a
    /// `BitstringStatusListEntry` for revocation. Signed as a VC-JWT with RS256 — the algorithm
    /// Open Badges 3.0 requires every verifier to support, so any conforming verifier or wallet
    /// can check it — and the signing key's `kid` in the JOSE header. `Accept:
    /// application/json` returns the unsigned JSON. Certificate managers, or the holder.
    #[oai(
        path = "/api/v1/certificates/:id/credential",
        method = "get",
        operation_id = "get_certificate_credential"
    )]
    async fn credential(
        &self,
        state: Data<&AppState>,
        auth: Caller,
        id: Path<i64>,
        req: &poem::Request,
    ) -> Result<SignedOrJson, ApiError> {
        let c = certificates::get(&state.db, id.0).await?;
        ensure_may_read(&auth.0, &c)?;
        let issuer = service::issuer(&state.config.public_url);
        let credential = service::certificate_credential(&state.db, &issuer, &c).await?;
        if prefers_json(accept(req)) {
            return Ok(SignedOrJson::Json(credential));
        }
        Ok(SignedOrJson::Jwt(
            service::sign(&state.db, &state.keyring, &credential).await?,
        ))
    }

    /// The issuer profile
    ///
    /// Public. The Open Badges 3.0 `Profile` of the institute, the `issuer` of every credential.
    #[oai(path = "/api/v1/issuer", method = "get", operation_id = "get_issuer")]
    async fn issuer(&self, state: Data<&AppState>) -> JsonDocument {
        JsonDocument::Ok(Json(service::issuer(&state.config.public_url).profile()))
    }

    /// The picture of an achievement
    ///
    /// Public. The course's badge for a level (its colour from the course, one to three stars
    /// for the level) as a PNG: the `image` of the achievement in every credential of that
    /// course and level, so a wallet or verifier can show it without credentials. (A holder's
    /// own badge with the credential baked in is `…/certificates/{id}/badge.png`.) Cached for a
    /// day; an unknown course is 404.
    #[oai(
        path = "/api/v1/badges/:course_code/:level",
        method = "get",
        operation_id = "get_achievement_badge"
    )]
    async fn achievement_badge(
        &self,
        state: Data<&AppState>,
        /// The course's code, as in the credential's `humanCode`.
        #[oai(validator(pattern = r"^[A-Za-z0-9_-]{1,16}$"))]
        course_code: Path<String>,
        level: Path<Level>,
    ) -> Result<AchievementBadge, ApiError> {
        let png = sharing::achievement_badge(&state.db, &course_code.0, level.0.into())
            .await?
            .ok_or_else(|| ApiError::NotFound("no course has this code".into()))?;
        Ok(AchievementBadge::Ok(
            Binary(png),
            "public, max-age=86400".to_owned(),
        ))
    }

    /// The issuer's public keys (JWKS)
    ///
    /// Public. Every key the issuer ever signed with (RSA, `RS256`), each with its `kid` (its
    /// RFC 7638 thumbprint): a rotated key stays here so credentials it signed keep verifying.
    #[oai(
        path = "/.well-known/jwks.json",
        method = "get",
        operation_id = "get_jwks"
    )]
    async fn jwks(&self, state: Data<&AppState>) -> Result<JsonDocument, ApiError> {
        Ok(JsonDocument::Ok(Json(service::jwks(&state.db).await?)))
    }

    /// A revocation status list
    ///
    /// Public. A W3C `BitstringStatusListCredential`: 131,072 entries, GZIP-compressed and
    /// base64url-encoded (`encodedList`, multibase prefix `u`); the bit at a credential's
    /// `statusListIndex` is 1 once its certificate is revoked. Signed as a VC-JWT like the
    /// credentials; `Accept: application/json` returns the unsigned JSON.
    #[oai(
        path = "/api/v1/status-lists/:list_id",
        method = "get",
        operation_id = "get_status_list"
    )]
    async fn status_list(
        &self,
        state: Data<&AppState>,
        list_id: Path<i64>,
        req: &poem::Request,
    ) -> Result<SignedOrJson, ApiError> {
        let issuer = service::issuer(&state.config.public_url);
        let list = service::status_list_credential(&state.db, &issuer, list_id.0).await?;
        if prefers_json(accept(req)) {
            return Ok(SignedOrJson::Json(list));
        }
        Ok(SignedOrJson::Jwt(
            service::sign(&state.db, &state.keyring, &list).await?,
        ))
    }

    /// Verify a credential
    ///
    /// Public. Checks a VC-JWT as any third party could: that it is well formed, signed with
    /// RS256 by one of this issuer's published keys (found by `kid`), that the signature holds,
    /// that this issuer issued it, that it is an Open Badges credential within its validity
    /// period, and that its status list bit says it is not revoked. A tampered, foreign or
    /// revoked credential is `valid: false` with the failing check named — not an error.
    #[oai(
        path = "/api/v1/credentials/verify",
        method = "post",
        operation_id = "verify_credential"
    )]
    async fn verify(
        &self,
        state: Data<&AppState>,
        body: JsonBody<VerifyCredentialRequest>,
    ) -> Result<Json<CredentialVerification>, ApiError> {
        let issuer = service::issuer(&state.config.public_url);
        let verdict = service::verify(
            &state.db,
            &state.keyring,
            &issuer,
            &body.0.credential,
            chrono::Utc::now(),
        )
        .await?;
        Ok(Json(CredentialVerification {
            valid: verdict.valid,
            checks: verdict
                .checks
                .into_iter()
                .map(|c| VerificationCheck {
                    check: c.check.into(),
                    ok: c.ok,
                    detail: c.detail,
                })
                .collect(),
            credential_subject: verdict.credential_subject,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::prefers_json;

    #[test]
    fn json_is_chosen_only_when_preferred() {
        assert!(!prefers_json(None));
        assert!(!prefers_json(Some("*/*")));
        assert!(prefers_json(Some("application/json")));
        assert!(!prefers_json(Some("application/vc+jwt")));
        assert!(!prefers_json(Some(
            "application/json;q=0.5, application/vc+jwt"
        )));
        assert!(prefers_json(Some(
            "application/vc+jwt;q=0.2, application/json"
        )));
    }
}
