//! The audit log: who changed what, with the record before and after, filtered by entity.

use askama::Template;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Query},
};
use serde::Deserialize;

use super::{Admin, FieldErrors, Pager, page_of, parse_id, words};
use crate::{
    services::audit::{self, AuditFilter},
    state::AppState,
    web::{errors, i18n::AdminStrings, page},
};

struct EntryRow {
    at: String,
    actor: String,
    entity: String,
    entity_id: i64,
    action: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    entity: String,
    entity_id: String,
    rows: Vec<EntryRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    page: Option<u64>,
}

fn json_text(value: Option<serde_json::Value>) -> String {
    value
        .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
        .unwrap_or_default()
}

/// `GET /admin/audit?entity=&entity_id=`: newest first.
#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<AuditQuery>,
    admin: Admin,
) -> Response {
    let a = words();
    let mut errors = FieldErrors::default();
    let entity = q.entity.clone().unwrap_or_default().trim().to_owned();
    let entity_id = parse_id("entity_id", q.entity_id.as_deref(), &mut errors);
    let (page_number, request) = page_of(q.page);
    let found = match audit::list(
        &state.db,
        AuditFilter {
            entity: Some(entity.clone()).filter(|e| !e.is_empty()),
            entity_id,
        },
        request,
    )
    .await
    {
        Ok(found) => found,
        Err(err) => return errors::from_domain(req, err),
    };
    let entity_id_text = q.entity_id.clone().unwrap_or_default();
    let page = AuditPage {
        layout: admin.layout(a.nav_audit),
        a,
        notice: None,
        pager: Pager::new(
            "/admin/audit",
            &[
                ("entity", entity.clone()),
                ("entity_id", entity_id_text.clone()),
            ],
            page_number,
            found.total,
        ),
        rows: found
            .items
            .into_iter()
            .map(|e| EntryRow {
                at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                actor: e.actor_label,
                entity: e.entity,
                entity_id: e.entity_id,
                action: e.action,
                before: json_text(e.before),
                after: json_text(e.after),
            })
            .collect(),
        entity,
        entity_id: entity_id_text,
        errors,
    };
    admin.html(StatusCode::OK, &page)
}
