//! Participants: the people who attend workshops.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Utc};
use entity::{
    organisation,
    participant::{self, ContactBy, Gender, Language, TargetGroup},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Page, PageRequest, audit, workshop_write::Write};
use crate::domain::{
    Error, FieldError, Result,
    access::Actor,
    demographics::{self, WashingtonGroup},
    participant::{CleanParticipantText, ParticipantText, clean, contact_by},
};

/// Values for a participant; `None` leaves a field unchanged (for a new participant: empty).
#[derive(Debug, Clone, Default)]
pub struct ParticipantChanges {
    pub text: ParticipantText,
    pub gender: Option<Option<Gender>>,
    pub organisation_id: Option<Option<i64>>,
    pub target_group: Option<TargetGroup>,
    /// National ID number as typed (normalised here); `Some(None)` or blank clears it.
    pub national_id: Option<Option<String>>,
    /// Year of birth; `Some(None)` clears it.
    pub birth_year: Option<Option<i32>>,
    /// The Washington Group Short Set's answers; `Some(None)` clears them.
    pub disability: Option<Option<WashingtonGroup>>,
    /// The language the participant reads (new participants: English).
    pub language: Option<Language>,
    /// How the participant is reached; `None` keeps it while the contact details allow it,
    /// else the default (email when recorded, else SMS when a phone is).
    pub contact_by: Option<ContactBy>,
}

/// Checks a proposed birth year against this year.
fn check_birth_year(proposed: Option<Option<i32>>, errors: &mut Vec<FieldError>) {
    if let Some(Some(year)) = proposed {
        demographics::check_birth_year(year, Utc::now().year(), errors);
    }
}

/// Sets the six answer columns of `model` (`None`: not recorded).
fn set_disability(model: &mut participant::ActiveModel, answers: Option<WashingtonGroup>) {
    model.wg_seeing = Set(answers.map(|a| a.seeing));
    model.wg_hearing = Set(answers.map(|a| a.hearing));
    model.wg_walking = Set(answers.map(|a| a.walking));
    model.wg_cognition = Set(answers.map(|a| a.cognition));
    model.wg_self_care = Set(answers.map(|a| a.self_care));
    model.wg_communication = Set(answers.map(|a| a.communication));
}

/// Normalises a proposed national ID number (`None`: unchanged; `Some(None)`: none).
fn clean_national_id(
    proposed: &Option<Option<String>>,
    errors: &mut Vec<FieldError>,
) -> Option<Option<String>> {
    proposed
        .as_ref()
        .map(|id| crate::domain::national_id::clean("national_id", id.as_deref(), errors))
}

/// A national ID number already held by another participant is a conflict.
async fn check_national_id_free(
    db: &impl ConnectionTrait,
    national_id: Option<&str>,
    except_id: Option<i64>,
) -> Result<()> {
    let Some(national_id) = national_id else {
        return Ok(());
    };
    let mut query =
        participant::Entity::find().filter(participant::Column::NationalId.eq(national_id));
    if let Some(id) = except_id {
        query = query.filter(participant::Column::Id.ne(id));
    }
    if let Some(holder) = query.one(db).await? {
        return Err(Error::Conflict(format!(
            "participant {} already has national ID number {national_id}",
            holder.id
        )));
    }
    Ok(())
}

/// A phone number already held by another participant is a conflict: a sign-in code goes to
/// exactly one person.
async fn check_phone_free(
    db: &impl ConnectionTrait,
    phone: Option<&str>,
    except_id: Option<i64>,
) -> Result<()> {
    let Some(phone) = phone else {
        return Ok(());
    };
    let mut query = participant::Entity::find().filter(participant::Column::Phone.eq(phone));
    if let Some(id) = except_id {
        query = query.filter(participant::Column::Id.ne(id));
    }
    if let Some(holder) = query.one(db).await? {
        return Err(Error::Conflict(format!(
            "participant {} already has phone number {}",
            holder.id,
            crate::domain::phone::display(phone)
        )));
    }
    Ok(())
}

async fn check_references(
    db: &impl ConnectionTrait,
    email: Option<&str>,
    organisation_id: Option<i64>,
    except_id: Option<i64>,
) -> Result<()> {
    if let Some(org) = organisation_id
        && organisation::Entity::find_by_id(org)
            .one(db)
            .await?
            .is_none()
    {
        return Err(Error::Invalid(vec![FieldError::new(
            "organisation_id",
            format!("organisation {org} does not exist"),
        )]));
    }
    if let Some(email) = email {
        let mut query = participant::Entity::find().filter(participant::Column::Email.eq(email));
        if let Some(id) = except_id {
            query = query.filter(participant::Column::Id.ne(id));
        }
        if query.one(db).await?.is_some() {
            return Err(Error::Conflict(format!(
                "a participant with email {email} already exists"
            )));
        }
    }
    Ok(())
}

/// Creates a participant after checking the rules; an email already in use is 409.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    changes: ParticipantChanges,
) -> Result<participant::Model> {
    let txn = crate::db::begin_write(db).await?;
    let created = create_in(&txn, actor, changes).await?;
    txn.commit().await?;
    Ok(created)
}

/// [`create`] within a transaction the caller owns (used by the CSV import).
pub async fn create_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    changes: ParticipantChanges,
) -> Result<participant::Model> {
    let mut errors = Vec::new();
    if changes.text.full_name.is_none() {
        errors.push(FieldError::new("full_name", "is required"));
    }
    let national_id = clean_national_id(&changes.national_id, &mut errors).flatten();
    check_birth_year(changes.birth_year, &mut errors);
    let Some(target_group) = changes.target_group else {
        errors.push(FieldError::new("target_group", "is required"));
        return Err(Error::Invalid(errors));
    };
    let text = clean(changes.text).map_err(|mut e| {
        errors.append(&mut e);
        Error::Invalid(errors.clone())
    })?;
    let email = text.email.flatten();
    let phone = text.phone.flatten();
    let contact_by = contact_by(
        changes.contact_by,
        None,
        email.is_some(),
        phone.is_some(),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let organisation_id = changes.organisation_id.flatten();
    check_references(db, email.as_deref(), organisation_id, None).await?;
    check_phone_free(db, phone.as_deref(), None).await?;
    check_national_id_free(db, national_id.as_deref(), None).await?;
    let now = Utc::now();
    let mut model = participant::ActiveModel {
        full_name: Set(text.full_name.unwrap_or_default()),
        email: Set(email),
        phone: Set(phone),
        gender: Set(changes.gender.flatten()),
        organisation_id: Set(organisation_id),
        target_group: Set(target_group),
        ward: Set(text.ward.flatten()),
        national_id: Set(national_id),
        birth_year: Set(changes.birth_year.flatten()),
        language: Set(changes.language.unwrap_or_default()),
        contact_by: Set(contact_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    set_disability(&mut model, changes.disability.flatten());
    let created = participant::Entity::insert(model)
        .exec_with_returning(db)
        .await?;
    let after = audit::snapshot(&created);
    audit::record(db, actor, "participant", created.id, "create", None, after).await?;
    Ok(created)
}

/// One participant by id.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<participant::Model> {
    participant::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "participant",
            id,
        })
}

/// Several participants by id, keyed by id (one query).
pub async fn get_many(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// Changes the given fields of a participant. Certificates already issued keep the name they
/// printed.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: ParticipantChanges,
) -> Result<participant::Model> {
    let mut errors = Vec::new();
    let national_id = clean_national_id(&changes.national_id, &mut errors);
    check_birth_year(changes.birth_year, &mut errors);
    let text = clean(changes.text).map_err(|mut e| {
        errors.append(&mut e);
        Error::Invalid(errors.clone())
    })?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut write = Write::begin(db, actor).await?;
    let txn = write.txn();
    let current = get(txn, id).await?;
    let email = text.email.clone().unwrap_or(current.email.clone());
    let phone = text.phone.clone().unwrap_or(current.phone.clone());
    let mut errors = Vec::new();
    let contact_by = contact_by(
        changes.contact_by,
        Some(current.contact_by),
        email.is_some(),
        phone.is_some(),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let organisation_id = changes.organisation_id.unwrap_or(current.organisation_id);
    check_references(txn, email.as_deref(), organisation_id, Some(id)).await?;
    if phone != current.phone {
        check_phone_free(txn, phone.as_deref(), Some(id)).await?;
    }
    let national_id = national_id.unwrap_or(current.national_id.clone());
    check_national_id_free(txn, national_id.as_deref(), Some(id)).await?;
    let before = audit::snapshot(&current);
    let mut model = current.clone().into_active_model();
    if let Some(name) = text.full_name {
        model.full_name = Set(name);
    }
    model.email = Set(email);
    model.phone = Set(phone);
    model.contact_by = Set(contact_by);
    if let Some(language) = changes.language {
        model.language = Set(language);
    }
    if let Some(ward) = text.ward {
        model.ward = Set(ward);
    }
    if let Some(gender) = changes.gender {
        model.gender = Set(gender);
    }
    model.organisation_id = Set(organisation_id);
    model.national_id = Set(national_id);
    if let Some(group) = changes.target_group {
        model.target_group = Set(group);
    }
    if let Some(year) = changes.birth_year {
        model.birth_year = Set(year);
    }
    if let Some(answers) = changes.disability {
        set_disability(&mut model, answers);
    }
    model.updated_at = Set(Utc::now());
    let updated = write.update_participant(&current, model).await?;
    let after = audit::snapshot(&updated);
    write.audit("participant", id, "update", before, after);
    write.commit().await?;
    Ok(updated)
}

/// Filters of the participant list.
#[derive(Debug, Clone, Default)]
pub struct ParticipantFilter {
    pub organisation_id: Option<i64>,
    pub target_group: Option<TargetGroup>,
    /// Case-insensitive part of the name or email.
    pub search: Option<String>,
}

/// Participants ordered by name.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: ParticipantFilter,
    page: PageRequest,
) -> Result<Page<participant::Model>> {
    let mut query = participant::Entity::find();
    if let Some(org) = filter.organisation_id {
        query = query.filter(participant::Column::OrganisationId.eq(org));
    }
    if let Some(group) = filter.target_group {
        query = query.filter(participant::Column::TargetGroup.eq(group));
    }
    if let Some(search) = filter.search.filter(|s| !s.trim().is_empty()) {
        use sea_orm::sea_query::{Expr, ExprTrait, Func};
        let pattern = format!("%{}%", search.trim().to_lowercase());
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(participant::Column::FullName)))
                .like(pattern.clone())
                .or(Expr::col(participant::Column::Email).like(pattern)),
        );
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(participant::Column::FullName)
        .order_by_asc(participant::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// The participant with this (normalised) email, if any.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?)
}

/// One data row of a participant import, as read (values not yet checked).
#[derive(Debug, Clone, Default)]
pub struct ImportRow {
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub gender: Option<String>,
    pub organisation_id: Option<String>,
    pub target_group: Option<String>,
    pub ward: Option<String>,
    pub national_id: Option<String>,
    pub birth_year: Option<String>,
    /// The six Washington Group answers, in the order of [`WashingtonGroup::answers`].
    pub disability: [Option<String>; 6],
    /// `en`, `sn` or `nd` (empty: English).
    pub language: Option<String>,
    /// `email`, `sms` or `both` (empty: the default for the row's contact details).
    pub contact_by: Option<String>,
}

/// The import columns of the Washington Group answers, in the order of
/// [`WashingtonGroup::answers`].
pub const DISABILITY_COLUMNS: [&str; 6] = [
    "disability_seeing",
    "disability_hearing",
    "disability_walking",
    "disability_cognition",
    "disability_self_care",
    "disability_communication",
];

/// Reads an import row's birth year and answers (all six cells or none).
fn import_demographics(
    row: &ImportRow,
    this_year: i32,
    errors: &mut Vec<FieldError>,
) -> (Option<i32>, Option<WashingtonGroup>) {
    use entity::participant::Difficulty;
    use sea_orm::ActiveEnum;
    let birth_year = non_empty(row.birth_year.clone()).and_then(|y| match y.parse::<i32>() {
        Ok(year) => {
            demographics::check_birth_year(year, this_year, errors);
            Some(year)
        }
        Err(_) => {
            errors.push(FieldError::new("birth_year", "must be a year such as 1985"));
            None
        }
    });
    let cells: Vec<Option<String>> = row.disability.iter().cloned().map(non_empty).collect();
    if cells.iter().all(Option::is_none) {
        return (birth_year, None);
    }
    let mut answers = Vec::with_capacity(6);
    for (cell, column) in cells.iter().zip(DISABILITY_COLUMNS) {
        match cell
            .as_deref()
            .map(|c| Difficulty::try_from_value(&c.to_owned()))
        {
            Some(Ok(answer)) => answers.push(answer),
            Some(Err(_)) => errors.push(FieldError::new(
                column,
                "must be one of: no_difficulty, some_difficulty, a_lot_of_difficulty, \
                 cannot_do_at_all, declined",
            )),
            None => errors.push(FieldError::new(
                column,
                "is required when any disability column is filled (all six, or none)",
            )),
        }
    }
    let answers = match answers[..] {
        [
            seeing,
            hearing,
            walking,
            cognition,
            self_care,
            communication,
        ] => Some(WashingtonGroup {
            seeing,
            hearing,
            walking,
            cognition,
            self_care,
            communication,
        }),
        _ => None,
    };
    (birth_year, answers)
}

/// Why one row of an import was not created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub created: Vec<participant::Model>,
    pub errors: Vec<RowError>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A row that passed the checks of its own fields, before the checks against other rows and
/// the database.
struct CheckedRow {
    line: u64,
    text: CleanParticipantText,
    gender: Option<Gender>,
    organisation_id: Option<i64>,
    target_group: TargetGroup,
    national_id: Option<String>,
    demographics: (Option<i32>, Option<WashingtonGroup>),
    language: Language,
    contact_by: ContactBy,
}

impl CheckedRow {
    fn email(&self) -> Option<String> {
        self.text.email.clone().flatten()
    }

    fn phone(&self) -> Option<String> {
        self.text.phone.clone().flatten()
    }

    fn into_model(self, now: chrono::DateTime<Utc>) -> participant::ActiveModel {
        let (birth_year, answers) = self.demographics;
        let mut model = participant::ActiveModel {
            email: Set(self.email()),
            phone: Set(self.phone()),
            full_name: Set(self.text.full_name.unwrap_or_default()),
            gender: Set(self.gender),
            organisation_id: Set(self.organisation_id),
            target_group: Set(self.target_group),
            ward: Set(self.text.ward.flatten()),
            national_id: Set(self.national_id),
            birth_year: Set(birth_year),
            language: Set(self.language),
            contact_by: Set(self.contact_by),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        set_disability(&mut model, answers);
        model
    }
}

/// An optional enumerated column: blank is `None`, a value outside `allowed` an error on
/// `field`.
fn import_choice<T: sea_orm::ActiveEnum<Value = String>>(
    value: &Option<String>,
    field: &str,
    allowed: &str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let value = non_empty(value.clone())?;
    T::try_from_value(&value)
        .map_err(|_| errors.push(FieldError::new(field, format!("must be one of: {allowed}"))))
        .ok()
}

/// Checks one row's own fields: the row ready to store, or every error on it.
fn check_import_row(
    row: ImportRow,
    this_year: i32,
) -> std::result::Result<CheckedRow, Vec<FieldError>> {
    let mut errors = Vec::new();
    let demographics = import_demographics(&row, this_year, &mut errors);
    let text = ParticipantText {
        full_name: Some(row.full_name.clone().unwrap_or_default()),
        email: Some(non_empty(row.email.clone())),
        phone: Some(non_empty(row.phone.clone())),
        ward: Some(non_empty(row.ward.clone())),
    };
    let cleaned = clean(text).map_err(|e| errors.extend(e)).ok();
    let national_id =
        crate::domain::national_id::clean("national_id", row.national_id.as_deref(), &mut errors);
    let gender = import_choice(
        &row.gender,
        "gender",
        "female, male, other, undisclosed",
        &mut errors,
    );
    let target_group = match non_empty(row.target_group.clone()) {
        None => {
            errors.push(FieldError::new("target_group", "is required"));
            None
        }
        Some(t) => sea_orm::ActiveEnum::try_from_value(&t)
            .map_err(|_| {
                errors.push(FieldError::new(
                    "target_group",
                    format!("{t:?} is not a target group"),
                ))
            })
            .ok(),
    };
    let organisation_id = non_empty(row.organisation_id.clone()).and_then(|o| {
        o.parse::<i64>()
            .map_err(|_| errors.push(FieldError::new("organisation_id", "must be a whole number")))
            .ok()
    });
    let lowercase = |v: &Option<String>| v.as_ref().map(|v| v.to_lowercase());
    let language = import_choice(
        &lowercase(&row.language),
        "language",
        "en, sn, nd",
        &mut errors,
    )
    .unwrap_or(Language::En);
    let asked_contact = import_choice(
        &lowercase(&row.contact_by),
        "contact_by",
        "email, sms, both",
        &mut errors,
    );
    let (Some(text), Some(target_group)) = (cleaned, target_group) else {
        return Err(errors);
    };
    let contact_by = contact_by(
        asked_contact,
        None,
        text.email.clone().flatten().is_some(),
        text.phone.clone().flatten().is_some(),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CheckedRow {
        line: row.line,
        text,
        gender,
        organisation_id,
        target_group,
        national_id,
        demographics,
        language,
        contact_by,
    })
}

/// What the database already holds of the values an import must not repeat.
struct Existing {
    emails: HashSet<String>,
    national_ids: HashSet<String>,
    phones: HashSet<String>,
    organisations: HashSet<i64>,
}

impl Existing {
    /// One query per column for all the rows.
    async fn load(db: &impl ConnectionTrait, rows: &[CheckedRow]) -> Result<Self> {
        let find = |column: participant::Column, values: Vec<String>| {
            participant::Entity::find()
                .filter(column.is_in(values))
                .all(db)
        };
        let people = find(
            participant::Column::Email,
            rows.iter().filter_map(CheckedRow::email).collect(),
        )
        .await?;
        let emails = people.into_iter().filter_map(|p| p.email).collect();
        let ids = rows.iter().filter_map(|r| r.national_id.clone()).collect();
        let people = find(participant::Column::NationalId, ids).await?;
        let national_ids = people.into_iter().filter_map(|p| p.national_id).collect();
        let people = find(
            participant::Column::Phone,
            rows.iter().filter_map(CheckedRow::phone).collect(),
        )
        .await?;
        let phones = people.into_iter().filter_map(|p| p.phone).collect();
        let organisations = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(rows.iter().filter_map(|r| r.organisation_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect();
        Ok(Self {
            emails,
            national_ids,
            phones,
            organisations,
        })
    }
}

/// The unique values of the rows accepted so far, with the line each was first on.
#[derive(Default)]
struct Seen {
    emails: HashMap<String, u64>,
    national_ids: HashMap<String, u64>,
    phones: HashMap<String, u64>,
}

/// The error when `value` of `field` is held already, or is on an earlier line of the file.
fn clash(
    line: u64,
    field: &str,
    (value, shown): (&str, &str),
    existing: &HashSet<String>,
    seen: &HashMap<String, u64>,
    what: &str,
) -> Option<RowError> {
    let message = if existing.contains(value) {
        format!("a participant with {what} {shown} already exists")
    } else {
        format!("{shown} is also on line {}", seen.get(value)?)
    };
    Some(RowError {
        line,
        field: field.into(),
        message,
    })
}

impl Seen {
    /// The first clash of `row` with the database or an earlier row (phone, national ID, email,
    /// organisation, in that order); else the row is remembered and accepted.
    fn admit(&mut self, row: &CheckedRow, existing: &Existing) -> Option<RowError> {
        let line = row.line;
        let phone = row.phone();
        let email = row.email();
        let found = phone
            .as_deref()
            .and_then(|p| {
                let shown = crate::domain::phone::display(p);
                clash(
                    line,
                    "phone",
                    (p, &shown),
                    &existing.phones,
                    &self.phones,
                    "phone number",
                )
            })
            .or_else(|| {
                let id = row.national_id.as_deref()?;
                clash(
                    line,
                    "national_id",
                    (id, id),
                    &existing.national_ids,
                    &self.national_ids,
                    "national ID number",
                )
            })
            .or_else(|| {
                let e = email.as_deref()?;
                clash(
                    line,
                    "email",
                    (e, e),
                    &existing.emails,
                    &self.emails,
                    "email",
                )
            })
            .or_else(|| {
                let org = row
                    .organisation_id
                    .filter(|o| !existing.organisations.contains(o))?;
                let message = format!("organisation {org} does not exist");
                Some(RowError {
                    line,
                    field: "organisation_id".into(),
                    message,
                })
            });
        if found.is_none() {
            let values = [
                (phone, &mut self.phones),
                (row.national_id.clone(), &mut self.national_ids),
                (email, &mut self.emails),
            ];
            for (value, seen) in values {
                if let Some(value) = value {
                    seen.entry(value).or_insert(line);
                }
            }
        }
        found
    }
}

/// Creates every valid row in one transaction and reports every invalid one with its line.
/// Checks run in bulk (one query for all emails, one for all organisations), so a thousand
/// rows import in a few dozen statements.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    rows: Vec<ImportRow>,
) -> Result<ImportOutcome> {
    let mut errors = Vec::new();
    let mut valid = Vec::new();
    let this_year = Utc::now().year();
    for row in rows {
        let line = row.line;
        match check_import_row(row, this_year) {
            Ok(row) => valid.push(row),
            Err(row_errors) => errors.extend(row_errors.into_iter().map(|e| RowError {
                line,
                field: e.field,
                message: e.message,
            })),
        }
    }
    let existing = Existing::load(db, &valid).await?;
    let mut seen = Seen::default();
    let now = Utc::now();
    let mut to_insert = Vec::new();
    for row in valid {
        match seen.admit(&row, &existing) {
            Some(error) => errors.push(error),
            None => to_insert.push(row.into_model(now)),
        }
    }
    errors.sort_by_key(|e| e.line);
    let created = insert_imported(db, actor, to_insert).await?;
    Ok(ImportOutcome { created, errors })
}

/// Stores the accepted rows, a hundred a statement, and audits each, in one transaction.
async fn insert_imported(
    db: &DatabaseConnection,
    actor: &Actor,
    rows: Vec<participant::ActiveModel>,
) -> Result<Vec<participant::Model>> {
    let txn = crate::db::begin_write(db).await?;
    let mut created = Vec::with_capacity(rows.len());
    let mut pending = rows.into_iter().peekable();
    while pending.peek().is_some() {
        let chunk: Vec<_> = pending.by_ref().take(100).collect();
        created.extend(
            participant::Entity::insert_many(chunk)
                .exec_with_returning(&txn)
                .await?,
        );
    }
    let changes = created
        .iter()
        .map(|p| audit::Change {
            entity: "participant",
            entity_id: p.id,
            action: "import",
            before: None,
            after: audit::snapshot(p),
        })
        .collect();
    audit::record_many(&txn, actor, changes).await?;
    txn.commit().await?;
    Ok(created)
}
