//! The SMS outbox: every SMS with its number, text, status, kind, segments, attempts and last
//! error, beside the mail outbox.

use askama::Template;
use entity::sms_outbox::{SmsKind, SmsStatus};
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Query},
};
use sea_orm::ActiveEnum;
use serde::Deserialize;

use super::{
    Admin, Pager, page_of, words,
    workshops::{Choice, enum_filter, label_in},
};
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
    let (status, statuses) = enum_filter::<SmsStatus>(&status_key, &a.sms_words);
    let (kind, kinds) = enum_filter::<SmsKind>(&kind_key, &a.sms_words);
    let key_words = |key: String| label_in(&a.sms_words, &key);
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
        statuses,
        kinds,
        rows: items
            .into_iter()
            .map(|m| SmsRow {
                created: m.created_at.format("%Y-%m-%d %H:%M").to_string(),
                to: phone::display(&m.recipient),
                body: m.body,
                kind: key_words(m.kind.to_value()),
                status: key_words(m.status.to_value()),
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
