//! Webhooks: the subscriptions with their state, a new one (its secret shown this once),
//! one webhook's deliveries, sending a delivery again, turning a webhook off and on. Through the
//! same service as the API's `/webhooks`.

use askama::Template;
use entity::webhook_delivery::DeliveryStatus;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use sea_orm::ActiveEnum;
use serde::Deserialize;

use super::{Admin, AdminForm, FieldErrors, Pager, page_of, words, workshops::Choice};
use crate::{
    domain::Error,
    services::{PageRequest, webhooks as service},
    state::AppState,
    web::{errors, i18n::AdminStrings, page},
    webhook::{EventType, outbox::subscribed},
};

struct WebhookRow {
    id: i64,
    url: String,
    description: String,
    events: String,
    active: bool,
    disabled_reason: String,
}

struct DeliveryRow {
    id: i64,
    created: String,
    event: String,
    status: String,
    queued: bool,
    attempts: i32,
    answer: String,
    last_error: String,
}

/// The deliveries of the webhook on show.
struct Shown {
    id: i64,
    url: String,
    rows: Vec<DeliveryRow>,
}

#[derive(Template)]
#[template(path = "admin_webhooks.html")]
struct WebhooksPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    webhooks: Vec<WebhookRow>,
    events: Vec<Choice>,
    url: String,
    description: String,
    new_secret: Option<String>,
    shown: Option<Shown>,
    /// The pages of the deliveries on show.
    deliveries_pager: Option<Pager>,
}

#[derive(Debug, Default, Deserialize)]
pub struct WebhooksQuery {
    page: Option<u64>,
    notice: Option<String>,
}

/// What the page shows besides the list.
#[derive(Default)]
struct Extra {
    notice: Option<String>,
    errors: FieldErrors,
    url: String,
    description: String,
    checked: Vec<EventType>,
    new_secret: Option<String>,
    shown: Option<(i64, Option<u64>)>,
}

fn delivery_word(status: DeliveryStatus) -> String {
    let key = status.to_value();
    words()
        .delivery_words
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key.clone(), |(_, w)| (*w).to_owned())
}

async fn render(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    extra: Extra,
    code: StatusCode,
) -> Response {
    let a = words();
    let all = PageRequest {
        limit: 200,
        offset: 0,
    };
    let hooks = match service::list(&state.db, all).await {
        Ok(found) => found.items,
        Err(err) => return errors::from_domain(req, err),
    };
    let mut deliveries_pager = None;
    let shown = match extra.shown {
        Some((id, page_number)) => {
            let hook = match service::get(&state.db, id).await {
                Ok(hook) => hook,
                Err(err) => return errors::from_domain(req, err),
            };
            let (number, request) = page_of(page_number);
            let found = match service::deliveries(&state.db, id, None, request).await {
                Ok(found) => found,
                Err(err) => return errors::from_domain(req, err),
            };
            deliveries_pager = Some(Pager::new(
                &format!("/admin/webhooks/{id}"),
                &[],
                number,
                found.total,
            ));
            Some(Shown {
                id,
                url: hook.url,
                rows: found
                    .items
                    .into_iter()
                    .map(|d| DeliveryRow {
                        id: d.id,
                        created: d.created_at.format("%Y-%m-%d %H:%M").to_string(),
                        event: d.event_type,
                        status: delivery_word(d.status),
                        queued: d.status == DeliveryStatus::Queued,
                        attempts: d.attempts,
                        answer: d
                            .last_status_code
                            .map(|c| c.to_string())
                            .unwrap_or_default(),
                        last_error: d.last_error.unwrap_or_default(),
                    })
                    .collect(),
            })
        }
        None => None,
    };
    let page = WebhooksPage {
        layout: admin.layout(a.webhooks),
        a,
        notice: extra.notice,
        errors: extra.errors,
        webhooks: hooks
            .into_iter()
            .map(|w| WebhookRow {
                id: w.id,
                events: subscribed(&w)
                    .iter()
                    .map(|e| e.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                url: w.url,
                description: w.description.unwrap_or_default(),
                active: w.active,
                disabled_reason: w.disabled_reason.unwrap_or_default(),
            })
            .collect(),
        events: EventType::ALL
            .iter()
            .map(|e| Choice {
                value: e.as_str().to_owned(),
                label: e.as_str().to_owned(),
                selected: extra.checked.contains(e),
            })
            .collect(),
        url: extra.url,
        description: extra.description,
        new_secret: extra.new_secret,
        shown,
        deliveries_pager,
    };
    admin.html(code, &page)
}

/// `GET /admin/webhooks`: every subscription and the form for a new one.
#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<WebhooksQuery>,
    admin: Admin,
) -> Response {
    let extra = Extra {
        notice: q.notice.as_deref().and_then(|k| words().notice(k, 0)),
        ..Default::default()
    };
    render(req, &admin, &state, extra, StatusCode::OK).await
}

/// `GET /admin/webhooks/{id}`: the list, and this webhook's deliveries, newest first.
#[handler]
pub async fn show(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    Query(q): Query<WebhooksQuery>,
    admin: Admin,
) -> Response {
    let extra = Extra {
        notice: q.notice.as_deref().and_then(|k| words().notice(k, 0)),
        shown: Some((id, q.page)),
        ..Default::default()
    };
    render(req, &admin, &state, extra, StatusCode::OK).await
}

/// `POST /admin/webhooks`: subscribes a receiver; the page shows its secret this once.
#[handler]
pub async fn create(
    req: &Request,
    state: Data<&AppState>,
    AdminForm(admin, pairs): AdminForm<Vec<(String, String)>>,
) -> Response {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let (url, description) = (value("url"), value("description"));
    let checked: Vec<EventType> = pairs
        .iter()
        .filter(|(k, _)| k == "events")
        .filter_map(|(_, v)| EventType::parse(v))
        .collect();
    let new = service::NewWebhook {
        url: url.clone(),
        events: checked.clone(),
        description: (!description.is_empty()).then(|| description.clone()),
    };
    match service::create(&state.db, &admin.actor(), state.webhook_rules(), new).await {
        Ok(created) => {
            let extra = Extra {
                new_secret: Some(created.secret),
                shown: Some((created.id, None)),
                ..Default::default()
            };
            render(req, &admin, &state, extra, StatusCode::CREATED).await
        }
        Err(err) => refused(req, &admin, &state, err, url, description, checked).await,
    }
}

async fn refused(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    err: Error,
    url: String,
    description: String,
    checked: Vec<EventType>,
) -> Response {
    let status = match err {
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    match FieldErrors::from_error(err) {
        Ok(errors) => {
            let extra = Extra {
                errors,
                url,
                description,
                checked,
                ..Default::default()
            };
            render(req, admin, state, extra, status).await
        }
        Err(other) => errors::from_domain(req, other),
    }
}

#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    active: bool,
}

/// `POST /admin/webhooks/{id}/active`: turns a webhook off or (back) on.
#[handler]
pub async fn set_active(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<ActiveForm>,
) -> Response {
    let changes = service::WebhookChanges {
        active: Some(form.active),
        ..Default::default()
    };
    match service::update(
        &state.db,
        &admin.actor(),
        state.webhook_rules(),
        id,
        changes,
    )
    .await
    {
        Ok(_) => {
            let notice = if form.active {
                "webhook_on"
            } else {
                "webhook_off"
            };
            page::see_other(&format!("/admin/webhooks/{id}?notice={notice}"), &[])
        }
        Err(err) => errors::from_domain(req, err),
    }
}

#[derive(Debug, Deserialize)]
pub struct RetryForm {}

/// `POST /admin/webhooks/{id}/deliveries/{delivery_id}/retry`: sends a delivery again, with
/// the same `webhook-id`.
#[handler]
pub async fn retry(
    req: &Request,
    state: Data<&AppState>,
    Path((id, delivery_id)): Path<(i64, i64)>,
    AdminForm(admin, _form): AdminForm<RetryForm>,
) -> Response {
    match service::retry(
        &state.db,
        &admin.actor(),
        id,
        delivery_id,
        state.config.webhook_max_attempts,
    )
    .await
    {
        Ok(_) => page::see_other(
            &format!("/admin/webhooks/{id}?notice=delivery_requeued"),
            &[],
        ),
        Err(Error::Conflict(message)) => {
            let mut errors = FieldErrors::default();
            errors.general.push(message);
            let extra = Extra {
                errors,
                shown: Some((id, None)),
                ..Default::default()
            };
            render(req, &admin, &state, extra, StatusCode::CONFLICT).await
        }
        Err(err) => errors::from_domain(req, err),
    }
}
