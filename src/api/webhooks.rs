//! Webhooks (Standard Webhooks), for administrators: subscriptions, their deliveries, and
//! retrying a delivery. Third-party systems subscribe instead of polling.

use crate::api::timestamp::Timestamp;

use entity::{
    webhook as subscription,
    webhook_delivery::{self, DeliveryStatus as DbDeliveryStatus},
};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Enum, Object, OpenApi,
    param::{Header, Path, Query},
    payload::Json,
};

use super::{JsonBody, Tag, page};
use crate::{
    auth::CanAdminister,
    error::ApiError,
    services::webhooks as service,
    state::AppState,
    webhook::{EventType, outbox::subscribed},
};

/// An event a webhook can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum WebhookEvent {
    /// A participant took a seat or a waitlist place (`data`: the enrolment).
    #[oai(rename = "enrolment.created")]
    EnrolmentCreated,
    /// An enrolment was withdrawn (`data`: the enrolment).
    #[oai(rename = "enrolment.withdrawn")]
    EnrolmentWithdrawn,
    /// A waitlisted participant got a seat (`data`: the enrolment).
    #[oai(rename = "enrolment.promoted")]
    EnrolmentPromoted,
    /// Attendance marks were recorded (`data`: `{workshop_id, marks}`).
    #[oai(rename = "attendance.marked")]
    AttendanceMarked,
    /// An assessment score was recorded (`data`: `{workshop_id, enrolment_id, kind, score,
    /// max_score}`).
    #[oai(rename = "assessment.recorded")]
    AssessmentRecorded,
    /// A workshop was scheduled (`data`: the workshop).
    #[oai(rename = "workshop.scheduled")]
    WorkshopScheduled,
    /// A workshop's status changed (`data`: the workshop and its `previous_status`).
    #[oai(rename = "workshop.status_changed")]
    WorkshopStatusChanged,
    /// A certificate was issued (`data`: the certificate).
    #[oai(rename = "certificate.issued")]
    CertificateIssued,
    /// A certificate was revoked (`data`: the certificate).
    #[oai(rename = "certificate.revoked")]
    CertificateRevoked,
    /// A certificate was replaced (`data`: the new certificate, `supersedes` the old one's id).
    #[oai(rename = "certificate.reissued")]
    CertificateReissued,
    /// A participant's personal data was erased (`data`: `{id, erased_at}`; nothing else of
    /// theirs).
    #[oai(rename = "participant.erased")]
    ParticipantErased,
    /// A confirmed application for a public workshop arrived (`data`: the application, without
    /// its contact details).
    #[oai(rename = "application.received")]
    ApplicationReceived,
    /// An application was accepted (`data`: the application and its `enrolment`).
    #[oai(rename = "application.accepted")]
    ApplicationAccepted,
    /// An application was declined (`data`: the application and the reason).
    #[oai(rename = "application.declined")]
    ApplicationDeclined,
}

impl From<WebhookEvent> for EventType {
    fn from(e: WebhookEvent) -> Self {
        match e {
            WebhookEvent::EnrolmentCreated => Self::EnrolmentCreated,
            WebhookEvent::EnrolmentWithdrawn => Self::EnrolmentWithdrawn,
            WebhookEvent::EnrolmentPromoted => Self::EnrolmentPromoted,
            WebhookEvent::AttendanceMarked => Self::AttendanceMarked,
            WebhookEvent::AssessmentRecorded => Self::AssessmentRecorded,
            WebhookEvent::WorkshopScheduled => Self::WorkshopScheduled,
            WebhookEvent::WorkshopStatusChanged => Self::WorkshopStatusChanged,
            WebhookEvent::CertificateIssued => Self::CertificateIssued,
            WebhookEvent::CertificateRevoked => Self::CertificateRevoked,
            WebhookEvent::CertificateReissued => Self::CertificateReissued,
            WebhookEvent::ParticipantErased => Self::ParticipantErased,
            WebhookEvent::ApplicationReceived => Self::ApplicationReceived,
            WebhookEvent::ApplicationAccepted => Self::ApplicationAccepted,
            WebhookEvent::ApplicationDeclined => Self::ApplicationDeclined,
        }
    }
}

impl From<EventType> for WebhookEvent {
    fn from(e: EventType) -> Self {
        match e {
            EventType::EnrolmentCreated => Self::EnrolmentCreated,
            EventType::EnrolmentWithdrawn => Self::EnrolmentWithdrawn,
            EventType::EnrolmentPromoted => Self::EnrolmentPromoted,
            EventType::AttendanceMarked => Self::AttendanceMarked,
            EventType::AssessmentRecorded => Self::AssessmentRecorded,
            EventType::WorkshopScheduled => Self::WorkshopScheduled,
            EventType::WorkshopStatusChanged => Self::WorkshopStatusChanged,
            EventType::CertificateIssued => Self::CertificateIssued,
            EventType::CertificateRevoked => Self::CertificateRevoked,
            EventType::CertificateReissued => Self::CertificateReissued,
            EventType::ParticipantErased => Self::ParticipantErased,
            EventType::ApplicationReceived => Self::ApplicationReceived,
            EventType::ApplicationAccepted => Self::ApplicationAccepted,
            EventType::ApplicationDeclined => Self::ApplicationDeclined,
        }
    }
}

mirror_enum! {
    /// Where a delivery stands.
    DeliveryStatus <=> DbDeliveryStatus {
        /// Waiting to be delivered, or to be retried at `next_attempt_at`.
        Queued,
        /// The receiver answered 2xx.
        Delivered,
        /// Out of attempts; the webhook was turned off.
        Failed,
    }
}

/// A new subscription.
#[derive(Debug, Object)]
pub struct CreateWebhook {
    /// Where to post events: `https://` on a public address (see the server's settings).
    #[oai(validator(min_length = 1, max_length = 2048))]
    pub url: String,
    /// The events to deliver (at least one).
    #[oai(validator(min_items = 1, max_items = 32))]
    pub events: Vec<WebhookEvent>,
    /// What it is for, e.g. "Council HR system".
    #[oai(validator(min_length = 1, max_length = 200))]
    pub description: Option<String>,
}

/// Changes to a subscription; fields left out stay as they are.
#[derive(Debug, Object)]
pub struct UpdateWebhook {
    #[oai(validator(min_length = 1, max_length = 2048))]
    pub url: Option<String>,
    #[oai(validator(min_items = 1, max_items = 32))]
    pub events: Option<Vec<WebhookEvent>>,
    /// Turns deliveries off or (back) on; turning it on sends the deliveries that waited.
    pub active: Option<bool>,
}

/// A webhook subscription (its secret is shown only when it is created).
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub description: Option<String>,
    /// Whether events are delivered. The server turns a webhook off when a delivery fails
    /// for good, and mails the administrators.
    pub active: bool,
    /// Why the server turned it off, when it did.
    pub disabled_reason: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl From<subscription::Model> for Webhook {
    fn from(m: subscription::Model) -> Self {
        Self {
            id: m.id,
            events: subscribed(&m).into_iter().map(Into::into).collect(),
            url: m.url,
            description: m.description,
            active: m.active,
            disabled_reason: m.disabled_reason,
            created_at: m.created_at.into(),
            updated_at: m.updated_at.into(),
        }
    }
}

/// A new subscription with its signing secret, shown this once.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreatedWebhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub description: Option<String>,
    pub active: bool,
    /// `whsec_` + base64 of 32 random bytes: the key of the `webhook-signature` HMAC. Keep it;
    /// it is not shown again.
    pub secret: String,
    pub created_at: Timestamp,
}

impl From<subscription::Model> for CreatedWebhook {
    fn from(m: subscription::Model) -> Self {
        Self {
            id: m.id,
            events: subscribed(&m).into_iter().map(Into::into).collect(),
            url: m.url,
            description: m.description,
            active: m.active,
            secret: m.secret,
            created_at: m.created_at.into(),
        }
    }
}

/// One event for one webhook, and how its delivery went.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct WebhookDelivery {
    pub id: i64,
    pub webhook_id: i64,
    /// The `webhook-id` header: the same on every attempt, so receivers can drop repeats.
    pub message_id: String,
    pub event_type: String,
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due (queued deliveries).
    pub next_attempt_at: Timestamp,
    /// The HTTP status the receiver answered last, when it answered.
    pub last_status_code: Option<i32>,
    /// What went wrong on the last failed attempt.
    pub last_error: Option<String>,
    pub last_attempt_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl From<webhook_delivery::Model> for WebhookDelivery {
    fn from(m: webhook_delivery::Model) -> Self {
        Self {
            id: m.id,
            webhook_id: m.webhook_id,
            message_id: m.message_id,
            event_type: m.event_type,
            status: m.status.into(),
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at.into(),
            last_status_code: m.last_status_code,
            last_error: m.last_error,
            last_attempt_at: m.last_attempt_at.map(Timestamp::from),
            delivered_at: m.delivered_at.map(Timestamp::from),
            created_at: m.created_at.into(),
        }
    }
}

wire_page! {
    /// A page of webhooks.
    WebhookPage of Webhook
}

wire_page! {
    /// A page of deliveries.
    WebhookDeliveryPage of WebhookDelivery
}

#[derive(ApiResponse)]
enum Created {
    /// The subscription, with its secret (shown this once).
    #[oai(status = 201)]
    Created(Json<CreatedWebhook>),
}

#[derive(ApiResponse)]
enum Deleted {
    /// The subscription and its deliveries were removed.
    #[oai(status = 204)]
    Deleted,
}

#[derive(ApiResponse)]
enum Retried {
    /// The delivery is queued again, due now, with the same `webhook-id` and body.
    #[oai(status = 202)]
    Accepted(Json<WebhookDelivery>),
}

pub struct WebhookApi;

#[OpenApi(prefix_path = "/api/v1/webhooks", tag = "Tag::Webhooks")]
impl WebhookApi {
    /// List webhooks
    #[oai(path = "/", method = "get", operation_id = "list_webhooks")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<WebhookPage>, ApiError> {
        let found = service::list(&state.db, page(limit.0, offset.0)).await?;
        Ok(Json(WebhookPage::from(found)))
    }

    /// Subscribe a webhook
    ///
    /// Events are posted as `{type, timestamp, data}` with the Standard Webhooks headers
    /// (`webhook-id`, `webhook-timestamp`, `webhook-signature`: `v1,` + base64 HMAC-SHA256 of
    /// `{id}.{timestamp}.{body}` keyed with the secret's bytes). Any 2xx is success; otherwise
    /// the delivery is retried with backoff (first retry within a minute, at least 5 attempts
    /// over at least an hour). The URL must be `https://` and must not resolve to a loopback,
    /// private, link-local or metadata address (422), unless the server allows it.
    #[oai(path = "/", method = "post", operation_id = "create_webhook")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        /// Makes a retry of this request return the first response instead of creating again.
        #[oai(name = "Idempotency-Key")]
        _idempotency_key: Header<Option<String>>,
        body: JsonBody<CreateWebhook>,
    ) -> Result<Created, ApiError> {
        let body = body.0;
        let created = service::create(
            &state.db,
            &auth.actor(),
            state.webhook_rules(),
            service::NewWebhook {
                url: body.url,
                events: body.events.into_iter().map(Into::into).collect(),
                description: body.description,
            },
        )
        .await?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Get a webhook
    #[oai(path = "/:id", method = "get", operation_id = "get_webhook")]
    async fn get(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        id: Path<i64>,
    ) -> Result<Json<Webhook>, ApiError> {
        Ok(Json(service::get(&state.db, id.0).await?.into()))
    }

    /// Change a webhook
    ///
    /// Turning it back on (`active: true`) sends the deliveries that waited meanwhile.
    #[oai(path = "/:id", method = "patch", operation_id = "update_webhook")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        id: Path<i64>,
        body: JsonBody<UpdateWebhook>,
    ) -> Result<Json<Webhook>, ApiError> {
        let body = body.0;
        let updated = service::update(
            &state.db,
            &auth.actor(),
            state.webhook_rules(),
            id.0,
            service::WebhookChanges {
                url: body.url,
                events: body.events.map(|e| e.into_iter().map(Into::into).collect()),
                active: body.active,
            },
        )
        .await?;
        Ok(Json(updated.into()))
    }

    /// Remove a webhook
    ///
    /// Its deliveries go with it.
    #[oai(path = "/:id", method = "delete", operation_id = "delete_webhook")]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        id: Path<i64>,
    ) -> Result<Deleted, ApiError> {
        service::delete(&state.db, &auth.actor(), id.0).await?;
        Ok(Deleted::Deleted)
    }

    /// List a webhook's deliveries
    ///
    /// Newest first: each event with its attempts, the receiver's last status code and the
    /// last error; filter by `status`.
    #[oai(
        path = "/:id/deliveries",
        method = "get",
        operation_id = "list_webhook_deliveries"
    )]
    async fn deliveries(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        id: Path<i64>,
        status: Query<Option<DeliveryStatus>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<WebhookDeliveryPage>, ApiError> {
        let found = service::deliveries(
            &state.db,
            id.0,
            status.0.map(Into::into),
            page(limit.0, offset.0),
        )
        .await?;
        Ok(Json(WebhookDeliveryPage::from(found)))
    }

    /// Retry a delivery
    ///
    /// Queues it again, due now, with the same `webhook-id` and body. 409 while the webhook
    /// is turned off.
    #[oai(
        path = "/:id/deliveries/:delivery_id/retry",
        method = "post",
        operation_id = "retry_webhook_delivery"
    )]
    async fn retry(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        id: Path<i64>,
        delivery_id: Path<i64>,
    ) -> Result<Retried, ApiError> {
        let requeued = service::retry(
            &state.db,
            &auth.actor(),
            id.0,
            delivery_id.0,
            state.config.webhook_max_attempts,
        )
        .await?;
        Ok(Retried::Accepted(Json(requeued.into())))
    }
}

/// An event's `data`: the API's response type of the resource, as a `GET` of it writes it
/// (the [`crate::webhook::Resource`] impls beside each response type go through here).
pub(crate) fn resource_data(resource: impl poem_openapi::types::ToJSON) -> serde_json::Value {
    resource.to_json().unwrap_or(serde_json::Value::Null)
}
