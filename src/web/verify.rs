//! `GET /verify/{code}`: the page a phone shows after scanning a certificate's QR code. Works
//! without script; shows only what the certificate itself prints.

use askama::Template;
use entity::certificate::CertificateStatus;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path},
};

use super::{errors, page, words::Words};
use crate::{
    services::{certificates, sharing},
    state::AppState,
};

/// The path of a code's page (what QR codes and the JSON endpoint's 303 point to).
pub use certificates::verification_path as page_path;

/// The machine-readable record the page links to.
pub fn machine_path(code: &str) -> String {
    format!("/api/v1/verify/{code}?format=json")
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    layout: page::Layout,
    /// For a certificate withdrawn when its holder's data was erased: all the page says.
    withdrawn: Option<String>,
    valid: bool,
    revoked_on: Option<String>,
    holder: String,
    course: String,
    level: String,
    dates: String,
    venue: String,
    number: String,
    signatory: String,
    issued_on: String,
    machine_url: String,
    /// Why it was revoked.
    revocation_reason: Option<String>,
    /// The certificate that replaced it (a reissue).
    replaced_by: Option<Replacement>,
    /// LinkedIn's add-to-profile link, for a certificate that stands.
    linkedin_url: Option<String>,
}

/// The certificate that replaced the one shown.
struct Replacement {
    /// "Replaced by certificate …" in the page's language.
    sentence: String,
    /// Its verification page.
    url: String,
}

#[derive(Template)]
#[template(path = "verify_unknown.html")]
struct UnknownPage {
    layout: page::Layout,
}

/// A date as people read it in English: "2 March 2026" (pages in a participant's language use
/// [`Words::date`]).
pub fn long_date(date: chrono::NaiveDate) -> String {
    super::words::long_date(crate::l10n::Lang::En, date)
}

/// A span of dates in English: "2 – 6 March 2026", or in full when the months differ.
pub fn date_span(start: chrono::NaiveDate, end: chrono::NaiveDate) -> String {
    super::words::date_span(crate::l10n::Lang::En, start, end)
}

/// A workshop level in the words of `w`'s language.
pub fn level_words(w: &Words, level: entity::workshop::Level) -> String {
    match level {
        entity::workshop::Level::Tot => w.t("level-tot"),
        entity::workshop::Level::Cascade => w.t("level-cascade"),
        entity::workshop::Level::Community => w.t("level-community"),
    }
}

/// `GET /verify/{code}`.
#[handler]
pub async fn show(req: &Request, state: Data<&AppState>, Path(code): Path<String>) -> Response {
    let w = Words::for_request(req, None, "/portal");
    // A public page with no form: it sets no cookie.
    let layout =
        page::Layout::new(super::i18n::strings(), w.t("verify-title"), "").with_words(w.clone());
    let cookies: Vec<String> = Vec::new();
    let found = if code.len() > 100 {
        Ok(None)
    } else {
        certificates::find_by_code(&state.db, &code).await
    };
    let c = match found {
        Ok(Some(c)) => c,
        Ok(None) => {
            return w.mark(page::html(
                StatusCode::NOT_FOUND,
                &UnknownPage { layout },
                &cookies,
            ));
        }
        Err(err) => return errors::from_domain(req, err),
    };
    let replaced_by = match certificates::successor(&state.db, &c).await {
        Ok(s) => s.map(|s| Replacement {
            url: page_path(&s.verification_code),
            sentence: w.t_with("verify-replaced-by", &[("number", s.number.into())]),
        }),
        Err(err) => return errors::from_domain(req, err),
    };
    let linkedin_url = if c.status == CertificateStatus::Valid {
        match sharing::share_links(&state.db, state.config.public_url_trimmed(), &c).await {
            Ok(links) => Some(links.linkedin_url),
            Err(err) => return errors::from_domain(req, err),
        }
    } else {
        None
    };
    let withdrawn = (c.status == CertificateStatus::Withdrawn).then(|| w.t("privacy-withdrawn"));
    let view = VerifyPage {
        layout,
        withdrawn,
        valid: c.status == CertificateStatus::Valid,
        revocation_reason: c
            .revoked_reason
            .clone()
            .filter(|_| c.status == CertificateStatus::Revoked),
        replaced_by,
        linkedin_url,
        revoked_on: c.revoked_at.map(|at| {
            w.t_with(
                "verify-revoked-on",
                &[("date", w.date(at.date_naive()).into())],
            )
        }),
        holder: c.holder_name,
        course: c.course_title,
        level: level_words(&w, c.level),
        dates: w.date_span(c.start_date, c.end_date),
        venue: c.venue,
        number: c.number,
        signatory: format!("{}, {}", c.signatory_name, c.signatory_title),
        issued_on: w.date(c.issued_on),
        machine_url: machine_path(&code),
    };
    w.mark(page::html(StatusCode::OK, &view, &cookies))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_spans_read_as_people_write_them() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        assert_eq!(
            date_span(d("2026-03-02"), d("2026-03-06")),
            "2 – 6 March 2026"
        );
        assert_eq!(
            date_span(d("2026-02-26"), d("2026-03-04")),
            "26 February 2026 – 4 March 2026"
        );
        assert_eq!(date_span(d("2026-03-02"), d("2026-03-02")), "2 March 2026");
    }
}
