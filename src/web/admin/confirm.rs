//! The second step of a destructive action (withdraw, cancel a workshop, revoke a certificate,
//! deactivate a user, revoke a key): the first press of the button shows what will happen — who
//! is promoted, how many people are mailed — on a page of its own, with a form that does it
//! (`confirm=yes`) and a way back. Plain HTML: no script needed.

use askama::Template;
use poem::{Response, http::StatusCode};

use super::{Admin, words};
use crate::web::i18n::AdminStrings;

#[derive(Template)]
#[template(path = "admin_confirm.html")]
struct ConfirmPage {
    layout: crate::web::page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    question: String,
    consequences: Vec<String>,
    action: String,
    fields: Vec<(String, String)>,
    button: &'static str,
    back: String,
}

/// What to ask before acting.
pub struct Confirm {
    /// "Withdraw Tendai Moyo?"
    pub question: String,
    /// One sentence per consequence.
    pub consequences: Vec<String>,
    /// Where the confirmed form goes (the same action).
    pub action: String,
    /// The form's own fields, sent again with `confirm=yes`.
    pub fields: Vec<(String, String)>,
    /// The button that does it.
    pub button: &'static str,
    /// Where "keep it as it is" goes.
    pub back: String,
}

/// Whether a form was confirmed (`confirm=yes`).
pub fn confirmed(value: Option<&str>) -> bool {
    value == Some("yes")
}

/// The confirmation page.
pub fn page(admin: &Admin, title: &str, confirm: Confirm) -> Response {
    let a = words();
    admin.html(
        StatusCode::OK,
        &ConfirmPage {
            layout: admin.layout(title),
            a,
            notice: None,
            question: confirm.question,
            consequences: confirm.consequences,
            action: confirm.action,
            fields: confirm.fields,
            button: confirm.button,
            back: confirm.back,
        },
    )
}
