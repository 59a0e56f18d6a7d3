//! Workshops: the list with the API's filters, and scheduling a new one — with its days shown
//! (over the public holidays) and the cascade rule's refusals against their fields before
//! anything is saved.

use askama::Template;
use entity::{
    app_user::Role,
    workshop::{Level, Status},
};
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Query},
};
use serde::Deserialize;

use super::{
    Admin, AdminForm, FieldErrors, Pager, dashboard::WorkshopRow, level_short, page_of, parse_date,
    parse_id, status_words, words,
};
use crate::{
    domain::Result,
    services::{
        PageRequest, accounts, console, courses, organisations,
        workshops::{self, NewWorkshop, WorkshopFilter},
    },
    state::AppState,
    web::{errors, i18n::AdminStrings, page::Layout, verify::long_date},
};

/// A choice in a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices<T>(
    items: impl IntoIterator<Item = T>,
    selected: &str,
    f: impl Fn(&T) -> (String, String),
) -> Vec<Choice> {
    items
        .into_iter()
        .map(|item| {
            let (value, label) = f(&item);
            Choice {
                selected: value == selected,
                value,
                label,
            }
        })
        .collect()
}

/// The words for `key` in a table of labels (the key itself when the table has none).
pub(super) fn label_in(labels: &[(&str, &str)], key: &str) -> String {
    labels
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| key.to_owned(), |(_, w)| (*w).to_owned())
}

/// A filter over an enumerated column: the value `selected` names (none for anything else),
/// and every value as a choice labelled from `labels`.
pub(super) fn enum_filter<E>(selected: &str, labels: &[(&str, &str)]) -> (Option<E>, Vec<Choice>)
where
    E: sea_orm::ActiveEnum<Value = String> + sea_orm::Iterable,
{
    let chosen = E::iter().find(|v| v.to_value() == selected);
    let all = choices(E::iter(), selected, |v| {
        let key = v.to_value();
        (key.clone(), label_in(labels, &key))
    });
    (chosen, all)
}

const LEVELS: [Level; 3] = [Level::Tot, Level::Cascade, Level::Community];
const STATUSES: [Status; 4] = [
    Status::Scheduled,
    Status::InProgress,
    Status::Completed,
    Status::Cancelled,
];

pub fn level_key(level: Level) -> &'static str {
    match level {
        Level::Tot => "tot",
        Level::Cascade => "cascade",
        Level::Community => "community",
    }
}

fn status_key(status: Status) -> &'static str {
    match status {
        Status::Scheduled => "scheduled",
        Status::InProgress => "in_progress",
        Status::Completed => "completed",
        Status::Cancelled => "cancelled",
    }
}

fn all_pages() -> PageRequest {
    PageRequest {
        limit: 1000,
        offset: 0,
    }
}

/// The list's filters, as the query string carries them.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    course_id: Option<String>,
    level: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    organisation_id: Option<String>,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "admin_workshops.html")]
struct ListPage {
    layout: Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    courses: Vec<Choice>,
    levels: Vec<Choice>,
    statuses: Vec<Choice>,
    organisations: Vec<Choice>,
    from: String,
    to: String,
    rows: Vec<WorkshopRow>,
    pager: Pager,
}

/// `GET /admin/workshops`: the workshops by start date, filtered as the API filters them.
#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<ListQuery>,
    admin: Admin,
) -> Response {
    match render_list(&admin, &state, q).await {
        Ok(response) => response,
        Err(err) => errors::from_domain(req, err),
    }
}

async fn render_list(admin: &Admin, state: &AppState, q: ListQuery) -> Result<Response> {
    let a = words();
    let mut errors = FieldErrors::default();
    let level = q.level.as_deref().unwrap_or("");
    let status = q.status.as_deref().unwrap_or("");
    let filter = WorkshopFilter {
        course_id: parse_id("course_id", q.course_id.as_deref(), &mut errors),
        level: LEVELS.into_iter().find(|l| level_key(*l) == level),
        status: STATUSES.into_iter().find(|s| status_key(*s) == status),
        from: parse_date("from", q.from.as_deref(), &mut errors),
        to: parse_date("to", q.to.as_deref(), &mut errors),
        organisation_id: parse_id("organisation_id", q.organisation_id.as_deref(), &mut errors),
        trainer_id: None,
    };
    let (page_number, page_request) = page_of(q.page);
    let (found, course_list, organisation_list) = tokio::try_join!(
        workshops::list(&state.db, filter, page_request),
        courses::list(&state.db, all_pages()),
        organisations::list(&state.db, all_pages()),
    )?;
    let course_id = q.course_id.clone().unwrap_or_default();
    let organisation_id = q.organisation_id.clone().unwrap_or_default();
    let query = [
        ("course_id", course_id.clone()),
        ("level", level.to_owned()),
        ("status", status.to_owned()),
        ("from", q.from.clone().unwrap_or_default()),
        ("to", q.to.clone().unwrap_or_default()),
        ("organisation_id", organisation_id.clone()),
    ];
    let page = ListPage {
        layout: admin.layout(a.nav_workshops),
        a,
        notice: None,
        courses: choices(course_list.items, &course_id, |c| {
            (c.id.to_string(), format!("{} — {}", c.code, c.title))
        }),
        levels: choices(LEVELS, level, |l| {
            (level_key(*l).to_owned(), level_short(*l).to_owned())
        }),
        statuses: choices(STATUSES, status, |s| {
            (status_key(*s).to_owned(), status_words(*s).to_owned())
        }),
        organisations: choices(organisation_list.items, &organisation_id, |o| {
            (o.id.to_string(), o.name.clone())
        }),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        rows: found.items.iter().map(WorkshopRow::of).collect(),
        pager: Pager::new("/admin/workshops", &query, page_number, found.total),
        errors,
    };
    Ok(admin.html(StatusCode::OK, &page))
}

/// The schedule form's fields, as sent (everything as typed, so a refused form shows it
/// again).
#[derive(Debug, Default, Deserialize)]
pub struct ScheduleForm {
    /// `preview` shows the days and the refusals; anything else saves.
    action: Option<String>,
    course_id: Option<String>,
    level: Option<String>,
    parent_workshop_id: Option<String>,
    venue: Option<String>,
    organisation_id: Option<String>,
    ward: Option<String>,
    start_date: Option<String>,
    capacity: Option<String>,
    /// The chosen trainers' ids, comma-joined by the form handler below.
    #[serde(default)]
    trainer_ids: Vec<String>,
    /// The box "list in the public catalogue" (sent only when ticked).
    public: Option<String>,
}

/// A day of the previewed schedule.
pub struct DayLine {
    pub day: i32,
    pub date: String,
    pub topics: String,
}

#[derive(Template)]
#[template(path = "admin_workshop_new.html")]
struct SchedulePage {
    layout: Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    courses: Vec<Choice>,
    levels: Vec<Choice>,
    organisations: Vec<Choice>,
    trainers: Vec<Choice>,
    parent: String,
    venue: String,
    ward: String,
    start_date: String,
    capacity: String,
    public: bool,
    days: Vec<DayLine>,
    previewed: bool,
}

async fn schedule_page(
    admin: &Admin,
    state: &AppState,
    form: &ScheduleForm,
    errors: FieldErrors,
    days: Vec<DayLine>,
    previewed: bool,
    status: StatusCode,
) -> Result<Response> {
    let a = words();
    let (course_list, organisation_list, trainer_list) = tokio::try_join!(
        courses::list(&state.db, all_pages()),
        organisations::list(&state.db, all_pages()),
        accounts::list_users(&state.db, Some(Role::Trainer), all_pages()),
    )?;
    let course_id = form.course_id.clone().unwrap_or_default();
    let level = form.level.clone().unwrap_or_default();
    let organisation_id = form.organisation_id.clone().unwrap_or_default();
    let page = SchedulePage {
        layout: admin.layout(a.schedule_workshop),
        a,
        notice: None,
        errors,
        courses: choices(course_list.items, &course_id, |c| {
            (c.id.to_string(), format!("{} — {}", c.code, c.title))
        }),
        levels: choices(LEVELS, &level, |l| {
            (level_key(*l).to_owned(), level_short(*l).to_owned())
        }),
        organisations: choices(organisation_list.items, &organisation_id, |o| {
            (o.id.to_string(), o.name.clone())
        }),
        trainers: trainer_list
            .items
            .into_iter()
            .filter(|u| u.deactivated_at.is_none())
            .map(|u| Choice {
                selected: form.trainer_ids.contains(&u.id.to_string()),
                value: u.id.to_string(),
                label: u.name,
            })
            .collect(),
        parent: form.parent_workshop_id.clone().unwrap_or_default(),
        venue: form.venue.clone().unwrap_or_default(),
        ward: form.ward.clone().unwrap_or_default(),
        start_date: form.start_date.clone().unwrap_or_default(),
        capacity: form
            .capacity
            .clone()
            .unwrap_or_else(|| crate::domain::workshop::MAX_CAPACITY.to_string()),
        public: form.public.is_some(),
        days,
        previewed,
    };
    Ok(admin.html(status, &page))
}

/// `GET /admin/workshops/new`: the schedule form.
#[handler]
pub async fn new_form(req: &Request, state: Data<&AppState>, admin: Admin) -> Response {
    let form = ScheduleForm::default();
    match schedule_page(
        &admin,
        &state,
        &form,
        FieldErrors::default(),
        vec![],
        false,
        StatusCode::OK,
    )
    .await
    {
        Ok(response) => response,
        Err(err) => errors::from_domain(req, err),
    }
}

/// The form read into the service's terms, with what cannot even be read.
fn read_form(form: &ScheduleForm, errors: &mut FieldErrors) -> Option<NewWorkshop> {
    let a = words();
    let course_id = parse_id("course_id", form.course_id.as_deref(), errors);
    if course_id.is_none() && errors.of("course_id").is_none() {
        errors.add("course_id", a.choose_one);
    }
    let level = LEVELS
        .into_iter()
        .find(|l| Some(level_key(*l)) == form.level.as_deref());
    if level.is_none() {
        errors.add("level", a.choose_one);
    }
    let parent = parse_id(
        "parent_workshop_id",
        form.parent_workshop_id.as_deref(),
        errors,
    );
    let organisation_id = parse_id("organisation_id", form.organisation_id.as_deref(), errors);
    let start_date = parse_date("start_date", form.start_date.as_deref(), errors);
    if start_date.is_none() && errors.of("start_date").is_none() {
        errors.add("start_date", a.required);
    }
    let capacity = match form.capacity.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => match c.parse::<i32>() {
            Ok(c) => Some(c),
            Err(_) => {
                errors.add("capacity", a.whole_number);
                None
            }
        },
    };
    let mut trainer_ids = Vec::new();
    for id in &form.trainer_ids {
        if let Some(id) = parse_id("trainer_ids", Some(id), errors) {
            trainer_ids.push(id);
        }
    }
    Some(NewWorkshop {
        course_id: course_id?,
        level: level?,
        parent_workshop_id: parent,
        venue: form.venue.clone().unwrap_or_default(),
        organisation_id,
        ward: form.ward.clone(),
        start_date: start_date?,
        capacity,
        trainer_ids,
        public: form.public.is_some(),
    })
}

/// The form read as far as it goes, so that the schedule's other checks (the start date, the
/// venue, the trainers) run even when a course or level is still to be chosen: every field's
/// problem is shown at once. `None` without a readable start date.
fn read_leniently(form: &ScheduleForm) -> Option<(NewWorkshop, bool)> {
    let mut ignored = FieldErrors::default();
    let start_date = parse_date("start_date", form.start_date.as_deref(), &mut ignored)?;
    let level = LEVELS
        .into_iter()
        .find(|l| Some(level_key(*l)) == form.level.as_deref());
    let new = NewWorkshop {
        course_id: parse_id("course_id", form.course_id.as_deref(), &mut ignored).unwrap_or(0),
        level: level.unwrap_or(Level::Tot),
        parent_workshop_id: parse_id(
            "parent_workshop_id",
            form.parent_workshop_id.as_deref(),
            &mut ignored,
        ),
        venue: form.venue.clone().unwrap_or_default(),
        organisation_id: parse_id(
            "organisation_id",
            form.organisation_id.as_deref(),
            &mut ignored,
        ),
        ward: form.ward.clone(),
        start_date,
        capacity: form
            .capacity
            .as_deref()
            .and_then(|c| c.trim().parse::<i32>().ok()),
        trainer_ids: form
            .trainer_ids
            .iter()
            .filter_map(|t| t.trim().parse().ok())
            .collect(),
        public: form.public.is_some(),
    };
    Some((new, level.is_some()))
}

/// Adds the schedule's problems to those of reading the form: one per field (the first found
/// stands), a missing value said in words.
fn add_problems(
    errors: &mut FieldErrors,
    problems: Vec<crate::domain::FieldError>,
    level_known: bool,
) {
    let a = words();
    for p in problems {
        if errors.of(&p.field).is_some()
            || (!level_known && matches!(p.field.as_str(), "parent_workshop_id" | "trainer_ids"))
        {
            continue;
        }
        errors.add(&p.field, p.message);
    }
    errors.reword("venue", "must not be empty", a.venue_required);
}

fn day_lines(days: Vec<workshops::WorkshopDay>) -> Vec<DayLine> {
    days.into_iter()
        .map(|d| DayLine {
            day: d.day,
            date: format!("{} ({})", long_date(d.date), d.date.format("%A")),
            topics: d.topics.join("; "),
        })
        .collect()
}

/// `POST /admin/workshops/new`: `action=preview` shows the days and every refusal the
/// schedule would meet; otherwise the workshop is scheduled (the API's `POST /workshops`) and
/// its page opens, or the form comes back with the refusals next to their fields.
#[handler]
pub async fn schedule(
    req: &Request,
    state: Data<&AppState>,
    AdminForm(admin, form): AdminForm<Vec<(String, String)>>,
) -> Response {
    let form = gather(form);
    match run_schedule(&admin, &state, &form).await {
        Ok(response) => response,
        Err(err) => errors::from_domain(req, err),
    }
}

/// Reads the form's pairs (the trainers' checkboxes repeat one name).
fn gather(pairs: Vec<(String, String)>) -> ScheduleForm {
    let mut form = ScheduleForm::default();
    for (name, value) in pairs {
        let slot = match name.as_str() {
            "action" => &mut form.action,
            "course_id" => &mut form.course_id,
            "level" => &mut form.level,
            "parent_workshop_id" => &mut form.parent_workshop_id,
            "venue" => &mut form.venue,
            "organisation_id" => &mut form.organisation_id,
            "ward" => &mut form.ward,
            "start_date" => &mut form.start_date,
            "capacity" => &mut form.capacity,
            "public" => &mut form.public,
            "trainer_ids" => {
                form.trainer_ids.push(value);
                continue;
            }
            _ => continue,
        };
        *slot = Some(value);
    }
    form
}

async fn run_schedule(admin: &Admin, state: &AppState, form: &ScheduleForm) -> Result<Response> {
    let mut errors = FieldErrors::default();
    let read = read_form(form, &mut errors);
    let lenient = match &read {
        Some(new) => Some((new.clone(), true)),
        None => read_leniently(form),
    };
    let (preview, level_known) = match &lenient {
        Some((new, level_known)) => (
            Some(console::preview_schedule(&state.db, new).await?),
            *level_known,
        ),
        None => (None, false),
    };
    let days = preview
        .as_ref()
        .map(|p| day_lines(p.days.clone()))
        .unwrap_or_default();
    let previewing = form.action.as_deref() == Some("preview");
    if previewing || !errors.is_empty() {
        // Every problem at once, next to its field, before anything is saved.
        if let Some(p) = preview {
            add_problems(&mut errors, p.problems, level_known);
        }
        let status = if previewing && errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return schedule_page(admin, state, form, errors, days, true, status).await;
    }
    let Some(new) = read else {
        return schedule_page(
            admin,
            state,
            form,
            errors,
            days,
            true,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match workshops::create(&state.db, &admin.actor(), new).await {
        Ok(created) => Ok(crate::web::page::see_other(
            &format!("/admin/workshops/{}?notice=scheduled", created.workshop.id),
            &[],
        )),
        Err(err) => {
            let conflict = matches!(err, crate::domain::Error::Conflict(_));
            let mut errors = FieldErrors::from_error(err)?;
            // A cascade refusal is a sentence; the preview says which field it concerns. The
            // preview also has every other field's problem: all are shown at once.
            if let Some(p) = preview.filter(|p| !p.problems.is_empty()) {
                if conflict {
                    errors.general.clear();
                }
                add_problems(&mut errors, p.problems, level_known);
            }
            let status = if conflict {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            schedule_page(admin, state, form, errors, days, true, status).await
        }
    }
}
