//! Open workshops: the public catalogue, applications for a place, their confirmation by
//! emailed link or SMS code, and an administrator's answer.
//!
//! An application is `unconfirmed` until the applicant opens the link or enters the code; one
//! left unconfirmed for [`CONFIRM_WITHIN`] lapses (marked `lapsed` whenever applications are read
//! or confirmed, on this module's [`ApplicationClock`], so no job is needed for an administrator
//! never to see it as pending). Accepting goes through the workshop's unit of work
//! ([`WorkshopWrite`]): the applicant takes a seat or a waitlist place under the same lock as
//! every other enrolment, so the cap holds with applications accepted in parallel. The
//! applicant is told either way, in the language they applied in: by mail, or by SMS when
//! they gave only a phone.

use std::{
    collections::{BTreeSet, HashMap},
    sync::{Arc, RwLock},
};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    course,
    email_outbox::EmailKind,
    enrolment::{self, EnrolmentStatus},
    organisation::{self, Province},
    participant::{self, Gender, TargetGroup},
    sms_outbox::SmsKind,
    workshop::{self, Status},
    workshop_application::{self, ApplicationStatus},
};
use rand::Rng;
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{
    Page, PageRequest, audit,
    login_throttle::{LoginThrottle, Purpose},
    participant_sms::FIRST_DAY_STARTS,
    participants::{self, ParticipantChanges},
    workshop_queries,
    workshop_write::{WorkshopWrite, Write},
};
use crate::{
    db::WriteTxn,
    domain::{
        Error, FieldError, Result,
        access::Actor,
        application::{self, ApplicationText, CODE_TRIES, CONFIRM_WITHIN},
        consent::NOTICE_VERSION,
        duplicates::{Reason, name_key, phone_key},
        language::Lang,
        participant::ParticipantText,
    },
    mail::{
        applications::{self as compose, AboutWorkshop},
        outbox::{self, NewMessage},
    },
    sms::texts::Facts,
    webhook::EventType,
};

/// A source of the current time.
pub type Now = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The time as applications see it: the wall clock, unless a test sets another.
#[derive(Clone)]
pub struct ApplicationClock(Arc<RwLock<Now>>);

impl Default for ApplicationClock {
    fn default() -> Self {
        Self(Arc::new(RwLock::new(Arc::new(Utc::now))))
    }
}

impl ApplicationClock {
    /// Now, on this clock.
    pub fn now(&self) -> DateTime<Utc> {
        let clock = self.0.read().unwrap_or_else(|e| e.into_inner()).clone();
        clock()
    }

    /// Replaces the clock (tests move time with it).
    pub fn set(&self, clock: Now) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = clock;
    }
}

// ---------------------------------------------------------------------------------------------
// The catalogue

/// What the catalogue lists by.
#[derive(Debug, Clone, Default)]
pub struct CatalogueFilter {
    /// A course code (`CSSD`), any case.
    pub course: Option<String>,
    pub province: Option<Province>,
    /// Only workshops starting on or after this date.
    pub from: Option<NaiveDate>,
}

/// A workshop as the public sees it: nothing about people but the seats left.
#[derive(Debug, Clone)]
pub struct PublicWorkshop {
    pub workshop: workshop::Model,
    pub course: course::Model,
    pub province: Option<Province>,
}

impl PublicWorkshop {
    pub fn seats_left(&self) -> i32 {
        (self.workshop.capacity - self.workshop.seats_taken).max(0)
    }

    /// Full: a new applicant, if accepted, joins the waitlist.
    pub fn waitlist_open(&self) -> bool {
        self.seats_left() == 0
    }
}

/// Whether a workshop takes applications on `today`: public, scheduled, not yet started.
fn open_for_applications(w: &workshop::Model, today: NaiveDate) -> Result<()> {
    if !w.public {
        return Err(Error::Conflict(format!(
            "workshop {} is not open for applications",
            w.id
        )));
    }
    match w.status {
        Status::Cancelled => Err(Error::Conflict(format!("workshop {} was cancelled", w.id))),
        Status::Scheduled if w.start_date > today => Ok(()),
        _ => Err(Error::Conflict(format!(
            "workshop {} has started: it no longer takes applications",
            w.id
        ))),
    }
}

/// The public workshops that take applications on `today`, by start date.
pub async fn catalogue(
    db: &impl ConnectionTrait,
    filter: &CatalogueFilter,
    today: NaiveDate,
) -> Result<Vec<PublicWorkshop>> {
    let mut query = workshop::Entity::find()
        .filter(workshop::Column::Public.eq(true))
        .filter(workshop::Column::Status.eq(Status::Scheduled))
        .filter(workshop::Column::StartDate.gt(today))
        .order_by_asc(workshop::Column::StartDate)
        .order_by_asc(workshop::Column::Id);
    if let Some(from) = filter.from {
        query = query.filter(workshop::Column::StartDate.gte(from));
    }
    let workshops = query.limit(500).all(db).await?;
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(workshops.iter().map(|w| w.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let provinces: HashMap<i64, Option<Province>> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(workshops.iter().filter_map(|w| w.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.province))
        .collect();
    let wanted_course = filter.course.as_deref().map(|c| c.trim().to_uppercase());
    Ok(workshops
        .into_iter()
        .filter_map(|w| {
            let course = courses.get(&w.course_id)?.clone();
            let province = w
                .organisation_id
                .and_then(|o| provinces.get(&o).copied().flatten());
            if wanted_course
                .as_deref()
                .is_some_and(|c| !course.code.eq_ignore_ascii_case(c))
            {
                return None;
            }
            if filter.province.is_some() && filter.province != province {
                return None;
            }
            Some(PublicWorkshop {
                workshop: w,
                course,
                province,
            })
        })
        .collect())
}

/// One public workshop that takes applications, with its days (404 for any other: the public
/// never learns of private ones).
pub async fn public_workshop(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<(PublicWorkshop, workshop_queries::WorkshopView)> {
    let view = workshop_queries::get(db, id).await?;
    if !view.workshop.public {
        return Err(Error::NotFound {
            entity: "workshop",
            id,
        });
    }
    let province = match view.workshop.organisation_id {
        Some(org) => organisation::Entity::find_by_id(org)
            .one(db)
            .await?
            .and_then(|o| o.province),
        None => None,
    };
    Ok((
        PublicWorkshop {
            workshop: view.workshop.clone(),
            course: view.course.clone(),
            province,
        },
        view,
    ))
}

/// How long a catalogue answer (the API's list, the pages) may be kept, in seconds.
pub const CATALOGUE_MAX_AGE: u32 = 60;

/// The `Cache-Control` of the public catalogue's answers.
pub fn catalogue_cache_control() -> String {
    format!("public, max-age={CATALOGUE_MAX_AGE}")
}

/// A strong entity tag (`"…"`) for a catalogue answer's bytes.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// Whether an `If-None-Match` value names `etag` (or `*`); weak tags compare by their value.
pub fn matches_etag(if_none_match: Option<&str>, etag: &str) -> bool {
    if_none_match.is_some_and(|header| {
        header
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
    })
}

// ---------------------------------------------------------------------------------------------
// Applying and confirming

/// An application as sent.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub text: ApplicationText,
    pub target_group: TargetGroup,
    pub gender: Option<Gender>,
    /// The language the applicant applied in.
    pub lang: Lang,
}

/// What applying gave.
#[derive(Debug, Clone)]
pub struct Applied {
    pub application: workshop_application::Model,
    /// The workshop is full: if accepted, the applicant joins the waitlist.
    pub waitlist_open: bool,
}

fn digest(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex::encode(hasher.finalize())
}

fn new_reference() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let tail: String = (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("A-{tail}")
}

/// The secret of a confirmation link: the mail's stored copy forgets it once sent, as a
/// sign-in link's (`mail::sign_in::forget_secret`); the application keeps only its hash.
fn new_token() -> String {
    super::accounts::new_token(compose::LINK_PREFIX)
}

fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

fn code_hash(reference: &str, code: &str) -> String {
    digest(&["code", reference, code])
}

fn token_hash(token: &str) -> String {
    digest(&["link", token])
}

/// The workshop's words for an applicant's mail.
fn about(w: &workshop::Model, c: &course::Model, lang: Lang) -> AboutWorkshop {
    AboutWorkshop {
        course: format!("{} ({})", c.title, c.code),
        dates: crate::l10n::text_with(
            lang,
            "catalogue-dates",
            &[
                ("start", w.start_date.to_string().into()),
                ("end", w.end_date.to_string().into()),
            ],
        ),
        venue: w.venue.clone(),
    }
}

fn lang_of(a: &workshop_application::Model) -> Lang {
    Lang::parse(&a.language).unwrap_or_default()
}

/// The application as webhooks and the audit log show it: no contact details.
fn announced(a: &workshop_application::Model) -> Value {
    json!({
        "id": a.id,
        "reference": a.reference,
        "workshop_id": a.workshop_id,
        "status": a.status.to_value(),
        "target_group": a.target_group.to_value(),
        "participant_id": a.participant_id,
        "enrolment_id": a.enrolment_id,
    })
}

/// Sends the code that confirms an application to the applicant's phone.
/// It goes as a `sign_in_code` SMS (a one-time code: its body is masked once sent).
async fn send_code_sms(
    txn: &WriteTxn,
    phone: &str,
    lang: Lang,
    reference: &str,
    code: &str,
) -> Result<()> {
    let body = compose::code_sms(lang, reference, code);
    crate::sms::outbox::queue(
        txn,
        crate::sms::outbox::NewSms {
            kind: entity::sms_outbox::SmsKind::SignInCode,
            recipient: phone.to_owned(),
            participant_id: None,
            enrolment_id: None,
            body,
            dedupe_key: None,
        },
    )
    .await?;
    Ok(())
}

/// Takes an application for workshop `workshop_id`: checked (422 per field), throttled per
/// contact and per client address (429), refused for a workshop that is not public, has
/// started or was cancelled (409; 404 when there is none). The applicant gets a link by mail
/// (when they gave an email) or a code by SMS (when they gave only a phone) to confirm it
/// within 24 hours.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    workshop_id: i64,
    new: NewApplication,
    from: Option<&str>,
    now: DateTime<Utc>,
    today: NaiveDate,
    public_url: &str,
) -> Result<Applied> {
    let clean = application::clean(new.text).map_err(Error::Invalid)?;
    let contact = clean
        .email
        .clone()
        .or_else(|| clean.phone.clone())
        .unwrap_or_default();
    throttle
        .begin_for(
            Purpose::Application,
            &contact,
            from,
            std::time::Instant::now(),
        )
        .map_err(|retry_after| Error::TooManyAttempts { retry_after })?
        .failed();
    let mut write = Write::begin(db, &Actor::system("applicant")).await?;
    let w = workshop::Entity::find_by_id(workshop_id)
        .one(write.txn())
        .await?
        .ok_or(Error::NotFound {
            entity: "workshop",
            id: workshop_id,
        })?;
    open_for_applications(&w, today)?;
    let c = course::Entity::find_by_id(w.course_id)
        .one(write.txn())
        .await?
        .ok_or(Error::NotFound {
            entity: "course",
            id: w.course_id,
        })?;
    let reference = new_reference();
    let token = clean.email.as_ref().map(|_| new_token());
    let code = match (&clean.email, &clean.phone) {
        (None, Some(_)) => Some(new_code()),
        _ => None,
    };
    let row = workshop_application::ActiveModel {
        reference: Set(reference.clone()),
        workshop_id: Set(workshop_id),
        full_name: Set(clean.full_name.clone()),
        email: Set(clean.email.clone()),
        phone: Set(clean.phone.clone()),
        organisation_name: Set(clean.organisation_name.clone()),
        target_group: Set(new.target_group),
        gender: Set(new.gender),
        language: Set(new.lang.code().to_owned()),
        consent_given_at: Set(now),
        consent_text_version: Set(NOTICE_VERSION.to_owned()),
        status: Set(ApplicationStatus::Unconfirmed),
        confirm_token_hash: Set(token.as_deref().map(token_hash)),
        code_hash: Set(code.as_deref().map(|c| code_hash(&reference, c))),
        code_tries: Set(0),
        confirm_by: Set(now + CONFIRM_WITHIN),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let saved = workshop_application::Entity::insert(row)
        .exec_with_returning(write.txn())
        .await?;
    let words = about(&w, &c, new.lang);
    if let (Some(email), Some(token)) = (&saved.email, &token) {
        let url = format!("{public_url}/catalogue/confirm/{token}");
        let (subject, body_text, body_html) =
            compose::confirm_email(new.lang, &saved.full_name, &words, &reference, &url);
        outbox::queue(
            write.txn(),
            NewMessage {
                kind: EmailKind::ApplicationConfirmation,
                recipient: email.clone(),
                recipient_name: saved.full_name.clone(),
                subject,
                body_text,
                body_html,
                certificate_id: None,
                enrolment_id: None,
                dedupe_key: Some(format!("application_confirmation:{}", saved.id)),
                attachment: None,
            },
        )
        .await?;
    }
    if let (Some(phone), Some(code)) = (&saved.phone, &code) {
        send_code_sms(write.txn(), phone, new.lang, &reference, code).await?;
    }
    write.audit(
        "workshop_application",
        saved.id,
        "create",
        None,
        Some(announced(&saved)),
    );
    write.commit().await?;
    Ok(Applied {
        waitlist_open: w.seats_taken >= w.capacity,
        application: saved,
    })
}

/// Marks every unconfirmed application whose time is up as `lapsed`; returns how many.
pub async fn lapse_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let done = workshop_application::Entity::update_many()
        .col_expr(
            workshop_application::Column::Status,
            Expr::value(ApplicationStatus::Lapsed.to_value()),
        )
        .col_expr(workshop_application::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            workshop_application::Column::ConfirmTokenHash,
            Expr::value(Option::<String>::None),
        )
        .filter(workshop_application::Column::Status.eq(ApplicationStatus::Unconfirmed))
        .filter(workshop_application::Column::ConfirmBy.lte(now))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// A confirmed application and its workshop's course, for the page that says so.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub application: workshop_application::Model,
    pub course_title: String,
}

async fn confirm(
    write: &mut Write,
    current: workshop_application::Model,
    now: DateTime<Utc>,
) -> Result<Confirmed> {
    let mut model = current.clone().into_active_model();
    model.status = Set(ApplicationStatus::Pending);
    model.confirmed_at = Set(Some(now));
    model.confirm_token_hash = Set(None);
    model.code_hash = Set(None);
    model.updated_at = Set(now);
    let saved = workshop_application::Entity::update(model)
        .exec(write.txn())
        .await?;
    let course_title = match workshop::Entity::find_by_id(saved.workshop_id)
        .one(write.txn())
        .await?
    {
        Some(w) => course::Entity::find_by_id(w.course_id)
            .one(write.txn())
            .await?
            .map(|c| c.title)
            .unwrap_or_default(),
        None => String::new(),
    };
    write.audit(
        "workshop_application",
        saved.id,
        "confirm",
        Some(announced(&current)),
        Some(announced(&saved)),
    );
    write.emit(EventType::ApplicationReceived, Some(announced(&saved)));
    Ok(Confirmed {
        application: saved,
        course_title,
    })
}

/// Confirms the application whose emailed link carries `token`. `None` when the link is
/// unknown, used or lapsed (the applicant cannot tell which, nor can anyone guessing).
pub async fn confirm_by_link(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Confirmed>> {
    if !token.starts_with(compose::LINK_PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let mut write = Write::begin(db, &Actor::system("applicant")).await?;
    lapse_expired(write.txn(), now).await?;
    let Some(current) = workshop_application::Entity::find()
        .filter(workshop_application::Column::ConfirmTokenHash.eq(token_hash(token)))
        .filter(workshop_application::Column::Status.eq(ApplicationStatus::Unconfirmed))
        .one(write.txn())
        .await?
    else {
        write.commit().await?;
        return Ok(None);
    };
    let confirmed = confirm(&mut write, current, now).await?;
    write.commit().await?;
    Ok(Some(confirmed))
}

/// Confirms application `reference` with the code sent by SMS. A wrong code counts; after
/// [`CODE_TRIES`] wrong codes the code stops working. `None` for a wrong code, an unknown
/// reference or a lapsed application.
pub async fn confirm_by_code(
    db: &DatabaseConnection,
    reference: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<Confirmed>> {
    let reference = reference.trim().to_uppercase();
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let mut write = Write::begin(db, &Actor::system("applicant")).await?;
    lapse_expired(write.txn(), now).await?;
    let Some(current) = workshop_application::Entity::find()
        .filter(workshop_application::Column::Reference.eq(reference.as_str()))
        .filter(workshop_application::Column::Status.eq(ApplicationStatus::Unconfirmed))
        .one(write.txn())
        .await?
    else {
        write.commit().await?;
        return Ok(None);
    };
    let right = current
        .code_hash
        .as_deref()
        .is_some_and(|h| current.code_tries < CODE_TRIES && h == code_hash(&reference, &code));
    if !right {
        workshop_application::Entity::update_many()
            .col_expr(
                workshop_application::Column::CodeTries,
                sea_orm::sea_query::ExprTrait::add(
                    Expr::col(workshop_application::Column::CodeTries),
                    1,
                ),
            )
            .filter(workshop_application::Column::Id.eq(current.id))
            .exec(write.txn())
            .await?;
        write.commit().await?;
        return Ok(None);
    }
    let confirmed = confirm(&mut write, current, now).await?;
    write.commit().await?;
    Ok(Some(confirmed))
}

// ---------------------------------------------------------------------------------------------
// Review

/// A participant on record who may be the applicant, and why.
#[derive(Debug, Clone)]
pub struct DuplicateCandidate {
    pub participant_id: i64,
    pub full_name: String,
    pub reasons: Vec<Reason>,
}

/// An application with the participants who may be the same person.
#[derive(Debug, Clone)]
pub struct ApplicationView {
    pub application: workshop_application::Model,
    pub candidates: Vec<DuplicateCandidate>,
}

/// What the administrators' list shows.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub workshop_id: Option<i64>,
    pub status: Option<ApplicationStatus>,
}

/// The participants on record that the duplicate finder's rules tie to each application: the
/// same email, the same phone (however written), or the same name in an organisation of the
/// applicant's organisation's name. (Applications carry no national ID.)
async fn candidates_for(
    db: &impl ConnectionTrait,
    applications: &[workshop_application::Model],
) -> Result<Vec<Vec<DuplicateCandidate>>> {
    if applications.is_empty() {
        return Ok(vec![]);
    }
    let org_names: BTreeSet<String> = applications
        .iter()
        .filter_map(|a| a.organisation_name.as_deref().map(name_key))
        .collect();
    let orgs_by_name: HashMap<String, Vec<i64>> = if org_names.is_empty() {
        HashMap::new()
    } else {
        let mut map: HashMap<String, Vec<i64>> = HashMap::new();
        for (id, name) in organisation::Entity::find()
            .select_only()
            .columns([organisation::Column::Id, organisation::Column::Name])
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
        {
            let key = name_key(&name);
            if org_names.contains(&key) {
                map.entry(key).or_default().push(id);
            }
        }
        map
    };
    let emails: Vec<String> = applications
        .iter()
        .filter_map(|a| a.email.clone())
        .collect();
    let org_ids: Vec<i64> = orgs_by_name.values().flatten().copied().collect();
    let any_phone = applications.iter().any(|a| a.phone.is_some());
    let mut condition = Condition::any()
        .add(participant::Column::Email.is_in(emails))
        .add(participant::Column::OrganisationId.is_in(org_ids));
    if any_phone {
        condition = condition.add(participant::Column::Phone.is_not_null());
    }
    let people = participant::Entity::find()
        .filter(condition)
        .order_by_asc(participant::Column::Id)
        .all(db)
        .await?;
    Ok(applications
        .iter()
        .map(|a| {
            let email = a.email.as_deref().map(|e| e.trim().to_lowercase());
            let phone = a.phone.as_deref().and_then(phone_key);
            let name = name_key(&a.full_name);
            let orgs: &[i64] = a
                .organisation_name
                .as_deref()
                .and_then(|o| orgs_by_name.get(&name_key(o)))
                .map_or(&[], Vec::as_slice);
            people
                .iter()
                .filter_map(|p| {
                    let mut reasons = Vec::new();
                    if email.is_some() && p.email.as_deref().map(str::to_lowercase) == email {
                        reasons.push(Reason::Email);
                    }
                    if phone.is_some() && p.phone.as_deref().and_then(phone_key) == phone {
                        reasons.push(Reason::Phone);
                    }
                    if !name.is_empty()
                        && p.organisation_id.is_some_and(|o| orgs.contains(&o))
                        && name_key(&p.full_name) == name
                    {
                        reasons.push(Reason::NameAndOrganisation);
                    }
                    (!reasons.is_empty()).then(|| DuplicateCandidate {
                        participant_id: p.id,
                        full_name: p.full_name.clone(),
                        reasons,
                    })
                })
                .collect()
        })
        .collect())
}

/// Applications, newest first, each with its duplicate candidates. Lapsed ones are marked
/// first, so an unconfirmed application past its time is never listed as waiting.
pub async fn list(
    db: &DatabaseConnection,
    filter: ApplicationFilter,
    page: PageRequest,
    now: DateTime<Utc>,
) -> Result<Page<ApplicationView>> {
    lapse_expired(db, now).await?;
    let mut query = workshop_application::Entity::find();
    if let Some(w) = filter.workshop_id {
        query = query.filter(workshop_application::Column::WorkshopId.eq(w));
    }
    if let Some(s) = filter.status {
        query = query.filter(workshop_application::Column::Status.eq(s));
    }
    let total = query.clone().count(db).await?;
    let found = query
        .order_by_desc(workshop_application::Column::CreatedAt)
        .order_by_desc(workshop_application::Column::Id)
        .offset(page.offset)
        .limit(page.limit)
        .all(db)
        .await?;
    let candidates = candidates_for(db, &found).await?;
    Ok(Page {
        items: found
            .into_iter()
            .zip(candidates)
            .map(|(application, candidates)| ApplicationView {
                application,
                candidates,
            })
            .collect(),
        total,
    })
}

/// Applications waiting for an answer (`pending`), per workshop, for the console.
pub async fn pending_counts(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<HashMap<i64, u64>> {
    lapse_expired(db, now).await?;
    let rows: Vec<(i64, i64)> = workshop_application::Entity::find()
        .select_only()
        .column(workshop_application::Column::WorkshopId)
        .column_as(workshop_application::Column::Id.count(), "n")
        .filter(workshop_application::Column::Status.eq(ApplicationStatus::Pending))
        .group_by(workshop_application::Column::WorkshopId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(w, n)| (w, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// How many applications stand at each status (lapsed ones marked first).
pub async fn status_counts(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<HashMap<ApplicationStatus, u64>> {
    lapse_expired(db, now).await?;
    let rows: Vec<(String, i64)> = workshop_application::Entity::find()
        .select_only()
        .column(workshop_application::Column::Status)
        .column_as(workshop_application::Column::Id.count(), "n")
        .group_by(workshop_application::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, n)| {
            ApplicationStatus::try_from_value(&s)
                .ok()
                .map(|s| (s, u64::try_from(n).unwrap_or(0)))
        })
        .collect())
}

/// One application by id.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<workshop_application::Model> {
    workshop_application::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "application",
            id,
        })
}

fn must_be_pending(a: &workshop_application::Model) -> Result<()> {
    if a.status == ApplicationStatus::Pending {
        return Ok(());
    }
    Err(Error::Conflict(format!(
        "application {} is {}: only a confirmed application waiting for an answer can be \
         accepted or declined",
        a.id,
        a.status.to_value()
    )))
}

/// How an applicant is told of an answer: the mail (to an applicant who gave an email
/// address) or the SMS (to one known only by phone), both in their language.
struct Answer {
    mail: EmailKind,
    composed: (String, String, String),
    sms: SmsKind,
    facts: Facts,
    participant_id: Option<i64>,
    enrolment_id: Option<i64>,
}

/// What an answer's SMS says about the workshop (`position`: a waitlist place; `reason`: a
/// decline's).
fn sms_facts(
    a: &workshop_application::Model,
    w: &workshop::Model,
    c: &course::Model,
    position: Option<u64>,
    reason: &str,
) -> Facts {
    Facts {
        name: a.full_name.clone(),
        course: c.code.clone(),
        date: w.start_date,
        time: FIRST_DAY_STARTS.to_owned(),
        venue: w.venue.clone(),
        position,
        evaluation_url: String::new(),
        verify_url: String::new(),
        portal_url: String::new(),
        reference: a.reference.clone(),
        reason: reason.to_owned(),
    }
}

/// Queues the answer to the applicant: by mail if they gave an email address, else by SMS to
/// their phone (in the unit of work's transaction, once per application and kind).
async fn tell_applicant(
    txn: &WriteTxn,
    a: &workshop_application::Model,
    answer: Answer,
) -> Result<()> {
    if let Some(email) = &a.email {
        let (subject, body_text, body_html) = answer.composed;
        outbox::queue(
            txn,
            NewMessage {
                kind: answer.mail,
                recipient: email.clone(),
                recipient_name: a.full_name.clone(),
                subject,
                body_text,
                body_html,
                certificate_id: None,
                enrolment_id: answer.enrolment_id,
                dedupe_key: Some(format!("{}:application:{}", answer.mail.to_value(), a.id)),
                attachment: None,
            },
        )
        .await?;
        return Ok(());
    }
    let Some(phone) = &a.phone else {
        return Ok(());
    };
    let body = match crate::sms::texts::journey(answer.sms, lang_of(a), &answer.facts) {
        Ok(body) => body,
        Err(err) => {
            // Never cut short: a message that cannot fit is not sent, and the log says why.
            tracing::error!(application = a.id, error = %err, "sms not queued");
            return Ok(());
        }
    };
    crate::sms::outbox::queue(
        txn,
        crate::sms::outbox::NewSms {
            kind: answer.sms,
            recipient: phone.clone(),
            participant_id: answer.participant_id,
            enrolment_id: answer.enrolment_id,
            body,
            dedupe_key: Some(format!("{}:application:{}", answer.sms.to_value(), a.id)),
        },
    )
    .await?;
    Ok(())
}

/// What accepting gave.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub application: workshop_application::Model,
    pub enrolment: enrolment::Model,
    pub waitlist_position: Option<u64>,
    /// A participant was created from the application (else an existing one was linked).
    pub created_participant: bool,
}

/// Accepts a pending application: enrols `participant_id` (an existing participant the
/// administrator recognised as the applicant) or a participant created from the application,
/// in a seat while there is one, else on the waitlist — in the workshop's unit of work, like
/// any enrolment. The applicant is told by mail (or SMS) in their language.
pub async fn accept(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    participant_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Accepted> {
    lapse_expired(db, now).await?;
    let workshop_id = get(db, id).await?.workshop_id;
    let mut write = WorkshopWrite::begin(db, actor, workshop_id).await?;
    // Read again under the workshop's lock: two administrators accepting the same application
    // at once get one acceptance and one 409.
    let current = get(write.txn(), id).await?;
    must_be_pending(&current)?;
    let w = write.workshop().clone();
    if w.status != Status::Scheduled {
        return Err(Error::Conflict(format!(
            "workshop {} is not taking enrolments: it is {}",
            w.id,
            w.status.to_value()
        )));
    }
    let (participant, created) = match participant_id {
        Some(pid) => {
            let p = participant::Entity::find_by_id(pid)
                .one(write.txn())
                .await?
                .ok_or_else(|| {
                    Error::Invalid(vec![FieldError::new(
                        "participant_id",
                        format!("participant {pid} does not exist"),
                    )])
                })?;
            (p, false)
        }
        None => {
            if let Some(email) = &current.email
                && let Some(holder) = participant::Entity::find()
                    .filter(participant::Column::Email.eq(email.as_str()))
                    .one(write.txn())
                    .await?
            {
                return Err(Error::Conflict(format!(
                    "participant {} already has the email {email}: accept with \
                     participant_id {} to link the application to them",
                    holder.id, holder.id
                )));
            }
            let organisation_id = match &current.organisation_name {
                Some(name) => {
                    let key = name_key(name);
                    organisation::Entity::find()
                        .all(write.txn())
                        .await?
                        .into_iter()
                        .find(|o| name_key(&o.name) == key)
                        .map(|o| o.id)
                }
                None => None,
            };
            let changes = ParticipantChanges {
                text: ParticipantText {
                    full_name: Some(current.full_name.clone()),
                    email: Some(current.email.clone()),
                    phone: Some(current.phone.clone()),
                    ward: None,
                },
                gender: Some(current.gender),
                organisation_id: Some(organisation_id),
                target_group: Some(current.target_group),
                // They read the language they applied in.
                language: sea_orm::ActiveEnum::try_from_value(&current.language).ok(),
                ..Default::default()
            };
            let p = participants::create_in(write.txn(), actor, changes).await?;
            (p, true)
        }
    };
    let existing = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(w.id))
        .filter(enrolment::Column::ParticipantId.eq(participant.id))
        .one(write.txn())
        .await?;
    if let Some(e) = &existing
        && e.status != EnrolmentStatus::Withdrawn
    {
        return Err(Error::Conflict(format!(
            "participant {} is already {} in workshop {} (enrolment {})",
            participant.id,
            e.status.to_value(),
            w.id,
            e.id
        )));
    }
    let consent = crate::domain::consent::Consent {
        given_at: current.consent_given_at,
        text_version: current.consent_text_version.clone(),
    };
    let enrolled = write
        .enrol_consenting(participant.id, existing, Some(consent))
        .await?;
    let mut model = current.clone().into_active_model();
    model.status = Set(ApplicationStatus::Accepted);
    model.decided_at = Set(Some(now));
    model.participant_id = Set(Some(participant.id));
    model.enrolment_id = Set(Some(enrolled.enrolment.id));
    model.updated_at = Set(now);
    let saved = workshop_application::Entity::update(model)
        .exec(write.txn())
        .await?;
    let lang = lang_of(&saved);
    let course = course::Entity::find_by_id(w.course_id)
        .one(write.txn())
        .await?
        .ok_or(Error::NotFound {
            entity: "course",
            id: w.course_id,
        })?;
    let composed = compose::accepted_email(
        lang,
        &saved.full_name,
        &about(&w, &course, lang),
        &saved.reference,
        enrolled.waitlist_position,
    );
    let answer = Answer {
        mail: EmailKind::ApplicationAccepted,
        composed,
        sms: SmsKind::ApplicationAccepted,
        facts: sms_facts(&saved, &w, &course, enrolled.waitlist_position, ""),
        participant_id: Some(participant.id),
        enrolment_id: Some(enrolled.enrolment.id),
    };
    tell_applicant(write.txn(), &saved, answer).await?;
    write.audit(
        "workshop_application",
        saved.id,
        "accept",
        Some(announced(&current)),
        Some(announced(&saved)),
    );
    let mut data = announced(&saved);
    if let (Value::Object(fields), Some(e)) = (&mut data, audit::snapshot(&enrolled.enrolment)) {
        fields.insert("enrolment".into(), e);
    }
    write.emit(EventType::ApplicationAccepted, Some(data));
    write.commit().await?;
    Ok(Accepted {
        application: saved,
        enrolment: enrolled.enrolment,
        waitlist_position: enrolled.waitlist_position,
        created_participant: created,
    })
}

/// Declines a pending application with a reason the applicant is told, in their language.
pub async fn decline(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<workshop_application::Model> {
    let reason = application::clean_reason(reason).map_err(|e| Error::Invalid(vec![e]))?;
    lapse_expired(db, now).await?;
    let workshop_id = get(db, id).await?.workshop_id;
    let mut write = WorkshopWrite::begin(db, actor, workshop_id).await?;
    let current = get(write.txn(), id).await?;
    must_be_pending(&current)?;
    let mut model = current.clone().into_active_model();
    model.status = Set(ApplicationStatus::Declined);
    model.decided_at = Set(Some(now));
    model.decline_reason = Set(Some(reason.clone()));
    model.updated_at = Set(now);
    let saved = workshop_application::Entity::update(model)
        .exec(write.txn())
        .await?;
    let w = write.workshop().clone();
    let course = course::Entity::find_by_id(w.course_id)
        .one(write.txn())
        .await?
        .ok_or(Error::NotFound {
            entity: "course",
            id: w.course_id,
        })?;
    let lang = lang_of(&saved);
    let composed = compose::declined_email(
        lang,
        &saved.full_name,
        &about(&w, &course, lang),
        &saved.reference,
        &reason,
    );
    let answer = Answer {
        mail: EmailKind::ApplicationDeclined,
        composed,
        sms: SmsKind::ApplicationDeclined,
        facts: sms_facts(&saved, &w, &course, None, &reason),
        participant_id: None,
        enrolment_id: None,
    };
    tell_applicant(write.txn(), &saved, answer).await?;
    let mut data = announced(&saved);
    if let Value::Object(fields) = &mut data {
        fields.insert("reason".into(), Value::String(reason));
    }
    write.audit(
        "workshop_application",
        saved.id,
        "decline",
        Some(announced(&current)),
        Some(data.clone()),
    );
    write.emit(EventType::ApplicationDeclined, Some(data));
    write.commit().await?;
    Ok(saved)
}

/// Accepts several pending applications (a council's nominees), each as a participant created
/// from it, in turn: the seats go in the order given. Each answer is that application's own.
pub async fn accept_many(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Vec<(i64, Result<Accepted>)> {
    let mut answers = Vec::with_capacity(ids.len());
    for &id in ids {
        answers.push((id, accept(db, actor, id, None, now).await));
    }
    answers
}
