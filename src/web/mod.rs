//! The pages for people, served by the same binary as the API: the certificate check a QR code
//! opens (`/verify/{code}`), the participant's portal (`/portal`) and the trainer's offline
//! register (`/register`).
//!
//! One module per screen ([`verify`], [`portal`], [`register`]); the parts every screen shares
//! are their own modules, ready for more screens (an administrator's console): the layout and
//! response headers ([`page`], `assets/web/templates/base.html`), [`cookies`], [`csrf`],
//! the signed-in person ([`session`]), error pages ([`errors`]), every word shown ([`i18n`]) and
//! the embedded CSS and JavaScript ([`assets`]). Templates are askama, checked when the binary
//! is compiled. Pages are a client of the same services as the API: no rule lives here.

pub mod admin;
pub mod api_session;
pub mod assets;
pub mod catalogue;
pub mod cookies;
pub mod csrf;
pub mod errors;
pub mod i18n;
pub mod page;
pub mod portal;
pub mod portal_evaluation;
pub mod portal_phone;
pub mod register;
pub mod session;
pub mod verify;
pub mod words;

use poem::{
    Request, Response, Route, get, handler, post,
    web::{Data, Form},
};
use serde::Deserialize;

use crate::{services::accounts, state::AppState};

/// Adds the pages' routes to `route`.
pub fn mount(route: Route) -> Route {
    let route = route
        .at("/verify/:code", get(verify::show))
        .at("/portal", get(portal::home))
        .at("/portal/sign-in", post(portal::request_link))
        .at("/portal/link/:token", get(portal::open_link))
        .at(
            "/portal/phone",
            get(portal_phone::phone_form).post(portal_phone::send_code),
        )
        .at("/portal/phone/code", post(portal_phone::enter_code))
        .at("/portal/certificates/:id/pdf", get(portal::certificate_pdf))
        .at("/portal/my-data.json", get(portal::download_my_data))
        .at("/portal/workshops/:id/calendar.ics", get(portal::calendar))
        .at(
            "/portal/workshops/:id/evaluation",
            get(portal_evaluation::form).post(portal_evaluation::submit),
        )
        .at("/catalogue", get(catalogue::list))
        .at("/catalogue/:id", get(catalogue::workshop))
        .at("/catalogue/:id/apply", post(catalogue::apply))
        .at("/catalogue/confirm/:token", get(catalogue::confirm_link))
        .at("/catalogue/code", post(catalogue::confirm_code))
        .at("/register", get(register::home))
        .at("/register/sign-in", post(register::sign_in))
        .at("/register/workshops/:id", get(register::workshop))
        .at("/register/sw.js", get(assets::service_worker))
        .at("/sign-out", post(sign_out))
        .at("/static/:version/:name", get(assets::static_file))
        .at("/favicon.ico", get(assets::favicon));
    admin::mount(route)
}

/// The sign-out form's fields.
#[derive(Debug, Deserialize)]
pub struct SignOutForm {
    csrf: Option<String>,
    next: Option<String>,
}

/// `POST /sign-out`: ends the page session (the same as `POST /api/v1/auth/logout`) and goes
/// back to where the person signed in.
#[handler]
async fn sign_out(
    req: &Request,
    state: Data<&AppState>,
    Form(form): Form<SignOutForm>,
) -> Response {
    if !csrf::verify(req, form.csrf.as_deref(), &state.config.public_url) {
        return errors::form_expired(req);
    }
    if let Some(token) = cookies::read(req, cookies::SESSION) {
        if let Err(err) = accounts::logout(&state.db, &token).await {
            return errors::from_domain(req, err);
        }
        state.auth_cache.forget(&token);
    }
    let next = match form.next.as_deref() {
        Some("/register") => "/register",
        Some("/admin") => "/admin/sign-in",
        _ => "/portal",
    };
    page::see_other(
        next,
        &[cookies::clear(
            cookies::SESSION,
            cookies::secure(&state.config),
        )],
    )
}
