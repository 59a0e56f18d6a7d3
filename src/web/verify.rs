//! `GET /verify/{code}`: the page a phone shows after scanning a certificate's QR code. Works
//! without script; shows only what the certificate itself prints.

use askama::Template;
use entity::certificate::CertificateStatus;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path},
};

use super::{errors, i18n, page};
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
    level: &'static str,
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
    number: String,
    /// Its verification page.
    url: String,
}

#[derive(Template)]
#[template(path = "verify_unknown.html")]
struct UnknownPage {
    layout: page::Layout,
}

/// A date as people read it: "2 March 2026".
pub fn long_date(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A span of dates: "2 – 6 March 2026", or in full when the months differ.
pub fn date_span(start: chrono::NaiveDate, end: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if start == end {
        long_date(start)
    } else if start.year() == end.year() && start.month() == end.month() {
        format!("{} – {}", start.day(), long_date(end))
    } else {
        format!("{} – {}", long_date(start), long_date(end))
    }
}

/// The language a public page speaks: `?lang=`, else `Accept-Language`, else English.
pub(super) fn request_lang(req: &Request) -> crate::l10n::Lang {
    let query = req.uri().query().and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("lang="))
            .map(str::to_owned)
    });
    let accept = req
        .headers()
        .get(poem::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    crate::l10n::Lang::negotiate(None, query.as_deref(), accept)
}

/// `GET /verify/{code}`.
#[handler]
pub async fn show(req: &Request, state: Data<&AppState>, Path(code): Path<String>) -> Response {
    let t = i18n::strings();
    // A public page with no form: it sets no cookie.
    let layout = page::Layout::new(t, t.verify_title, "");
    let cookies: Vec<String> = Vec::new();
    let found = if code.len() > 100 {
        Ok(None)
    } else {
        certificates::find_by_code(&state.db, &code).await
    };
    let c = match found {
        Ok(Some(c)) => c,
        Ok(None) => return page::html(StatusCode::NOT_FOUND, &UnknownPage { layout }, &cookies),
        Err(err) => return errors::from_domain(req, err),
    };
    let replaced_by = match certificates::successor(&state.db, &c).await {
        Ok(s) => s.map(|s| Replacement {
            url: page_path(&s.verification_code),
            number: s.number,
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
    let withdrawn = (c.status == CertificateStatus::Withdrawn)
        .then(|| crate::l10n::text(request_lang(req), "privacy-withdrawn"));
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
        revoked_on: c.revoked_at.map(|at| long_date(at.date_naive())),
        holder: c.holder_name,
        course: c.course_title,
        level: t.level_words(c.level),
        dates: date_span(c.start_date, c.end_date),
        venue: c.venue,
        number: c.number,
        signatory: format!("{}, {}", c.signatory_name, c.signatory_title),
        issued_on: long_date(c.issued_on),
        machine_url: machine_path(&code),
    };
    page::html(StatusCode::OK, &view, &cookies)
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
