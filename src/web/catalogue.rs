//! The public catalogue of open workshops (`/catalogue`), each workshop's page with its days
//! and the application form, and the pages that confirm an application (by the emailed link or
//! the SMS code). No script, no sign-in; in English, Shona or Ndebele (`?lang=`, else the
//! browser's `Accept-Language`), with a switch of three links on every page.
//!
//! Caching: the list is the same for everyone who reads a language, so it is `public` for a
//! minute with an `ETag`; a workshop's page carries this browser's form token, so it is
//! `private` for a minute (the browser's own cache only), also with an `ETag`. Both answer 304
//! to a matching `If-None-Match`.

use askama::Template;
use entity::{
    organisation::Province,
    participant::{Gender, TargetGroup},
};
use poem::{
    Request, Response, handler,
    http::{HeaderValue, StatusCode, header},
    web::{Data, Form, Path, Query},
};
use sea_orm::{ActiveEnum, Iterable};
use serde::Deserialize;

use super::{assets, cookies, csrf, errors, page};
use crate::{
    domain::{
        Error, FieldError, application::ApplicationText, consent::NOTICE_EN, language::Lang,
        schedule::local_today,
    },
    l10n::{self, FluentValue},
    services::{
        PageRequest,
        applications::{self as service, CatalogueFilter, NewApplication, PublicWorkshop},
        courses,
    },
    state::AppState,
};

/// Words of one language, looked up by message id from the templates.
pub struct Words(Lang);

impl Words {
    pub fn get(&self, key: &str) -> String {
        l10n::text(self.0, key)
    }
}

/// One link of the language switch.
pub struct LanguageLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What `catalogue_base.html` needs.
pub struct Layout {
    pub t: Words,
    pub lang: &'static str,
    pub title: String,
    /// The site's name and the footer's issuer, in the page's language.
    pub site: String,
    pub issuer: String,
    pub css: &'static str,
    pub languages: Vec<LanguageLink>,
}

impl Layout {
    fn new(lang: Lang, title: String, path: &str) -> Self {
        Self {
            t: Words(lang),
            lang: lang.code(),
            title,
            site: l10n::text(lang, "site-name"),
            issuer: l10n::text(lang, "site-issuer"),
            css: assets::css_url(),
            languages: Lang::ALL
                .into_iter()
                .map(|l| LanguageLink {
                    code: l.code(),
                    name: l.endonym(),
                    href: format!("{path}?lang={}", l.code()),
                    current: l == lang,
                })
                .collect(),
        }
    }
}

/// A choice of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

struct Card {
    id: i64,
    course: String,
    level: String,
    dates: String,
    venue: String,
    province: Option<String>,
    seats: String,
}

#[derive(Template)]
#[template(path = "catalogue_list.html")]
struct ListPage {
    layout: Layout,
    courses: Vec<Choice>,
    provinces: Vec<Choice>,
    workshops: Vec<Card>,
}

struct DayCard {
    title: String,
    topics: String,
}

/// The form's values as sent (shown back after a refusal).
#[derive(Debug, Default, Deserialize)]
pub struct ApplyForm {
    csrf: Option<String>,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    organisation_name: String,
    target_group: Option<String>,
    gender: Option<String>,
    consent: Option<String>,
    /// The honeypot: people never see it, bots fill it in.
    website: Option<String>,
}

#[derive(Template)]
#[template(path = "catalogue_workshop.html")]
struct WorkshopPage {
    layout: Layout,
    id: i64,
    level: String,
    dates: String,
    venue: String,
    province: Option<String>,
    seats: String,
    full: bool,
    open: bool,
    days: Vec<DayCard>,
    csrf: String,
    form: ApplyForm,
    errors: Vec<FieldError>,
    target_groups: Vec<Choice>,
    genders: Vec<Choice>,
    notice: &'static str,
}

impl WorkshopPage {
    /// What is wrong with `field`, in the page's language (the service's rules, said whole).
    fn error_of(&self, field: &str) -> Option<String> {
        let found = self.errors.iter().find(|e| e.field == field)?;
        let key = match field {
            "full_name" => "apply-error-full-name",
            "email" if found.message.starts_with("give ") => "apply-error-contact",
            "email" => "apply-error-email",
            "phone" => "apply-error-phone",
            "organisation_name" => "apply-error-organisation",
            "consent" => "apply-error-consent",
            _ => return Some(found.message.clone()),
        };
        Some(self.layout.t.get(key))
    }
}

#[derive(Template)]
#[template(path = "catalogue_message.html")]
struct MessagePage {
    layout: Layout,
    paragraphs: Vec<String>,
    /// Ask for the SMS code of this application.
    code_for: Option<String>,
    csrf: String,
}

/// The language query parameter every catalogue page takes.
#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

/// The list's filters.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    lang: Option<String>,
    course: Option<String>,
    province: Option<String>,
}

fn negotiate(req: &Request, lang: Option<&str>) -> Lang {
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(None, lang, accept)
}

fn level_words(lang: Lang, level: entity::workshop::Level) -> String {
    l10n::text(lang, &format!("catalogue-level-{}", level.to_value()))
}

fn dates(lang: Lang, w: &entity::workshop::Model) -> String {
    l10n::text_with(
        lang,
        "catalogue-dates",
        &[
            ("start", w.start_date.to_string().into()),
            ("end", w.end_date.to_string().into()),
        ],
    )
}

fn seats(lang: Lang, p: &PublicWorkshop) -> String {
    if p.waitlist_open() {
        l10n::text(lang, "catalogue-waitlist-open")
    } else {
        l10n::text_with(
            lang,
            "catalogue-seats-left",
            &[("count", FluentValue::from(p.seats_left()))],
        )
    }
}

fn province_words(lang: Lang, p: Option<Province>) -> Option<String> {
    p.map(|p| l10n::text_with(lang, "catalogue-province", &[("province", p.name().into())]))
}

fn venue_words(lang: Lang, venue: &str) -> String {
    l10n::text_with(
        lang,
        "catalogue-venue",
        &[("venue", venue.to_owned().into())],
    )
}

fn secure(state: &AppState) -> bool {
    cookies::secure(&state.config)
}

/// Renders `page` with the catalogue's caching: an `ETag` of the body, 304 on a match,
/// `Cache-Control` as given, varying by language.
fn cached(
    req: &Request,
    status: StatusCode,
    page: &impl Template,
    set_cookies: &[String],
    cache: &str,
) -> Response {
    let mut response = page::html(status, page, set_cookies);
    if status != StatusCode::OK {
        return response;
    }
    let body = match page.render() {
        Ok(body) => body,
        Err(_) => return response,
    };
    let etag = service::etag_of(body.as_bytes());
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    if service::matches_etag(if_none_match, &etag) && set_cookies.is_empty() {
        response = page::protect(
            Response::builder()
                .status(StatusCode::NOT_MODIFIED)
                .finish(),
        );
    }
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(cache) {
        headers.insert(header::CACHE_CONTROL, v);
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    response
}

/// `GET /catalogue`: the open workshops, filtered by course and province.
#[handler]
pub async fn list(req: &Request, state: Data<&AppState>, Query(q): Query<ListQuery>) -> Response {
    let lang = negotiate(req, q.lang.as_deref());
    let province = q
        .province
        .as_deref()
        .and_then(|p| Province::iter().find(|v| v.to_value() == p));
    let course = q.course.clone().filter(|c| !c.trim().is_empty());
    let filter = CatalogueFilter {
        course: course.clone(),
        province,
        from: None,
    };
    let found = match service::catalogue(&state.db, &filter, local_today()).await {
        Ok(found) => found,
        Err(err) => return errors::from_domain(req, err),
    };
    let all_courses = match courses::list(
        &state.db,
        PageRequest {
            limit: 200,
            offset: 0,
        },
    )
    .await
    {
        Ok(page) => page.items,
        Err(err) => return errors::from_domain(req, err),
    };
    let workshops = found
        .iter()
        .map(|p| Card {
            id: p.workshop.id,
            course: format!("{} ({})", p.course.title, p.course.code),
            level: level_words(lang, p.workshop.level),
            dates: dates(lang, &p.workshop),
            venue: venue_words(lang, &p.workshop.venue),
            province: province_words(lang, p.province),
            seats: seats(lang, p),
        })
        .collect();
    let page = ListPage {
        layout: Layout::new(lang, l10n::text(lang, "catalogue-title"), "/catalogue"),
        courses: all_courses
            .into_iter()
            .map(|c| Choice {
                selected: course
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(&c.code)),
                value: c.code.clone(),
                label: format!("{} ({})", c.title, c.code),
            })
            .collect(),
        provinces: Province::iter()
            .map(|p| Choice {
                value: p.to_value(),
                label: p.name().to_owned(),
                selected: Some(p) == province,
            })
            .collect(),
        workshops,
    };
    cached(
        req,
        StatusCode::OK,
        &page,
        &[],
        &service::catalogue_cache_control(),
    )
}

fn target_choices(lang: Lang, selected: Option<&str>) -> Vec<Choice> {
    TargetGroup::iter()
        .map(|g| Choice {
            value: g.to_value(),
            label: l10n::text(lang, &format!("target-{}", g.to_value())),
            selected: selected == Some(g.to_value().as_str()),
        })
        .collect()
}

fn gender_choices(lang: Lang, selected: Option<&str>) -> Vec<Choice> {
    let mut choices = vec![Choice {
        value: String::new(),
        label: l10n::text(lang, "apply-gender-none"),
        selected: selected.is_none_or(str::is_empty),
    }];
    choices.extend(
        [Gender::Female, Gender::Male, Gender::Other].map(|g| Choice {
            value: g.to_value(),
            label: l10n::text(lang, &format!("gender-{}", g.to_value())),
            selected: selected == Some(g.to_value().as_str()),
        }),
    );
    choices
}

async fn workshop_page(
    req: &Request,
    state: &AppState,
    id: i64,
    lang: Lang,
    form: ApplyForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let (public, view) = match service::public_workshop(&state.db, id).await {
        Ok(found) => found,
        Err(err) => return errors::from_domain(req, err),
    };
    let token = csrf::token(req, secure(state));
    let cookies: Vec<String> = token.set_cookie.into_iter().collect();
    let open = public.workshop.public
        && public.workshop.status == entity::workshop::Status::Scheduled
        && public.workshop.start_date > local_today();
    let page = WorkshopPage {
        layout: Layout::new(
            lang,
            format!("{} ({})", public.course.title, public.course.code),
            &format!("/catalogue/{id}"),
        ),
        id,
        level: level_words(lang, public.workshop.level),
        dates: dates(lang, &public.workshop),
        venue: venue_words(lang, &public.workshop.venue),
        province: province_words(lang, public.province),
        seats: seats(lang, &public),
        full: public.waitlist_open(),
        open,
        days: view
            .days
            .iter()
            .map(|d| DayCard {
                title: l10n::text_with(
                    lang,
                    "catalogue-day",
                    &[("day", d.day.into()), ("date", d.date.to_string().into())],
                ),
                topics: if d.topics.is_empty() {
                    l10n::text(lang, "catalogue-practice")
                } else {
                    d.topics.join("; ")
                },
            })
            .collect(),
        csrf: token.value,
        target_groups: target_choices(lang, form.target_group.as_deref()),
        genders: gender_choices(lang, form.gender.as_deref()),
        form,
        errors,
        notice: NOTICE_EN,
    };
    cached(req, status, &page, &cookies, "private, max-age=60")
}

/// `GET /catalogue/{id}`: a public workshop's days, venue, seats and the application form.
#[handler]
pub async fn workshop(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = negotiate(req, q.lang.as_deref());
    workshop_page(
        req,
        &state,
        id,
        lang,
        ApplyForm::default(),
        vec![],
        StatusCode::OK,
    )
    .await
}

fn message(
    req: &Request,
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    title_key: &str,
    paragraphs: Vec<String>,
    code_for: Option<String>,
) -> Response {
    let token = csrf::token(req, secure(state));
    let cookies: Vec<String> = token.set_cookie.into_iter().collect();
    let page = MessagePage {
        layout: Layout::new(lang, l10n::text(lang, title_key), "/catalogue"),
        paragraphs,
        code_for,
        csrf: token.value,
    };
    page::html(status, &page, &cookies)
}

/// `POST /catalogue/{id}/apply`: the application form, as `POST
/// /api/v1/public/workshops/{id}/applications`. A filled-in honeypot gets the same answer as
/// a person and nothing is stored.
#[handler]
pub async fn apply(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    Form(form): Form<ApplyForm>,
) -> Response {
    if !csrf::verify(req, form.csrf.as_deref(), &state.config.public_url) {
        return errors::form_expired(req);
    }
    let lang = negotiate(req, q.lang.as_deref());
    let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    if form
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        tracing::info!(
            workshop_id = id,
            "an application filled in the honeypot: dropped"
        );
        let mut paragraphs = vec![];
        if let Some(email) = given(&form.email) {
            paragraphs.push(l10n::text_with(
                lang,
                "applied-email",
                &[("email", email.into())],
            ));
        }
        return message(
            req,
            &state,
            lang,
            StatusCode::OK,
            "applied-title",
            paragraphs,
            None,
        );
    }
    let target_group = form
        .target_group
        .as_deref()
        .and_then(|g| TargetGroup::iter().find(|v| v.to_value() == g));
    let gender = form
        .gender
        .as_deref()
        .and_then(|g| Gender::iter().find(|v| v.to_value() == g));
    let Some(target_group) = target_group else {
        let errors = vec![FieldError::new("target_group", "choose one")];
        return workshop_page(
            req,
            &state,
            id,
            lang,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let new = NewApplication {
        text: ApplicationText {
            full_name: form.full_name.clone(),
            email: given(&form.email),
            phone: given(&form.phone),
            organisation_name: given(&form.organisation_name),
            consent: Some(form.consent.is_some()),
        },
        target_group,
        gender,
        lang,
    };
    let address = crate::forwarded::client_ip(req);
    let outcome = service::apply(
        &state.db,
        &state.sign_in.throttle,
        id,
        new,
        address.as_deref(),
        state.application_clock.now(),
        local_today(),
        state.config.public_url_trimmed(),
    )
    .await;
    match outcome {
        Ok(applied) => {
            let a = &applied.application;
            let mut paragraphs = vec![];
            if let Some(email) = &a.email {
                paragraphs.push(l10n::text_with(
                    lang,
                    "applied-email",
                    &[("email", email.clone().into())],
                ));
            } else if let Some(phone) = &a.phone {
                paragraphs.push(l10n::text_with(
                    lang,
                    "applied-phone",
                    &[("phone", phone.clone().into())],
                ));
            }
            paragraphs.push(l10n::text_with(
                lang,
                "applied-reference",
                &[("reference", a.reference.clone().into())],
            ));
            if applied.waitlist_open {
                paragraphs.push(l10n::text(lang, "applied-waitlist"));
            }
            let code_for = (a.email.is_none()).then(|| a.reference.clone());
            message(
                req,
                &state,
                lang,
                StatusCode::ACCEPTED,
                "applied-title",
                paragraphs,
                code_for,
            )
        }
        Err(Error::Invalid(errors)) => {
            workshop_page(
                req,
                &state,
                id,
                lang,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(Error::Conflict(_)) => message(
            req,
            &state,
            lang,
            StatusCode::CONFLICT,
            "apply-title",
            vec![l10n::text(lang, "catalogue-closed")],
            None,
        ),
        Err(Error::TooManyAttempts { retry_after }) => {
            let mut response = message(
                req,
                &state,
                lang,
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-title",
                vec![l10n::text(lang, "too-many-text")],
                None,
            );
            if let Ok(v) = HeaderValue::from_str(&retry_after.as_secs().max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            response
        }
        Err(err) => errors::from_domain(req, err),
    }
}

fn confirmed_page(
    req: &Request,
    state: &AppState,
    lang: Lang,
    confirmed: Option<service::Confirmed>,
    code_for: Option<String>,
) -> Response {
    match confirmed {
        Some(c) => message(
            req,
            state,
            lang,
            StatusCode::OK,
            "confirmed-title",
            vec![l10n::text_with(
                lang,
                "confirmed-text",
                &[
                    ("reference", c.application.reference.into()),
                    ("course", c.course_title.into()),
                ],
            )],
            None,
        ),
        None if code_for.is_some() => message(
            req,
            state,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            "catalogue-code-title",
            vec![l10n::text(lang, "catalogue-code-wrong")],
            code_for,
        ),
        None => message(
            req,
            state,
            lang,
            StatusCode::NOT_FOUND,
            "confirm-invalid-title",
            vec![l10n::text(lang, "confirm-invalid-text")],
            None,
        ),
    }
}

/// `GET /catalogue/confirm/{token}`: the emailed link confirms the application. (Opening it is
/// the confirmation: a mail scanner that opens it confirms an application its owner made.)
#[handler]
pub async fn confirm_link(
    req: &Request,
    state: Data<&AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let outcome = service::confirm_by_link(&state.db, &token, state.application_clock.now()).await;
    match outcome {
        Ok(confirmed) => {
            let lang = match &confirmed {
                Some(c) => Lang::parse(&c.application.language).unwrap_or_default(),
                None => negotiate(req, q.lang.as_deref()),
            };
            confirmed_page(req, &state, lang, confirmed, None)
        }
        Err(err) => errors::from_domain(req, err),
    }
}

/// The code form's fields.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    csrf: Option<String>,
    reference: String,
    code: String,
}

/// `POST /catalogue/code`: confirms an application by the code sent by SMS.
#[handler]
pub async fn confirm_code(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<LangQuery>,
    Form(form): Form<CodeForm>,
) -> Response {
    if !csrf::verify(req, form.csrf.as_deref(), &state.config.public_url) {
        return errors::form_expired(req);
    }
    let lang = negotiate(req, q.lang.as_deref());
    let reference: String = form.reference.trim().chars().take(32).collect();
    match service::confirm_by_code(
        &state.db,
        &reference,
        &form.code,
        state.application_clock.now(),
    )
    .await
    {
        Ok(confirmed) => confirmed_page(req, &state, lang, confirmed, Some(reference)),
        Err(err) => errors::from_domain(req, err),
    }
}
