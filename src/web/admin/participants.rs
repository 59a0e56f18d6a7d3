//! Participants: search, create, edit, and the CSV import — every refused row shown against
//! the line it came from, and the rows that were kept.

use askama::Template;
use entity::participant::{self, ContactBy, Difficulty, Gender, Language, TargetGroup};
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use sea_orm::{ActiveEnum, Iterable};
use serde::Deserialize;

use super::{
    Admin, AdminForm, FieldErrors, Pager, confirm, page_of, parse_id, words, workshops::Choice,
};
use crate::{
    domain::{Error, Result, demographics::WashingtonGroup, participant::ParticipantText},
    services::{
        PageRequest, console, csv_import, duplicates, enrolments, erasure, organisations,
        participants::{self, ParticipantChanges, ParticipantFilter},
    },
    state::AppState,
    web::{cookies, errors, i18n::AdminStrings, page},
};

struct PersonRow {
    id: i64,
    name: String,
    email: String,
    phone: String,
    target_group: &'static str,
}

fn target_group_words(group: TargetGroup) -> &'static str {
    let key = group.to_value();
    words()
        .target_groups
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, label)| label)
}

fn row(p: participant::Model) -> PersonRow {
    PersonRow {
        id: p.id,
        target_group: target_group_words(p.target_group),
        name: p.full_name,
        email: p.email.unwrap_or_default(),
        phone: p
            .phone
            .as_deref()
            .map(crate::domain::phone::display)
            .unwrap_or_default(),
    }
}

/// A refused import row: its line, the line as it was sent, and what is wrong.
struct ImportProblem {
    line: u64,
    text: String,
    problems: String,
}

#[derive(Template)]
#[template(path = "admin_participants.html")]
struct ListPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    q: String,
    rows: Vec<PersonRow>,
    pager: Pager,
    csv: String,
    import_error: Option<String>,
    imported: Vec<PersonRow>,
    refused: Vec<ImportProblem>,
    import_done: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<u64>,
    notice: Option<String>,
}

/// `GET /admin/participants`: search by name or email, and the import form.
#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<ListQuery>,
    admin: Admin,
) -> Response {
    let notice = q.notice.as_deref().and_then(|k| words().notice(k, 0));
    let empty = ImportResult::default();
    match list_page(
        &admin,
        &state,
        q.q.unwrap_or_default(),
        q.page,
        notice,
        empty,
    )
    .await
    {
        Ok(page) => admin.html(StatusCode::OK, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

#[derive(Default)]
struct ImportResult {
    csv: String,
    error: Option<String>,
    imported: Vec<PersonRow>,
    refused: Vec<ImportProblem>,
    done: bool,
}

async fn list_page(
    admin: &Admin,
    state: &AppState,
    q: String,
    page: Option<u64>,
    notice: Option<String>,
    import: ImportResult,
) -> Result<ListPage> {
    let a = words();
    let (page_number, page_request) = page_of(page);
    let search = q.trim().to_owned();
    let (rows, pager) = if search.is_empty() {
        let found =
            participants::list(&state.db, ParticipantFilter::default(), page_request).await?;
        (
            found.items,
            Pager::new("/admin/participants", &[], page_number, found.total),
        )
    } else {
        let (items, more) = console::search_participants(&state.db, &search, page_request).await?;
        (
            items,
            Pager::open_ended(
                "/admin/participants",
                &[("q", search.clone())],
                page_number,
                more,
            ),
        )
    };
    Ok(ListPage {
        layout: admin.layout(a.nav_participants),
        a,
        notice,
        pager,
        q,
        rows: rows.into_iter().map(row).collect(),
        csv: import.csv,
        import_error: import.error,
        imported: import.imported,
        refused: import.refused,
        import_done: import.done,
    })
}

#[derive(Debug, Deserialize)]
pub struct ImportForm {
    csv: Option<String>,
}

/// The cookie that remembers the last file imported from this browser (its SHA-256), so that
/// the same file sent again — Import pressed twice, a reload that re-posts the form — imports
/// nothing the second time.
const LAST_IMPORT: &str = "cssd_last_import";

/// How long a file counts as just imported.
const LAST_IMPORT_SECS: i64 = 3600;

fn file_hash(csv: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(csv.trim().replace("\r\n", "\n").as_bytes()))
}

/// `POST /admin/participants`: imports the pasted CSV with the API's import (columns named as
/// the JSON fields). Rows that look like someone already on record (the duplicate finder's
/// rules) are refused with the person they match; the same file sent twice imports nothing
/// the second time. The result comes first on the page: the rows kept, and each refused row
/// with its line; the text area then holds only the refused rows, to correct and send again.
#[handler]
pub async fn import_csv(
    req: &Request,
    state: Data<&AppState>,
    AdminForm(mut admin, form): AdminForm<ImportForm>,
) -> Response {
    let a = words();
    let csv = form.csv.unwrap_or_default();
    let hash = file_hash(&csv);
    let mut result = ImportResult {
        csv: csv.clone(),
        ..Default::default()
    };
    let mut status = StatusCode::OK;
    if !csv.trim().is_empty() && cookies::read(req, LAST_IMPORT).as_deref() == Some(hash.as_str()) {
        result.csv = String::new();
        result.error = Some(a.import_again.to_owned());
        return match list_page(&admin, &state, String::new(), None, None, result).await {
            Ok(page) => admin.html(StatusCode::CONFLICT, &page),
            Err(err) => errors::from_domain(req, err),
        };
    }
    match csv_import::read(csv.clone()).await {
        Err(csv_import::CsvError::Internal(err)) => return errors::from_domain(req, err),
        Err(csv_import::CsvError::Invalid(problems)) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            result.error = Some(
                problems
                    .into_iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
        }
        Err(err) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            result.error = Some(err.to_string());
        }
        Ok(rows) if rows.is_empty() => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            result.error = Some(a.import_empty.to_owned());
        }
        Ok(rows) => {
            let clashes = match duplicates::import_clashes(&state.db, &rows).await {
                Ok(clashes) => clashes,
                Err(err) => return errors::from_domain(req, err),
            };
            let clashing: std::collections::HashMap<u64, String> = clashes
                .into_iter()
                .map(|(line, clash)| (line, clash_words(a, &clash)))
                .collect();
            let rows: Vec<_> = rows
                .into_iter()
                .filter(|r| !clashing.contains_key(&r.line))
                .collect();
            let outcome = match participants::import(&state.db, &admin.actor(), rows).await {
                Ok(outcome) => outcome,
                Err(err) => return errors::from_domain(req, err),
            };
            let lines: Vec<&str> = csv.lines().collect();
            let text_of = |line: u64| {
                lines
                    .get(line.saturating_sub(1) as usize)
                    .map(|l| l.to_string())
                    .unwrap_or_default()
            };
            let mut by_line: Vec<ImportProblem> = Vec::new();
            // Where each line's entry is, so that 10,000 refused rows are grouped in one pass.
            let mut index: std::collections::HashMap<u64, usize> = Default::default();
            let problems = outcome
                .errors
                .into_iter()
                .map(|e| (e.line, format!("{}: {}", e.field, e.message)))
                .chain(clashing);
            for (line, message) in problems {
                match index.get(&line).map(|&i| &mut by_line[i]) {
                    Some(p) => {
                        p.problems.push_str("; ");
                        p.problems.push_str(&message);
                    }
                    None => {
                        index.insert(line, by_line.len());
                        by_line.push(ImportProblem {
                            line,
                            text: text_of(line),
                            problems: message,
                        })
                    }
                }
            }
            by_line.sort_by_key(|p| p.line);
            if !by_line.is_empty() {
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            if !outcome.created.is_empty() {
                // Kept: only the refused rows stay in the text area (under the header), and this
                // file is remembered so that sending it again imports nothing.
                let mut rest = vec![text_of(1)];
                rest.extend(by_line.iter().map(|p| p.text.clone()));
                result.csv = if by_line.is_empty() {
                    String::new()
                } else {
                    rest.join("\n")
                };
                admin.set_cookies.push(cookies::set(
                    LAST_IMPORT,
                    &hash,
                    LAST_IMPORT_SECS,
                    cookies::secure(&state.config),
                ));
            }
            result.refused = by_line;
            result.imported = outcome.created.into_iter().map(row).collect();
            result.done = true;
        }
    }
    match list_page(&admin, &state, String::new(), None, None, result).await {
        Ok(page) => admin.html(status, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

/// A row that looks like someone already there, in words.
fn clash_words(a: &AdminStrings, clash: &duplicates::ImportClash) -> String {
    use crate::domain::duplicates::Reason;
    let why = |reason: &Reason| match reason {
        Reason::Phone => a.same_phone,
        _ => a.same_name_and_organisation,
    };
    match clash {
        duplicates::ImportClash::OnRecord {
            participant_id,
            name,
            reason,
        } => (a.already_on_record)(name, *participant_id, why(reason)),
        duplicates::ImportClash::EarlierLine { line, reason } => {
            (a.same_as_line)(*line, why(reason))
        }
    }
}

/// The participant form's fields, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct PersonForm {
    full_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    language: Option<String>,
    contact_by: Option<String>,
    gender: Option<String>,
    organisation_id: Option<String>,
    target_group: Option<String>,
    ward: Option<String>,
    national_id: Option<String>,
    birth_year: Option<String>,
    disability_seeing: Option<String>,
    disability_hearing: Option<String>,
    disability_walking: Option<String>,
    disability_cognition: Option<String>,
    disability_self_care: Option<String>,
    disability_communication: Option<String>,
}

impl PersonForm {
    /// The six Washington Group answers as typed, in the order of the questions.
    fn answers(&self) -> [&Option<String>; 6] {
        [
            &self.disability_seeing,
            &self.disability_hearing,
            &self.disability_walking,
            &self.disability_cognition,
            &self.disability_self_care,
            &self.disability_communication,
        ]
    }

    fn of(p: &participant::Model) -> Self {
        Self {
            full_name: Some(p.full_name.clone()),
            email: p.email.clone(),
            phone: p.phone.as_deref().map(crate::domain::phone::display),
            language: Some(p.language.to_value()),
            contact_by: Some(p.contact_by.to_value()),
            gender: p.gender.map(|g| g.to_value()),
            organisation_id: p.organisation_id.map(|o| o.to_string()),
            target_group: Some(p.target_group.to_value()),
            ward: p.ward.clone(),
            national_id: p.national_id.clone(),
            birth_year: p.birth_year.map(|y| y.to_string()),
            disability_seeing: p.wg_seeing.map(|d| d.to_value()),
            disability_hearing: p.wg_hearing.map(|d| d.to_value()),
            disability_walking: p.wg_walking.map(|d| d.to_value()),
            disability_cognition: p.wg_cognition.map(|d| d.to_value()),
            disability_self_care: p.wg_self_care.map(|d| d.to_value()),
            disability_communication: p.wg_communication.map(|d| d.to_value()),
        }
    }
}

/// One Washington Group question of the form.
struct DisabilityQuestion {
    /// The form field (`disability_seeing` …).
    name: String,
    label: &'static str,
    choices: Vec<Choice>,
}

struct EnrolmentLine {
    workshop_id: i64,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "admin_participant.html")]
struct PersonPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    action: String,
    full_name: String,
    email: String,
    phone: String,
    ward: String,
    national_id: String,
    birth_year: String,
    questions: Vec<DisabilityQuestion>,
    genders: Vec<Choice>,
    languages: Vec<Choice>,
    contact_choices: Vec<Choice>,
    target_groups: Vec<Choice>,
    organisations: Vec<Choice>,
    enrolments: Vec<EnrolmentLine>,
    id: Option<i64>,
    /// The record's personal data was erased: nothing to erase any more.
    erased: bool,
}

async fn person_page(
    admin: &Admin,
    state: &AppState,
    id: Option<i64>,
    form: &PersonForm,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<PersonPage> {
    let a = words();
    let organisation_list = organisations::list(
        &state.db,
        PageRequest {
            limit: 1000,
            offset: 0,
        },
    )
    .await?;
    let enrolment_list = match id {
        Some(id) => {
            enrolments::for_participant(
                &state.db,
                id,
                PageRequest {
                    limit: 200,
                    offset: 0,
                },
            )
            .await?
            .items
        }
        None => vec![],
    };
    let erased = match id {
        Some(id) => participants::get(&state.db, id).await?.erased_at.is_some(),
        None => false,
    };
    let gender = form.gender.clone().unwrap_or_default();
    let group = form.target_group.clone().unwrap_or_default();
    let organisation = form.organisation_id.clone().unwrap_or_default();
    Ok(PersonPage {
        layout: admin.layout(match id {
            Some(_) => form.full_name.clone().unwrap_or_default(),
            None => a.new_participant.to_owned(),
        }),
        a,
        notice,
        errors,
        action: id.map_or("/admin/participants/new".to_owned(), |id| {
            format!("/admin/participants/{id}")
        }),
        full_name: form.full_name.clone().unwrap_or_default(),
        email: form.email.clone().unwrap_or_default(),
        phone: form.phone.clone().unwrap_or_default(),
        ward: form.ward.clone().unwrap_or_default(),
        national_id: form.national_id.clone().unwrap_or_default(),
        birth_year: form.birth_year.clone().unwrap_or_default(),
        questions: a
            .wg_domains
            .iter()
            .zip(form.answers())
            .map(|((domain, label), answer)| DisabilityQuestion {
                name: format!("disability_{domain}"),
                label,
                choices: a
                    .difficulties
                    .iter()
                    .map(|(value, words)| Choice {
                        selected: answer.as_deref() == Some(*value),
                        value: (*value).to_owned(),
                        label: (*words).to_owned(),
                    })
                    .collect(),
            })
            .collect(),
        languages: choices(&a.languages, form.language.as_deref().unwrap_or("en")),
        contact_choices: choices(
            &a.contact_by_choices,
            form.contact_by.as_deref().unwrap_or_default(),
        ),
        genders: Gender::iter()
            .map(|g| {
                let key = g.to_value();
                Choice {
                    selected: key == gender,
                    label: a
                        .genders
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map_or("", |(_, l)| l)
                        .to_owned(),
                    value: key,
                }
            })
            .collect(),
        target_groups: TargetGroup::iter()
            .map(|g| {
                let key = g.to_value();
                Choice {
                    selected: key == group,
                    label: target_group_words(g).to_owned(),
                    value: key,
                }
            })
            .collect(),
        organisations: organisation_list
            .items
            .into_iter()
            .map(|o| Choice {
                selected: o.id.to_string() == organisation,
                value: o.id.to_string(),
                label: o.name,
            })
            .collect(),
        erased,
        enrolments: enrolment_list
            .into_iter()
            .map(|e| EnrolmentLine {
                workshop_id: e.enrolment.workshop_id,
                status: match e.enrolment.status {
                    entity::enrolment::EnrolmentStatus::Enrolled => a.enrolled,
                    entity::enrolment::EnrolmentStatus::Waitlisted => a.waitlisted,
                    entity::enrolment::EnrolmentStatus::Withdrawn => a.withdrawn,
                },
            })
            .collect(),
        id,
    })
}

/// Select options from (value, words) pairs, `selected` chosen.
fn choices(pairs: &[(&'static str, &'static str)], selected: &str) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(value, label)| Choice {
            selected: *value == selected,
            value: (*value).to_owned(),
            label: (*label).to_owned(),
        })
        .collect()
}

/// The form in the service's terms: every field given (blank clears an optional one).
fn changes_of(form: &PersonForm, errors: &mut FieldErrors) -> ParticipantChanges {
    let blank = |v: &Option<String>| {
        v.clone()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let gender = match blank(&form.gender) {
        None => None,
        Some(g) => match Gender::try_from_value(&g) {
            Ok(g) => Some(g),
            Err(_) => {
                errors.add("gender", words().choose_one);
                None
            }
        },
    };
    let target_group = blank(&form.target_group).and_then(|t| TargetGroup::try_from_value(&t).ok());
    if target_group.is_none() {
        errors.add("target_group", words().choose_one);
    }
    ParticipantChanges {
        text: ParticipantText {
            full_name: Some(form.full_name.clone().unwrap_or_default()),
            email: Some(blank(&form.email)),
            phone: Some(blank(&form.phone)),
            ward: Some(blank(&form.ward)),
        },
        gender: Some(gender),
        organisation_id: Some(parse_id(
            "organisation_id",
            form.organisation_id.as_deref(),
            errors,
        )),
        target_group,
        national_id: Some(blank(&form.national_id)),
        birth_year: Some(
            blank(&form.birth_year).and_then(|y| match y.parse::<i32>() {
                Ok(year) => Some(year),
                Err(_) => {
                    errors.add("birth_year", words().birth_year_hint);
                    None
                }
            }),
        ),
        disability: Some(disability_of(form, errors)),
        language: match blank(&form.language) {
            None => None,
            Some(l) => Language::try_from_value(&l)
                .map_err(|_| errors.add("language", words().choose_one))
                .ok(),
        },
        contact_by: match blank(&form.contact_by) {
            None => None,
            Some(c) => ContactBy::try_from_value(&c)
                .map_err(|_| errors.add("contact_by", words().choose_one))
                .ok(),
        },
    }
}

/// The six answers of the form: all given, or none (not asked).
fn disability_of(form: &PersonForm, errors: &mut FieldErrors) -> Option<WashingtonGroup> {
    let a = words();
    let answers: Vec<Option<Difficulty>> = form
        .answers()
        .iter()
        .map(|v| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .and_then(|v| Difficulty::try_from_value(&v.to_owned()).ok())
        })
        .collect();
    if answers.iter().all(Option::is_none) {
        return None;
    }
    match answers[..] {
        [
            Some(seeing),
            Some(hearing),
            Some(walking),
            Some(cognition),
            Some(self_care),
            Some(communication),
        ] => Some(WashingtonGroup {
            seeing,
            hearing,
            walking,
            cognition,
            self_care,
            communication,
        }),
        _ => {
            for ((domain, _), answer) in a.wg_domains.iter().zip(&answers) {
                if answer.is_none() {
                    errors.add(&format!("disability_{domain}"), a.all_six_or_none);
                }
            }
            None
        }
    }
}

/// `GET /admin/participants/new`.
#[handler]
pub async fn new_form(req: &Request, state: Data<&AppState>, admin: Admin) -> Response {
    match person_page(
        &admin,
        &state,
        None,
        &PersonForm::default(),
        FieldErrors::default(),
        None,
    )
    .await
    {
        Ok(page) => admin.html(StatusCode::OK, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

/// `GET /admin/participants/{id}`: the record to edit, and its enrolments.
#[handler]
pub async fn edit_form(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
    admin: Admin,
) -> Response {
    let person = match participants::get(&state.db, id).await {
        Ok(person) => person,
        Err(err) => return errors::from_domain(req, err),
    };
    let notice = q.notice.as_deref().and_then(|k| words().notice(k, 0));
    match person_page(
        &admin,
        &state,
        Some(id),
        &PersonForm::of(&person),
        FieldErrors::default(),
        notice,
    )
    .await
    {
        Ok(page) => admin.html(StatusCode::OK, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

async fn refused(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    id: Option<i64>,
    form: &PersonForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    match person_page(admin, state, id, form, errors, None).await {
        Ok(page) => admin.html(status, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

fn status_of(err: &Error) -> StatusCode {
    match err {
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// `POST /admin/participants/new`: records a participant (the API's `POST /participants`).
#[handler]
pub async fn create(
    req: &Request,
    state: Data<&AppState>,
    AdminForm(admin, form): AdminForm<PersonForm>,
) -> Response {
    let mut errors = FieldErrors::default();
    let changes = changes_of(&form, &mut errors);
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return refused(req, &admin, &state, None, &form, errors, status).await;
    }
    match participants::create(&state.db, &admin.actor(), changes).await {
        Ok(created) => page::see_other(
            &format!("/admin/participants/{}?notice=saved", created.id),
            &[],
        ),
        Err(err) => {
            let status = status_of(&err);
            match FieldErrors::from_error(err) {
                Ok(errors) => refused(req, &admin, &state, None, &form, errors, status).await,
                Err(other) => errors::from_domain(req, other),
            }
        }
    }
}

/// `POST /admin/participants/{id}`: saves changes (the API's `PATCH /participants/{id}`).
#[handler]
pub async fn update(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<PersonForm>,
) -> Response {
    let mut errors = FieldErrors::default();
    let changes = changes_of(&form, &mut errors);
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return refused(req, &admin, &state, Some(id), &form, errors, status).await;
    }
    match participants::update(&state.db, &admin.actor(), id, changes).await {
        Ok(_) => page::see_other(&format!("/admin/participants/{id}?notice=saved"), &[]),
        Err(err) => {
            let status = status_of(&err);
            match FieldErrors::from_error(err) {
                Ok(errors) => refused(req, &admin, &state, Some(id), &form, errors, status).await,
                Err(other) => errors::from_domain(req, other),
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct EraseForm {
    reason: Option<String>,
    /// `yes` once the administrator has seen what erasing does.
    confirm: Option<String>,
}

/// `POST /admin/participants/{id}/erase`: with a reason, first shows what erasing does; once
/// confirmed, erases the person's personal data (the API's `POST /participants/{id}/erase`).
#[handler]
pub async fn erase(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<EraseForm>,
) -> Response {
    let person = match participants::get(&state.db, id).await {
        Ok(person) => person,
        Err(err) => return errors::from_domain(req, err),
    };
    let reason = form.reason.unwrap_or_default();
    // A reason is asked for first (the service says so); then what erasing does.
    if !reason.trim().is_empty() && !confirm::confirmed(form.confirm.as_deref()) {
        let a = words();
        let mut consequences: Vec<String> =
            a.erase_effects.iter().map(|e| (*e).to_owned()).collect();
        consequences.push((a.erase_reason_recorded)(reason.trim()));
        return confirm::page(
            &admin,
            a.confirm_title,
            confirm::Confirm {
                question: (a.confirm_erase)(&person.full_name),
                consequences,
                action: format!("/admin/participants/{id}/erase"),
                fields: vec![("reason".to_owned(), reason)],
                button: a.erase,
                back: format!("/admin/participants/{id}"),
            },
        );
    }
    match erasure::erase(&state.db, &admin.actor(), id, &reason).await {
        Ok(done) => {
            for user in &done.accounts_ended {
                state.auth_cache.forget_user(*user);
            }
            page::see_other(&format!("/admin/participants/{id}?notice=erased"), &[])
        }
        Err(err) => {
            let status = status_of(&err);
            match FieldErrors::from_error(err) {
                Ok(errors) => {
                    let form = PersonForm::of(&person);
                    refused(req, &admin, &state, Some(id), &form, errors, status).await
                }
                Err(other) => errors::from_domain(req, other),
            }
        }
    }
}
