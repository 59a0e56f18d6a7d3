//! The portal's second way in, for participants with a phone and no email: a phone form, then
//! a code form (no script needed), signing in to the same portal session as the emailed link.
//! Words from `phone.ftl`, in the language of `?lang=` or the browser.

use askama::Template;
use poem::{
    Request, Response, handler,
    http::{StatusCode, header},
    web::{Data, Form},
};
use serde::Deserialize;

use super::{cookies, csrf, errors, i18n, page, session, words::Words as PageWords};
use crate::{
    domain::{Error, language::Lang},
    l10n::{text, text_with},
    services::sign_in::LinkRequest,
    state::AppState,
};

/// The words of both forms, in one language.
struct Words {
    lang: &'static str,
    intro: String,
    phone_label: String,
    send: String,
    email_instead: String,
    code_label: String,
    submit: String,
    again: String,
}

impl Words {
    fn of(lang: Lang) -> Self {
        Self {
            lang: lang.code(),
            intro: text(lang, "phone-intro"),
            phone_label: text(lang, "phone-label"),
            send: text(lang, "phone-send"),
            email_instead: text(lang, "phone-email-instead"),
            code_label: text(lang, "code-label"),
            submit: text(lang, "code-submit"),
            again: text(lang, "code-again"),
        }
    }
}

#[derive(Template)]
#[template(path = "portal_phone.html")]
struct PhonePage {
    layout: page::Layout,
    w: Words,
    phone: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_code.html")]
struct CodePage {
    layout: page::Layout,
    w: Words,
    phone: String,
    sent: Option<String>,
    error: Option<String>,
}

/// The page's language: `?lang=` (or the form's `lang`), else the browser's, else English.
fn language(req: &Request, asked: Option<&str>) -> Lang {
    let query = req.uri().query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned())
    });
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(None, asked.or(query.as_deref()), accept)
}

/// The layout in `lang` (`<html lang>`, the footer, the switch back to the phone form).
fn layout(
    req: &Request,
    state: &AppState,
    lang: Lang,
    title: String,
) -> (page::Layout, Vec<String>) {
    let token = csrf::token(req, cookies::secure(&state.config));
    let cookies = token.set_cookie.clone().into_iter().collect();
    let w = PageWords::chosen(req, lang, "/portal/phone");
    (
        page::Layout::new(i18n::strings(), title, &token.value).with_words(w),
        cookies,
    )
}

fn phone_page(
    req: &Request,
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    phone: String,
    error: Option<String>,
) -> Response {
    let (layout, cookies) = layout(req, state, lang, text(lang, "phone-title"));
    let w = layout.w.clone();
    let view = PhonePage {
        layout,
        w: Words::of(lang),
        phone,
        error,
    };
    w.mark(page::html(status, &view, &cookies))
}

fn code_page(
    req: &Request,
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    phone: String,
    error: Option<String>,
) -> Response {
    let (layout, cookies) = layout(req, state, lang, text(lang, "code-title"));
    let w = layout.w.clone();
    let sent = error
        .is_none()
        .then(|| text_with(lang, "code-sent", &[("phone", phone.clone().into())]));
    let view = CodePage {
        layout,
        w: Words::of(lang),
        phone,
        sent,
        error,
    };
    w.mark(page::html(status, &view, &cookies))
}

/// `GET /portal/phone`: the phone form.
#[handler]
pub async fn phone_form(req: &Request, state: Data<&AppState>) -> Response {
    phone_page(
        req,
        &state,
        language(req, None),
        StatusCode::OK,
        String::new(),
        None,
    )
}

/// The phone form's fields.
#[derive(Debug, Deserialize)]
pub struct PhoneForm {
    csrf: Option<String>,
    lang: Option<String>,
    phone: String,
}

/// `POST /portal/phone`: asks for a code (the same service and throttle as
/// `POST /api/v1/auth/sms-code`), then shows the code form.
#[handler]
pub async fn send_code(
    req: &Request,
    state: Data<&AppState>,
    Form(form): Form<PhoneForm>,
) -> Response {
    if !csrf::verify(req, form.csrf.as_deref(), &state.config.public_url) {
        return errors::form_expired(req);
    }
    let lang = language(req, form.lang.as_deref());
    let address = crate::forwarded::client_ip(req);
    let phone: String = form.phone.trim().chars().take(32).collect();
    match state
        .sign_in
        .sms_code(&state.db, &phone, address.as_deref())
        .await
    {
        Ok(LinkRequest::Accepted) => code_page(req, &state, lang, StatusCode::OK, phone, None),
        Err(Error::Invalid(_)) => phone_page(
            req,
            &state,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            phone,
            Some(text(lang, "phone-invalid")),
        ),
        Err(err) => errors::from_domain(req, err),
    }
}

/// The code form's fields.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    csrf: Option<String>,
    lang: Option<String>,
    phone: String,
    code: String,
}

/// `POST /portal/phone/code`: checks the code; on success signs in and goes to `/portal`.
#[handler]
pub async fn enter_code(
    req: &Request,
    state: Data<&AppState>,
    Form(form): Form<CodeForm>,
) -> Response {
    if !csrf::verify(req, form.csrf.as_deref(), &state.config.public_url) {
        return errors::form_expired(req);
    }
    let lang = language(req, form.lang.as_deref());
    let address = crate::forwarded::client_ip(req);
    let phone: String = form.phone.trim().chars().take(32).collect();
    match state
        .sign_in
        .verify_sms_code(&state.db, &phone, &form.code, address.as_deref())
        .await
    {
        Ok(Some(login)) => page::see_other(
            "/portal",
            &[session::cookie_for(
                &login.token,
                cookies::secure(&state.config),
            )],
        ),
        Ok(None) => code_page(
            req,
            &state,
            lang,
            StatusCode::UNAUTHORIZED,
            phone,
            Some(text(lang, "code-wrong")),
        ),
        Err(err) => errors::from_domain(req, err),
    }
}
