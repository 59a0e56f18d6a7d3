//! The SMS outbox: every SMS with its number, text, status, kind, segments, attempts and last
//! error, beside the mail outbox.

use askama::Template;
use entity::sms_outbox::{SmsKind, SmsStatus};
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Query},
};
use sea_orm::{ActiveEnum, Iterable};
use serde::Deserialize;

use super::{Admin, Pager, page_of, words, workshops::Choice};
use crate::{
    domain::phone,
    sms::outbox,
    state::AppState,
    web::{errors, i18n::AdminStrings, page},
};

struct SmsRow {
    created: String,
    to: String,
    body: String,
    kind: String,
    status: String,
    segments: i32,
    attempts: i32,
    last_error: String,
}

#[derive(Template)]
#[template(path = "admin_sms.html")]
struct SmsPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    statuses: Vec<Choice>,
    kinds: Vec<Choice>,
    rows: Vec<SmsRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct SmsQuery {
    status: Option<String>,
    kind: Option<String>,
    page: Option<u64>,
}

fn key_words(key: &str) -> String {
    words()
        .sms_words
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| key.to_owned(), |(_, w)| (*w).to_owned())
}

/// `GET /admin/sms`: newest first, by status and kind.
#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<SmsQuery>,
    admin: Admin,
) -> Response {
    let a = words();
    let status_key = q.status.clone().unwrap_or_default();
    let kind_key = q.kind.clone().unwrap_or_default();
    let status = SmsStatus::iter().find(|s| s.to_value() == status_key);
    let kind = SmsKind::iter().find(|k| k.to_value() == kind_key);
    let (page_number, request) = page_of(q.page);
    let (items, total) =
        match outbox::list(&state.db, status, kind, request.limit, request.offset).await {
            Ok(found) => found,
            Err(err) => return errors::from_domain(req, err.into()),
        };
    let view = SmsPage {
        layout: admin.layout(a.nav_sms),
        a,
        notice: None,
        statuses: SmsStatus::iter()
            .map(|s| Choice {
                selected: s.to_value() == status_key,
                label: key_words(&s.to_value()),
                value: s.to_value(),
            })
            .collect(),
        kinds: SmsKind::iter()
            .map(|k| Choice {
                selected: k.to_value() == kind_key,
                label: key_words(&k.to_value()),
                value: k.to_value(),
            })
            .collect(),
        rows: items
            .into_iter()
            .map(|m| SmsRow {
                created: m.created_at.format("%Y-%m-%d %H:%M").to_string(),
                to: phone::display(&m.recipient),
                body: m.body,
                kind: key_words(&m.kind.to_value()),
                status: key_words(&m.status.to_value()),
                segments: m.segments,
                attempts: m.attempts,
                last_error: m.last_error.unwrap_or_default(),
            })
            .collect(),
        pager: Pager::new(
            "/admin/sms",
            &[("status", status_key), ("kind", kind_key)],
            page_number,
            total,
        ),
    };
    admin.html(StatusCode::OK, &view)
}
