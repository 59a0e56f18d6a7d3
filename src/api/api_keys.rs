//! API keys for other systems (administrators).

use crate::api::timestamp::Timestamp;

use entity::api_key;
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{JsonBody, NoContent, Tag, page};
use crate::{
    auth::CanAdminister, domain::access::Scope as DomainScope, error::ApiError, services::accounts,
    state::AppState,
};

mirror_enum! {
    /// What an API key may do.
    Scope <=> DomainScope {
        /// Read courses, organisations, workshops, participants and rosters.
        Read,
        /// Create participants; enrol and withdraw them.
        Enrol,
        /// Record attendance and assessments.
        Attendance,
        /// Issue, read, send and revoke certificates.
        Certificates,
        /// Everything an administrator may do.
        Admin,
    }
}
/// A new API key.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateApiKey {
    /// What the key is for, e.g. "Harare ward office sync".
    #[oai(validator(min_length = 1, max_length = 120))]
    pub name: String,
    /// What it may do; at least one.
    #[oai(validator(min_items = 1, max_items = 5))]
    pub scopes: Vec<Scope>,
}
/// An API key as listed (the key itself is never shown again after creation).
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The first characters of the key, to tell keys apart.
    pub key_prefix: String,
    pub created_at: Timestamp,
    /// When it was revoked; a revoked key no longer authenticates.
    pub revoked_at: Option<Timestamp>,
}

impl From<api_key::Model> for ApiKey {
    fn from(k: api_key::Model) -> Self {
        Self {
            id: k.id,
            scopes: accounts::scopes_of(&k)
                .into_iter()
                .map(Scope::from)
                .collect(),
            name: k.name,
            key_prefix: k.key_prefix,
            created_at: k.created_at.into(),
            revoked_at: k.revoked_at.map(Timestamp::from),
        }
    }
}

/// A freshly created API key, with the key itself: store it now, it is shown only once.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreatedApiKey {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The key: send it as `Authorization: Bearer <key>`. Shown once; only its hash is kept.
    pub key: String,
    pub key_prefix: String,
    pub created_at: Timestamp,
}

wire_page! {
    /// A page of API keys.
    ApiKeyPage of ApiKey
}
#[derive(ApiResponse)]
enum ApiKeyCreated {
    /// The key was created; `key` is shown only now.
    #[oai(status = 201)]
    Created(Json<CreatedApiKey>),
}

pub struct ApiKeysApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Administration")]
impl ApiKeysApi {
    /// Create an API key
    ///
    /// Administrators only. The response carries the key itself, once; only its SHA-256 is stored.
    #[oai(path = "/api-keys", method = "post", operation_id = "create_api_key")]
    async fn create_api_key(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        body: JsonBody<CreateApiKey>,
    ) -> Result<ApiKeyCreated, ApiError> {
        let scopes: Vec<String> = body
            .0
            .scopes
            .iter()
            .map(|s| DomainScope::from(*s).as_str().to_owned())
            .collect();
        let (model, key) =
            accounts::create_api_key(&state.db, &auth.actor(), &body.0.name, &scopes).await?;
        let listed = ApiKey::from(model);
        Ok(ApiKeyCreated::Created(Json(CreatedApiKey {
            id: listed.id,
            name: listed.name,
            scopes: listed.scopes,
            key,
            key_prefix: listed.key_prefix,
            created_at: listed.created_at,
        })))
    }

    /// List API keys
    ///
    /// Newest first; the keys themselves are never shown, only their first characters.
    #[oai(path = "/api-keys", method = "get", operation_id = "list_api_keys")]
    async fn list_api_keys(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<ApiKeyPage>, ApiError> {
        let found = accounts::list_api_keys(&state.db, page(limit.0, offset.0)).await?;
        Ok(Json(ApiKeyPage::from(found)))
    }

    /// Revoke an API key
    ///
    /// The key stops working at once (on PostgreSQL, in every server process sharing the
    /// database; on SQLite, other processes notice within `CSSD_AUTH_CACHE_SECONDS`). Revoking a
    /// revoked key is harmless.
    #[oai(
        path = "/api-keys/:id",
        method = "delete",
        operation_id = "revoke_api_key"
    )]
    async fn revoke_api_key(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        id: Path<i64>,
    ) -> Result<NoContent, ApiError> {
        accounts::revoke_api_key(&state.db, &auth.actor(), id.0).await?;
        state.auth_cache.forget_api_key(id.0);
        Ok(NoContent::Done)
    }
}
