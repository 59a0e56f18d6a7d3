//! The administrator's console (`/admin`): the dashboard, workshops, participants,
//! certificates, reports with charts, the outbox, the audit log, users and API keys, and the
//! review of applications for public workshops.
//!
//! One module per screen. Every page takes the guard [`Admin`] (or [`AdminForm`] for a form sent
//! to it) as a parameter, as the API's operations take theirs: no session is a redirect to the
//! sign-in page, anyone but an administrator gets a 403 page, and a form without this browser's
//! CSRF token is refused before anything else.
//! Pages call the same services as the API; a refusal comes back as the service's
//! [`crate::domain::Error`] and is shown next to the field it names ([`FieldErrors`]).

pub mod applications;
pub mod audit;
pub mod certificates;
pub mod charts;
pub mod confirm;
pub mod dashboard;
pub mod downloads;
pub mod outbox;
pub mod paper_evaluation;
pub mod participants;
pub mod reports;
pub mod sign_in;
pub mod sms;
pub mod users;
pub mod webhooks;
pub mod workshop;
pub mod workshops;

use poem::{FromRequest, Request, RequestBody, Response, Route, get, http::StatusCode, post};
use serde::{Deserialize, de::DeserializeOwned};

use super::{
    cookies, csrf, errors,
    i18n::{self, AdminStrings},
    page,
    session::{self, SignedIn},
};
use crate::{
    domain::{Error, FieldError},
    state::AppState,
};

/// Every page of the console that a `GET` opens (without ids), for tests and the benchmark.
pub const PAGES: [&str; 13] = [
    "/admin",
    "/admin/workshops",
    "/admin/workshops/new",
    "/admin/participants",
    "/admin/participants/new",
    "/admin/certificates",
    "/admin/reports",
    "/admin/outbox",
    "/admin/sms",
    "/admin/audit",
    "/admin/users",
    "/admin/webhooks",
    "/admin/applications",
];

/// Adds the console's routes to `route`.
pub fn mount(route: Route) -> Route {
    route
        .at("/admin", get(dashboard::show))
        .at("/admin/sign-in", get(sign_in::show).post(sign_in::submit))
        .at("/admin/workshops", get(workshops::list))
        .at(
            "/admin/workshops/new",
            get(workshops::new_form).post(workshops::schedule),
        )
        .at("/admin/workshops/:id", get(workshop::show))
        .at("/admin/workshops/:id/status", post(workshop::change_status))
        .at("/admin/workshops/:id/enrol", post(workshop::enrol))
        .at("/admin/workshops/:id/withdraw", post(workshop::withdraw))
        .at(
            "/admin/workshops/:id/certificates",
            post(workshop::issue_certificates),
        )
        .at(
            "/admin/workshops/:id/certificates/reissue",
            post(workshop::reissue_certificates),
        )
        .at("/admin/workshops/:id/cascade", get(reports::cascade_tree))
        .at(
            "/admin/participants",
            get(participants::list).post(participants::import_csv),
        )
        .at(
            "/admin/participants/new",
            get(participants::new_form).post(participants::create),
        )
        .at(
            "/admin/participants/:id",
            get(participants::edit_form).post(participants::update),
        )
        .at("/admin/certificates", get(certificates::list))
        .at("/admin/certificates/:id", get(certificates::show))
        .at("/admin/certificates/:id/revoke", post(certificates::revoke))
        .at("/admin/certificates/:id/email", post(certificates::email))
        .at(
            "/admin/certificates/:id/reissue",
            post(certificates::reissue),
        )
        .at("/admin/reports", get(reports::summary))
        .at("/admin/reports/months.csv", get(reports::months_csv_file))
        .at("/admin/outbox", get(outbox::list))
        .at("/admin/sms", get(sms::list))
        .at("/admin/outbox/:id/resend", post(outbox::resend))
        .at("/admin/audit", get(audit::list))
        .at("/admin/users", get(users::list).post(users::create_user))
        .at("/admin/users/:id/active", post(users::set_active))
        .at("/admin/api-keys", post(users::create_key))
        .at("/admin/api-keys/:id/revoke", post(users::revoke_key))
        .at(
            "/admin/webhooks",
            get(webhooks::list).post(webhooks::create),
        )
        .at("/admin/webhooks/:id", get(webhooks::show))
        .at("/admin/webhooks/:id/active", post(webhooks::set_active))
        .at(
            "/admin/webhooks/:id/deliveries/:delivery_id/retry",
            post(webhooks::retry),
        )
        .at("/admin/download/*path", get(downloads::download))
        .at("/admin/applications", get(applications::list))
        .at(
            "/admin/applications/accept-selected",
            post(applications::accept_selected),
        )
        .at("/admin/applications/:id/accept", post(applications::accept))
        .at(
            "/admin/applications/:id/decline",
            post(applications::decline),
        )
        .at(
            "/admin/workshops/:id/paper-evaluation",
            get(paper_evaluation::show).post(paper_evaluation::submit),
        )
        .at("/admin/participants/:id/erase", post(participants::erase))
}

/// A signed-in administrator on a console page, with this browser's CSRF token.
pub struct Admin {
    pub who: SignedIn,
    pub csrf: String,
    pub set_cookies: Vec<String>,
}

impl Admin {
    /// The layout of a console page titled `title`.
    pub fn layout(&self, title: impl Into<String>) -> page::Layout {
        let mut layout = page::Layout::new(i18n::strings(), title, &self.csrf);
        layout.signed_in = Some(self.who.name());
        layout.home = "/admin";
        layout
    }

    /// How the administrator is recorded in the audit log.
    pub fn actor(&self) -> crate::domain::access::Actor {
        self.who.principal.actor()
    }

    /// A rendered page with this browser's cookies.
    pub fn html(&self, status: StatusCode, page: &impl askama::Template) -> Response {
        page::html(status, page, &self.set_cookies)
    }
}

/// The console's words.
pub fn words() -> &'static AdminStrings {
    i18n::strings().admin
}

impl<'a> FromRequest<'a> for Admin {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        require(req, state_of(req)?)
            .await
            .map_err(poem::Error::from_response)
    }
}

/// A form sent to a console page by a signed-in administrator, read as `T`: the guard checks
/// this browser's CSRF token (the form's `csrf` field) before anything else, then the session,
/// and only then reads the form.
pub struct AdminForm<T>(pub Admin, pub T);

impl<'a, T: DeserializeOwned> FromRequest<'a> for AdminForm<T> {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        #[derive(Deserialize)]
        struct Csrf {
            csrf: Option<String>,
        }
        // A console form is what a browser sends for `<form method="post">`; anything else (a
        // JSON body, say) is refused before it is read, as poem's `Form` would.
        let is_form = req.content_type().is_some_and(|t| {
            t.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
        if !is_form {
            return Err(poem::Error::from_string(
                "a console form is sent as application/x-www-form-urlencoded",
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ));
        }
        let state = state_of(req)?;
        let bytes = body.take()?.into_bytes().await?;
        let unreadable = |err: serde_urlencoded::de::Error| {
            poem::Error::from_string(
                format!("the form could not be read: {err}"),
                StatusCode::BAD_REQUEST,
            )
        };
        let sent: Csrf = serde_urlencoded::from_bytes(&bytes).map_err(unreadable)?;
        let admin = require_form(req, state, sent.csrf.as_deref())
            .await
            .map_err(poem::Error::from_response)?;
        let form = serde_urlencoded::from_bytes(&bytes).map_err(unreadable)?;
        Ok(AdminForm(admin, form))
    }
}

fn state_of(req: &Request) -> poem::Result<&AppState> {
    req.data::<AppState>()
        .ok_or_else(|| poem::Error::from_response(errors::internal(req, "no application state")))
}

/// The administrator signed in with this request, or the response to send instead: a redirect
/// to the sign-in page without a session, a 403 page for anyone else. Handlers take [`Admin`]
/// or [`AdminForm`], which call this.
async fn require(req: &Request, state: &AppState) -> Result<Admin, Response> {
    let who = match session::signed_in(req, state).await {
        Ok(Some(who)) => who,
        Ok(None) => return Err(page::see_other("/admin/sign-in", &[])),
        Err(err) => return Err(errors::from_domain(req, err)),
    };
    if !who.principal.is_admin() {
        return Err(errors::forbidden(req, words().forbidden));
    }
    let token = csrf::token(req, cookies::secure(&state.config));
    Ok(Admin {
        who,
        csrf: token.value,
        set_cookies: token.set_cookie.into_iter().collect(),
    })
}

/// [`require`] for a form sent to the console: its CSRF token must match first.
async fn require_form(
    req: &Request,
    state: &AppState,
    sent: Option<&str>,
) -> Result<Admin, Response> {
    if !csrf::verify(req, sent, &state.config.public_url) {
        return Err(errors::form_expired(req));
    }
    require(req, state).await
}

/// What is wrong with a form, by field (as the form names them), and what concerns it as a
/// whole.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors {
    fields: Vec<(String, String)>,
    pub general: Vec<String>,
}

impl FieldErrors {
    /// Replaces the message of `field` when it is `generic` (a service's bare "must not be
    /// empty") with words that name the field.
    pub fn reword(&mut self, field: &str, generic: &str, words: &str) {
        for (f, m) in &mut self.fields {
            if f == field && m == generic {
                *m = words.to_owned();
            }
        }
    }

    /// The form field a service's field name belongs to (`trainer_ids[2]` → `trainer_ids`).
    fn form_field(field: &str) -> &str {
        field.split('[').next().unwrap_or(field)
    }

    /// Adds a problem with `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields
            .push((Self::form_field(field).to_owned(), message.into()));
    }

    /// Adds the service's field errors.
    pub fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        for e in errors {
            self.add(&e.field, e.message);
        }
    }

    /// The problems with `field`, joined, if any.
    pub fn of(&self, field: &str) -> Option<String> {
        let found: Vec<&str> = self
            .fields
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect();
        (!found.is_empty()).then(|| found.join("; "))
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    /// A service refusal as problems to show: invalid values against their fields, a conflict
    /// as a sentence about the whole form. Anything else (a missing record, a database failure)
    /// is handed back.
    pub fn from_error(err: Error) -> Result<Self, Error> {
        let mut errors = Self::default();
        match err {
            Error::Invalid(fields) => errors.extend(fields),
            Error::Conflict(message) => errors.general.push(message),
            other => return Err(other),
        }
        Ok(errors)
    }
}

/// A whole number typed into `field` (blank: none), or a problem with it.
pub fn parse_id(field: &str, value: Option<&str>, errors: &mut FieldErrors) -> Option<i64> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match value.parse::<i64>() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.add(field, words().whole_number);
            None
        }
    }
}

/// A date typed into `field` (blank: none), or a problem with it.
pub fn parse_date(
    field: &str,
    value: Option<&str>,
    errors: &mut FieldErrors,
) -> Option<chrono::NaiveDate> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match value.parse() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.add(field, words().date_format);
            None
        }
    }
}

/// A page of 50 rows: the page number asked for (from 1) and the slice it means.
pub fn page_of(page: Option<u64>) -> (u64, crate::services::PageRequest) {
    let page = page.unwrap_or(1).max(1);
    (
        page,
        crate::services::PageRequest {
            limit: 50,
            offset: (page - 1).saturating_mul(50),
        },
    )
}

/// The pages of a list: links to the previous and next page, keeping `query`.
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    /// Whether the total is known (a search may only know whether there is more).
    pub counted: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(path: &str, query: &[(&str, String)], page: u64, total: u64) -> Self {
        let pages = total.div_ceil(50).max(1);
        let link = |p: u64| {
            let mut pairs: Vec<String> = query
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k}={}", encode(v)))
                .collect();
            pairs.push(format!("page={p}"));
            format!("{path}?{}", pairs.join("&"))
        };
        Self {
            page,
            pages,
            total,
            counted: true,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }

    /// The pages of a list whose total is not counted: `more` says whether a next page exists.
    pub fn open_ended(path: &str, query: &[(&str, String)], page: u64, more: bool) -> Self {
        let mut pager = Self::new(path, query, page, (page + u64::from(more)) * 50);
        pager.counted = false;
        pager
    }
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The words for a workshop's status.
pub fn status_words(status: entity::workshop::Status) -> &'static str {
    use entity::workshop::Status::*;
    let a = words();
    match status {
        Scheduled => a.status_scheduled,
        InProgress => a.status_in_progress,
        Completed => a.status_completed,
        Cancelled => a.status_cancelled,
    }
}

/// The short words for a workshop's level.
pub fn level_short(level: entity::workshop::Level) -> &'static str {
    use entity::workshop::Level::*;
    let a = words();
    match level {
        Tot => a.level_tot,
        Cascade => a.level_cascade,
        Community => a.level_community,
    }
}

/// A date as the console shows it in tables: `2026-03-02`.
pub fn iso(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_field_error_lands_on_its_form_field() {
        let errors = FieldErrors::from_error(Error::Invalid(vec![
            FieldError::new("trainer_ids[1]", "user 9 is not a trainer"),
            FieldError::new("venue", "must not be empty"),
            FieldError::new("trainer_ids[2]", "is listed twice"),
        ]))
        .unwrap();
        assert_eq!(
            errors.of("trainer_ids").as_deref(),
            Some("user 9 is not a trainer; is listed twice")
        );
        assert_eq!(errors.of("venue").as_deref(), Some("must not be empty"));
        assert_eq!(errors.of("capacity"), None);
        let conflict = FieldErrors::from_error(Error::Conflict("full".into())).unwrap();
        assert_eq!(conflict.general, ["full"]);
        assert!(FieldErrors::from_error(Error::Forbidden("no".into())).is_err());
    }

    #[test]
    fn pager_links_keep_the_filters_and_encode_them() {
        let pager = Pager::new(
            "/admin/participants",
            &[("q", "Zoë & co".into()), ("x", String::new())],
            2,
            120,
        );
        assert_eq!(pager.pages, 3);
        assert_eq!(
            pager.prev.as_deref(),
            Some("/admin/participants?q=Zo%C3%AB%20%26%20co&page=1")
        );
        assert!(pager.next.unwrap().ends_with("page=3"));
    }
}
