//! Reports with pictures: the summary report as SVG bar charts — by course and level, by
//! month, by gender and target group, by organisation and province — each with its table and
//! a CSV link; and the cascade of a ToT workshop as a tree.

use askama::Template;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use serde::Deserialize;

use super::{
    Admin, FieldErrors, charts, encode, iso, level_short, parse_date, parse_id, words,
    workshops::Choice,
};
use crate::{
    services::{
        PageRequest,
        cascade::{self as cascade_service, CascadeNode, CascadeTotals},
        console, csv_export, organisations,
        reports::{self, Count, ReportFilter},
    },
    state::AppState,
    web::{errors, i18n::AdminStrings, page},
};

/// One chart, its table and where its figures download from.
pub struct Figure {
    pub id: &'static str,
    pub title: &'static str,
    pub svg: String,
    pub series: Vec<&'static str>,
    pub rows: Vec<charts::Category>,
    pub csv: String,
}

#[derive(Template)]
#[template(path = "admin_reports.html")]
struct ReportPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    from: String,
    to: String,
    organisations: Vec<Choice>,
    workshops: i64,
    people: i64,
    enrolled: i64,
    certified: i64,
    reached: i64,
    figures: Vec<Figure>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    organisation_id: Option<String>,
}

/// Enrolled and certified side by side, in the order of the enrolled counts (groups with only
/// certificates last).
fn pair(enrolled: &[Count], certified: &[Count]) -> Vec<charts::Category> {
    let mut categories: Vec<charts::Category> = enrolled
        .iter()
        .map(|e| charts::Category {
            label: e.label.clone(),
            values: vec![
                e.count,
                certified
                    .iter()
                    .find(|c| c.key == e.key)
                    .map_or(0, |c| c.count),
            ],
        })
        .collect();
    for c in certified {
        if !enrolled.iter().any(|e| e.key == c.key) {
            categories.push(charts::Category {
                label: c.label.clone(),
                values: vec![0, c.count],
            });
        }
    }
    categories
}

/// The counts labelled with the console's words for their keys (where it has them).
fn in_words(counts: &[Count], words: &[(&'static str, &'static str)]) -> Vec<Count> {
    counts
        .iter()
        .map(|c| Count {
            label: words
                .iter()
                .find(|(k, _)| *k == c.key)
                .map_or_else(|| c.label.clone(), |(_, w)| (*w).to_owned()),
            ..c.clone()
        })
        .collect()
}

/// The counts labelled with their keys (course codes).
fn by_key(counts: &[Count]) -> Vec<Count> {
    counts
        .iter()
        .map(|c| Count {
            label: c.key.clone(),
            ..c.clone()
        })
        .collect()
}

fn figure(
    id: &'static str,
    title: &'static str,
    series: Vec<&'static str>,
    rows: Vec<charts::Category>,
    csv: &str,
) -> Figure {
    let svg = charts::bar_chart(&charts::BarChart {
        title,
        series: &series,
        categories: rows.clone(),
    });
    Figure {
        id,
        title,
        svg,
        series,
        rows,
        csv: csv.to_owned(),
    }
}

fn query_string(q: &ReportQuery) -> String {
    let pairs: Vec<String> = [
        ("from", &q.from),
        ("to", &q.to),
        ("organisation_id", &q.organisation_id),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .filter(|v| !v.trim().is_empty())
            .map(|v| format!("{k}={}", encode(v.trim())))
    })
    .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// The report's filter from the query, with what cannot be read.
fn filter_of(q: &ReportQuery, errors: &mut FieldErrors) -> ReportFilter {
    let from = parse_date("from", q.from.as_deref(), errors);
    let to = parse_date("to", q.to.as_deref(), errors);
    if let Err(problems) = crate::domain::dates::check_range(from, to) {
        errors.extend(problems);
    }
    ReportFilter {
        from,
        to,
        organisation_id: parse_id("organisation_id", q.organisation_id.as_deref(), errors),
    }
}

/// `GET /admin/reports`: the summary in charts and tables.
#[handler]
pub async fn summary(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<ReportQuery>,
    admin: Admin,
) -> Response {
    let a = words();
    let mut errors = FieldErrors::default();
    let filter = filter_of(&q, &mut errors);
    let found = tokio::try_join!(
        reports::summary(&state.db, &filter),
        console::by_month(&state.db, &filter),
        organisations::list(
            &state.db,
            PageRequest {
                limit: 1000,
                offset: 0
            }
        ),
    );
    let (summary, months, organisation_list) = match found {
        Ok(found) => found,
        Err(err) => return errors::from_domain(req, err),
    };
    let qs = query_string(&q);
    let summary_csv = format!("/admin/download/reports/summary.csv{qs}");
    let months_csv = format!("/admin/reports/months.csv{qs}");
    let both = || vec![a.enrolled, a.certified];
    let e = &summary.enrolled;
    let c = &summary.certified;
    let level_rows = pair(&e.by_level, &c.by_level)
        .into_iter()
        .map(|mut row| {
            row.label = level_label(&row.label);
            row
        })
        .collect();
    let figures = vec![
        figure(
            "by-course",
            a.chart_by_course,
            both(),
            // Course codes: the titles are too long for a phone.
            pair(&by_key(&e.by_course), &by_key(&c.by_course)),
            &summary_csv,
        ),
        figure(
            "by-level",
            a.chart_by_level,
            both(),
            level_rows,
            &summary_csv,
        ),
        figure(
            "by-month",
            a.chart_by_month,
            vec![a.enrolled, a.certified, a.nav_workshops],
            months
                .iter()
                .map(|m| charts::Category {
                    label: m.month.clone(),
                    values: vec![m.enrolled, m.certified, m.workshops],
                })
                .collect(),
            &months_csv,
        ),
        figure(
            "by-gender",
            a.chart_by_gender,
            both(),
            pair(
                &in_words(&e.by_gender, &a.genders),
                &in_words(&c.by_gender, &a.genders),
            ),
            &summary_csv,
        ),
        figure(
            "by-target-group",
            a.chart_by_target_group,
            both(),
            pair(
                &in_words(&e.by_target_group, &a.target_groups),
                &in_words(&c.by_target_group, &a.target_groups),
            ),
            &summary_csv,
        ),
        figure(
            "by-organisation",
            a.chart_by_organisation,
            both(),
            pair(&e.by_organisation, &c.by_organisation),
            &summary_csv,
        ),
        figure(
            "by-province",
            a.chart_by_province,
            both(),
            pair(&e.by_province, &c.by_province),
            &summary_csv,
        ),
        figure(
            "by-age-band",
            a.chart_by_age_band,
            both(),
            pair(&e.by_age_band, &c.by_age_band),
            &summary_csv,
        ),
        figure(
            "by-disability",
            a.chart_by_disability,
            both(),
            pair(&e.by_disability, &c.by_disability),
            &summary_csv,
        ),
    ];
    let organisation_id = q.organisation_id.clone().unwrap_or_default();
    let page = ReportPage {
        layout: admin.layout(a.nav_reports),
        a,
        notice: None,
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        organisations: organisation_list
            .items
            .into_iter()
            .map(|o| Choice {
                selected: o.id.to_string() == organisation_id,
                value: o.id.to_string(),
                label: o.name,
            })
            .collect(),
        workshops: summary.workshops_total,
        people: summary.distinct_participants,
        enrolled: e.total,
        certified: c.total,
        reached: summary.outreach.people_reached,
        figures,
        errors,
    };
    admin.html(StatusCode::OK, &page)
}

/// A level key as the report groups it, in words.
fn level_label(key: &str) -> String {
    use entity::workshop::Level;
    match key {
        "tot" => level_short(Level::Tot),
        "cascade" => level_short(Level::Cascade),
        "community" => level_short(Level::Community),
        other => return other.to_owned(),
    }
    .to_owned()
}

/// `GET /admin/reports/months.csv`: the by-month figures of the report page.
#[handler]
pub async fn months_csv_file(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<ReportQuery>,
    _admin: Admin,
) -> Response {
    let mut errors = FieldErrors::default();
    let filter = filter_of(&q, &mut errors);
    let months = match console::by_month(&state.db, &filter).await {
        Ok(months) => months,
        Err(err) => return errors::from_domain(req, err),
    };
    let file = csv_export::csv_file(
        "workshops-by-month.csv",
        ["month", "workshops", "enrolled", "certified"],
        months.into_iter().map(|m| {
            vec![
                m.month,
                m.workshops.to_string(),
                m.enrolled.to_string(),
                m.certified.to_string(),
            ]
        }),
    );
    match file {
        Ok(file) => page::protect(
            Response::builder()
                .content_type("text/csv; charset=utf-8")
                .header(
                    poem::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", file.filename),
                )
                .body(file.text),
        ),
        Err(err) => errors::from_domain(req, err),
    }
}

#[derive(Template)]
#[template(path = "admin_cascade.html")]
struct CascadePage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    id: i64,
    svg: String,
    totals: CascadeTotals,
    /// The multiplier, or a dash without a certified trainer.
    reach_per_trainer: String,
}

fn tree_node(node: &CascadeNode) -> charts::TreeNode {
    let a = words();
    let w = &node.workshop;
    charts::TreeNode {
        href: format!("/admin/workshops/{}", w.id),
        heading: format!("#{} {} {}", w.id, node.course_code, level_short(w.level)),
        lines: vec![
            iso(w.start_date),
            format!("{} {}", a.enrolled, node.enrolled),
            format!("{} {}", a.certified, node.certified),
            format!("{} {}", a.reached, node.people_reached),
        ],
        children: node.children.iter().map(tree_node).collect(),
    }
}

/// `GET /admin/workshops/{id}/cascade`: the workshops that descend from this one, as a tree.
#[handler]
pub async fn cascade_tree(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    admin: Admin,
) -> Response {
    let (root, totals) = match cascade_service::tree(&state.db, id).await {
        Ok(found) => found,
        Err(err) => return errors::from_domain(req, err),
    };
    let a = words();
    let title = a.cascade_of(id);
    let page = CascadePage {
        layout: admin.layout(title.clone()),
        a,
        notice: None,
        id,
        svg: charts::cascade_tree(&tree_node(&root), &title),
        reach_per_trainer: totals
            .reach_per_trainer()
            .map_or_else(|| "—".to_owned(), |r| format!("{r:.1}")),
        totals,
    };
    admin.html(StatusCode::OK, &page)
}
