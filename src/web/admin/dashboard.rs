//! The dashboard: this month's and next month's workshops with their seats and waitlists,
//! workshops that ended without certificates, mail that failed, and trainers whose ToT
//! certification runs out soon, and the applications for public workshops awaiting review.

use askama::Template;
use chrono::{Datelike, Days, Months, NaiveDate};
use entity::{certificate::CertificateStatus, email_outbox::EmailStatus, workshop::Status};
use poem::{Request, Response, handler, http::StatusCode, web::Data};

use super::{Admin, iso, level_short, status_words, words};
use crate::{
    domain::{certification::expires_within, schedule::local_today},
    mail::outbox,
    services::{
        PageRequest, console, trainers,
        workshops::{self, WorkshopFilter},
    },
    state::AppState,
    web::{
        errors,
        i18n::{APPLICATION_WORDS, AdminStrings, ApplicationWords},
    },
};

/// One workshop in a month's table.
pub struct WorkshopRow {
    pub id: i64,
    pub start: String,
    pub course: String,
    pub level: &'static str,
    pub venue: String,
    pub status: &'static str,
    pub capacity: i32,
    pub taken: i32,
    pub left: i32,
    pub waitlist: i32,
}

impl WorkshopRow {
    pub fn of(v: &workshops::WorkshopView) -> Self {
        let w = &v.workshop;
        Self {
            id: w.id,
            start: iso(w.start_date),
            course: v.course.code.clone(),
            level: level_short(w.level),
            venue: w.venue.clone(),
            status: status_words(w.status),
            capacity: w.capacity,
            taken: w.seats_taken,
            left: (w.capacity - w.seats_taken).max(0),
            waitlist: w.waitlist_count,
        }
    }
}

pub struct Month {
    pub title: String,
    pub workshops: Vec<WorkshopRow>,
}

pub struct Ended {
    pub id: i64,
    pub ended: String,
    pub level: &'static str,
    pub venue: String,
}

pub struct FailedMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub attempts: i32,
    pub last_error: String,
}

pub struct Expiring {
    pub name: String,
    pub certificate: String,
    pub valid_until: String,
}

#[derive(Template)]
#[template(path = "admin_dashboard.html")]
struct DashboardPage {
    layout: crate::web::page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    months: Vec<Month>,
    ended: Vec<Ended>,
    ended_total: u64,
    failed: Vec<FailedMail>,
    failed_total: u64,
    expiring: Vec<Expiring>,
    warning_days: u32,
    w: &'static ApplicationWords,
    awaiting: Awaiting,
}

/// The applications awaiting review: how many, and how many per workshop (by workshop id).
pub struct Awaiting {
    pub total: u64,
    pub per_workshop: Vec<(i64, u64)>,
}

/// The applications awaiting review, on the applications' clock.
async fn awaiting_review(state: &AppState) -> crate::domain::Result<Awaiting> {
    let counts =
        crate::services::applications::pending_counts(&state.db, state.application_clock.now())
            .await?;
    let mut per_workshop: Vec<(i64, u64)> = counts.into_iter().collect();
    per_workshop.sort_unstable();
    Ok(Awaiting {
        total: per_workshop.iter().map(|(_, n)| n).sum(),
        per_workshop,
    })
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// `GET /admin`: the dashboard.
#[handler]
pub async fn show(req: &Request, state: Data<&AppState>, admin: Admin) -> Response {
    match render(&admin, &state).await {
        Ok(response) => response,
        Err(err) => errors::from_domain(req, err),
    }
}

async fn render(admin: &Admin, state: &AppState) -> crate::domain::Result<Response> {
    let a = words();
    let today = local_today();
    // Lapsing soon means within the window in which the trainer is reminded to renew.
    let warning_days = state.config.renewal_reminder_days;
    let this_month = first_of_month(today);
    let next_month = this_month + Months::new(1);
    let after = next_month + Months::new(1);
    let filter = WorkshopFilter {
        from: Some(this_month),
        to: after.checked_sub_days(Days::new(1)),
        ..Default::default()
    };
    let (found, ended, failed, expiring, awaiting) = tokio::try_join!(
        workshops::list(
            &state.db,
            filter,
            PageRequest {
                limit: 500,
                offset: 0
            }
        ),
        console::completed_without_certificates(&state.db, 10),
        async {
            outbox::list(&state.db, Some(EmailStatus::Failed), None, None, 10, 0)
                .await
                .map_err(crate::domain::Error::from)
        },
        trainers::list(
            &state.db,
            Some(warning_days),
            PageRequest {
                limit: 50,
                offset: 0
            }
        ),
        awaiting_review(state),
    )?;
    let mut months = vec![
        Month {
            title: a.month_title(this_month),
            workshops: vec![],
        },
        Month {
            title: a.month_title(next_month),
            workshops: vec![],
        },
    ];
    for v in found.items.iter() {
        if v.workshop.status == Status::Cancelled {
            continue;
        }
        let slot = usize::from(v.workshop.start_date >= next_month);
        months[slot].workshops.push(WorkshopRow::of(v));
    }
    let ended_rows = ended
        .items
        .iter()
        .map(|w| Ended {
            id: w.id,
            ended: iso(w.end_date),
            level: level_short(w.level),
            venue: w.venue.clone(),
        })
        .collect();
    let (failed_items, failed_total) = failed;
    let failed = failed_items
        .into_iter()
        .map(|m| FailedMail {
            id: m.id,
            recipient: m.recipient,
            subject: m.subject,
            attempts: m.attempts,
            last_error: m.last_error.unwrap_or_default(),
        })
        .collect();
    let mut expiring_rows = Vec::new();
    for t in expiring.items {
        for c in &t.certificates {
            if c.certificate.status == CertificateStatus::Valid
                && expires_within(c.valid_until, today, warning_days)
            {
                expiring_rows.push(Expiring {
                    name: t.user.name.clone(),
                    certificate: c.certificate.number.clone(),
                    valid_until: c.valid_until.map(iso).unwrap_or_default(),
                });
            }
        }
    }
    let page = DashboardPage {
        layout: admin.layout(a.nav_dashboard),
        a,
        notice: None,
        months,
        ended: ended_rows,
        ended_total: ended.total,
        failed,
        failed_total,
        expiring: expiring_rows,
        warning_days,
        w: &APPLICATION_WORDS,
        awaiting,
    };
    Ok(admin.html(StatusCode::OK, &page))
}
