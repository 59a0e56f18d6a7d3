//! Downloads from console pages: the certificates ZIP, the register and roster CSVs, the
//! summary and certificates CSVs and a certificate's PDF.
//!
//! The console links to `/admin/download/<path>`, where `<path>` is the path of the API
//! operation that gives the same file (`workshops/2/roster.csv`, …). After the console's own
//! guard ([`Admin`]), the file is made by the same service functions the API calls, so it is
//! exactly what the API sends. Only the read-only downloads [`Download::parse`] knows pass.

use chrono::NaiveDate;
use poem::{
    IntoResponse, Request, Response, handler,
    http::header,
    web::{Data, Path, Query},
};
use serde::Deserialize;

use super::Admin;
use crate::{
    domain::{self, FieldError},
    services::{certificates, csv_export, paper_evaluation, reports::ReportFilter},
    state::AppState,
    web::{errors, page},
};

/// One of the files the console links to.
#[derive(Debug, PartialEq, Eq)]
pub enum Download {
    CertificatesZip(i64),
    Register(i64),
    Roster(i64),
    CertificatePdf(i64),
    SummaryCsv,
    CertificatesCsv,
    /// The printable paper evaluation form of a workshop.
    EvaluationForm(i64),
}

impl Download {
    /// The download at `path` (after `/admin/download/`), if it is one.
    pub fn parse(path: &str) -> Option<Self> {
        let parts: Vec<&str> = path.split('/').collect();
        let id = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            ["workshops", w, "certificates.zip"] => id(w).map(Download::CertificatesZip),
            ["workshops", w, "attendance.csv"] => id(w).map(Download::Register),
            ["workshops", w, "roster.csv"] => id(w).map(Download::Roster),
            ["certificates", c, "pdf"] => id(c).map(Download::CertificatePdf),
            ["workshops", w, "evaluation-form.pdf"] => id(w).map(Download::EvaluationForm),
            ["reports", "summary.csv"] => Some(Download::SummaryCsv),
            ["certificates.csv"] => Some(Download::CertificatesCsv),
            _ => None,
        }
    }
}

/// The filters the summary and certificates CSVs take, as the API's operations take them.
#[derive(Debug, Default, Deserialize)]
pub struct DownloadQuery {
    from: Option<String>,
    to: Option<String>,
    organisation_id: Option<String>,
}

impl DownloadQuery {
    fn dates(&self) -> domain::Result<(Option<NaiveDate>, Option<NaiveDate>)> {
        let mut errors = Vec::new();
        let mut date = |name: &str, value: &Option<String>| match value.as_deref() {
            None | Some("") => None,
            Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(_) => {
                    errors.push(FieldError::new(name, "must be a date (YYYY-MM-DD)"));
                    None
                }
            },
        };
        let (from, to) = (date("from", &self.from), date("to", &self.to));
        if errors.is_empty() {
            Ok((from, to))
        } else {
            Err(domain::Error::Invalid(errors))
        }
    }

    fn organisation_id(&self) -> domain::Result<Option<i64>> {
        match self.organisation_id.as_deref() {
            None | Some("") => Ok(None),
            Some(text) => text.parse().map(Some).map_err(|_| {
                domain::Error::Invalid(vec![FieldError::new(
                    "organisation_id",
                    "must be a whole number",
                )])
            }),
        }
    }
}

/// `GET /admin/download/*path`: the file, or a 404 page for a path that is not a download.
#[handler]
pub async fn download(
    req: &Request,
    state: Data<&AppState>,
    Path(path): Path<String>,
    Query(q): Query<DownloadQuery>,
    admin: Admin,
) -> Response {
    let Some(wanted) = Download::parse(&path) else {
        return errors::not_found(req);
    };
    match file(&state, &admin, wanted, &q).await {
        Ok(response) => page::protect(response),
        Err(err) => errors::from_domain(req, err),
    }
}

async fn file(
    state: &AppState,
    admin: &Admin,
    wanted: Download,
    q: &DownloadQuery,
) -> domain::Result<Response> {
    let db = &state.db;
    let csv = |file: csv_export::CsvDownload| {
        attachment(
            file.text.into_bytes(),
            "text/csv; charset=utf-8",
            &file.filename,
        )
    };
    Ok(match wanted {
        Download::Register(w) => csv(csv_export::register(db, w).await?),
        Download::Roster(w) => csv(csv_export::roster(db, w).await?),
        Download::SummaryCsv => {
            let (from, to) = q.dates()?;
            domain::dates::check_range(from, to)?;
            let filter = ReportFilter {
                from,
                to,
                organisation_id: q.organisation_id()?,
            };
            csv(csv_export::summary(db, &filter).await?)
        }
        Download::CertificatesCsv => {
            let (from, to) = q.dates()?;
            csv(csv_export::certificates(db, from, to).await?)
        }
        Download::CertificatesZip(w) => attachment(
            certificates::workshop_zip(db, w).await?,
            "application/zip",
            &format!("workshop-{w}-certificates.zip"),
        ),
        Download::EvaluationForm(w) => Response::builder()
            .content_type("application/pdf")
            .header(
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"evaluation-form-{w}.pdf\""),
            )
            .body(paper_evaluation::form_pdf(db, &admin.who.principal, w).await?),
        Download::CertificatePdf(c) => {
            let c = certificates::get(db, c).await?;
            Response::builder()
                .content_type("application/pdf")
                .header(
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"certificate-{}.pdf\"", c.number),
                )
                .body(c.pdf)
        }
    })
}

fn attachment(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    Response::builder()
        .content_type(content_type)
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        )
        .body(bytes)
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::Download;

    #[test]
    fn only_the_read_only_downloads_pass() {
        assert_eq!(
            Download::parse("workshops/2/certificates.zip"),
            Some(Download::CertificatesZip(2))
        );
        assert_eq!(
            Download::parse("workshops/2/attendance.csv"),
            Some(Download::Register(2))
        );
        assert_eq!(
            Download::parse("workshops/12/roster.csv"),
            Some(Download::Roster(12))
        );
        assert_eq!(
            Download::parse("certificates/7/pdf"),
            Some(Download::CertificatePdf(7))
        );
        assert_eq!(
            Download::parse("workshops/3/evaluation-form.pdf"),
            Some(Download::EvaluationForm(3))
        );
        assert_eq!(
            Download::parse("reports/summary.csv"),
            Some(Download::SummaryCsv)
        );
        assert_eq!(
            Download::parse("certificates.csv"),
            Some(Download::CertificatesCsv)
        );
        for refused in [
            "workshops/2/certificates",
            "workshops/x/roster.csv",
            "workshops//roster.csv",
            "workshops/99999999999999999999999/roster.csv",
            "users",
            "workshops/2/../../users",
            "api-keys",
        ] {
            assert_eq!(Download::parse(refused), None, "{refused}");
        }
    }
}
