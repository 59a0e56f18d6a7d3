//! Issuing certificates, their numbers and verification codes, and revocation. (Whom a ToT
//! certificate entitles to train, and until when, is `services::trainers`.)
//!
//! Issuing renders each PDF off the async runtime before the write begins, from a plan read
//! outside it; then, in the workshop's unit of work ([`WorkshopWrite`]), re-checks eligibility,
//! numbers the certificates (`IWSD-<COURSE>-<YEAR>-<6 digits>`, a per-course per-year sequence
//! that never reuses a number), renders again whatever changed in between, and stores each PDF
//! with a snapshot of what it printed — all in one transaction. A certificate never changes
//! afterwards.

use std::{collections::HashMap, sync::Arc};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{Datelike, Utc};
use entity::{
    certificate::{self, CertificateStatus},
    certificate_sequence, email_outbox, organisation, participant,
    workshop::{self, Status},
};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, OnConflict},
};

use super::credentials::Keyring;
use super::{
    Page, PageRequest, attendance, audit,
    workshop_write::{WorkshopWrite, Write},
};
use crate::{
    certificate::{CertificateData, CertificateRenderer, RenderError},
    credential::openbadges::Issuer,
    db::{begin_write, lock_for_update},
    domain::{Error, FieldError, Result, access::Actor},
    mail,
};

/// What every certificate prints besides the participant's own details.
#[derive(Debug, Clone)]
pub struct IssueSettings {
    /// `CSSD_PUBLIC_URL`, without trailing slash.
    pub public_url: String,
    pub signatory_name: String,
    pub signatory_title: String,
}

/// A participant who got no certificate, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub enrolment_id: i64,
    pub participant_id: i64,
    pub reasons: Vec<String>,
}

/// A certificate whose email could not be queued.
#[derive(Debug, Clone)]
pub struct UnsentEmail {
    pub certificate_id: i64,
    pub participant_id: i64,
    pub reason: String,
}

/// What an issue run did.
#[derive(Debug, Clone)]
pub struct IssueOutcome {
    pub issued: Vec<certificate::Model>,
    pub skipped: Vec<Skipped>,
    /// Emails queued (one per issued certificate whose holder has an address).
    pub emails_queued: u32,
    /// Issued certificates that could not be emailed (no address).
    pub emails_skipped: Vec<UnsentEmail>,
}

/// A fresh verification code: 160 random bits, URL-safe.
pub(super) fn verification_code() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The public verification URL of a code: the page for people (`/verify/{code}`), which
/// the QR code prints. (`/api/v1/verify/{code}` answers machines with JSON.)
pub fn verification_url(public_url: &str, code: &str) -> String {
    format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        verification_path(code)
    )
}

/// The path of a code's page for people (what QR codes and the JSON endpoint's 303 point to).
pub fn verification_path(code: &str) -> String {
    format!("/verify/{code}")
}

/// The number printed on a certificate: `IWSD-<COURSE>-<YEAR>-<000001>`.
pub(super) fn certificate_number(course_code: &str, year: i32, n: i64) -> String {
    format!("IWSD-{course_code}-{year}-{n:06}")
}

/// Reserves `count` consecutive numbers of the (course, year) sequence.
pub(super) async fn reserve_numbers(
    txn: &DatabaseTransaction,
    course_code: &str,
    year: i32,
    count: i64,
) -> Result<i64> {
    let seed = certificate_sequence::ActiveModel {
        course_code: Set(course_code.to_owned()),
        year: Set(year),
        last_number: Set(0),
    };
    certificate_sequence::Entity::insert(seed)
        .on_conflict(
            OnConflict::columns([
                certificate_sequence::Column::CourseCode,
                certificate_sequence::Column::Year,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    let query = certificate_sequence::Entity::find_by_id((course_code.to_owned(), year));
    let row = lock_for_update(query, txn.get_database_backend())
        .one(txn)
        .await?
        .ok_or_else(|| Error::Conflict("certificate numbering is unavailable".into()))?;
    let first = row.last_number + 1;
    let mut model = row.into_active_model();
    model.last_number = Set(first + count - 1);
    model.update(txn).await?;
    Ok(first)
}

pub(super) fn unprintable(err: &RenderError) -> Option<String> {
    match err {
        RenderError::MissingGlyph {
            character,
            codepoint,
            ..
        } => Some(format!(
            "the name contains {character:?} ({codepoint}), which the certificate font cannot print; \
             correct the participant's name and issue again"
        )),
        _ => None,
    }
}

/// What an issue run will print: who is skipped and why, and the certificate of each of the
/// others, numbered from `first_number`.
struct Plan {
    skipped: Vec<Skipped>,
    drafts: Vec<Draft>,
    course: entity::course::Model,
    lead_trainer: Option<String>,
    emails: HashMap<i64, Option<String>>,
}

/// One certificate to issue.
struct Draft {
    enrolment_id: i64,
    participant_id: i64,
    code: String,
    data: CertificateData,
}

/// Reads what an issue run of workshop `workshop_id` prints. Verification codes are kept per
/// enrolment in `codes` (made on first need), so that a plan made again prints the same.
async fn plan(
    db: &impl ConnectionTrait,
    renderer: &CertificateRenderer,
    settings: &IssueSettings,
    workshop: &workshop::Model,
    first_number: i64,
    codes: &mut HashMap<i64, String>,
) -> Result<Plan> {
    let workshop_id = workshop.id;
    if workshop.status != Status::Completed {
        return Err(Error::Conflict(format!(
            "certificates are issued once workshop {workshop_id} is completed"
        )));
    }
    let (course, results) = attendance::results(db, workshop_id).await?;
    let existing: HashMap<i64, certificate::Model> = certificate::Entity::find()
        .filter(certificate::Column::WorkshopId.eq(workshop_id))
        .filter(certificate::Column::Status.eq(CertificateStatus::Valid))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.enrolment_id, c))
        .collect();
    let organisation_name = match workshop.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|o| o.name),
        None => None,
    };
    let lead_trainer = super::credentials::lead_trainer(db, workshop_id).await?;
    let issued_on = crate::domain::schedule::local_today();
    let mut skipped = Vec::new();
    let mut to_issue = Vec::new();
    for r in results {
        if let Some(c) = existing.get(&r.enrolment_id) {
            skipped.push(Skipped {
                enrolment_id: r.enrolment_id,
                participant_id: r.participant_id,
                reasons: vec![format!("already holds certificate {}", c.number)],
            });
        } else if !r.verdict.eligible {
            skipped.push(Skipped {
                enrolment_id: r.enrolment_id,
                participant_id: r.participant_id,
                reasons: r.verdict.reasons,
            });
        } else if let Err(reason) = renderer
            .check_holder_name(&r.full_name)
            .map_err(|e| unprintable(&e))
        {
            let reason = reason.unwrap_or_else(|| "the name cannot be printed".into());
            skipped.push(Skipped {
                enrolment_id: r.enrolment_id,
                participant_id: r.participant_id,
                reasons: vec![reason],
            });
        } else {
            to_issue.push(r);
        }
    }
    let year = issued_on.year();
    let drafts = to_issue
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let code = codes
                .entry(r.enrolment_id)
                .or_insert_with(verification_code)
                .clone();
            Draft {
                enrolment_id: r.enrolment_id,
                participant_id: r.participant_id,
                data: CertificateData {
                    holder_name: r.full_name.clone(),
                    course_code: course.code.clone(),
                    course_title: course.title.clone(),
                    level: workshop.level,
                    start_date: workshop.start_date,
                    end_date: workshop.end_date,
                    venue: workshop.venue.clone(),
                    organisation: organisation_name.clone(),
                    number: certificate_number(&course.code, year, first_number + i as i64),
                    issued_on,
                    verification_url: verification_url(&settings.public_url, &code),
                    signatory_name: settings.signatory_name.clone(),
                    signatory_title: settings.signatory_title.clone(),
                    duration_days: course.duration_days.max(1) as u32,
                    topics: course.topic_list(),
                    lead_trainer: lead_trainer.clone(),
                },
                code,
            }
        })
        .collect();
    let emails: HashMap<i64, Option<String>> = participant::Entity::find()
        .filter(participant::Column::Id.is_in(to_issue.iter().map(|r| r.participant_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.email))
        .collect();
    Ok(Plan {
        skipped,
        drafts,
        course,
        lead_trainer,
        emails,
    })
}

/// The next number of the (course, year) sequence as it stands (not reserved).
async fn next_number(db: &impl ConnectionTrait, course_code: &str, year: i32) -> Result<i64> {
    Ok(
        certificate_sequence::Entity::find_by_id((course_code.to_owned(), year))
            .one(db)
            .await?
            .map_or(1, |s| s.last_number + 1),
    )
}

/// Renders PDFs off the async runtime (CPU work).
pub(super) async fn render_all(
    renderer: Arc<CertificateRenderer>,
    data: Vec<CertificateData>,
) -> Result<Vec<std::result::Result<Vec<u8>, RenderError>>> {
    tokio::task::spawn_blocking(move || data.iter().map(|d| renderer.render(d)).collect())
        .await
        .map_err(|e| Error::internal("rendering stopped", e))
}

/// Issues a certificate to every eligible participant of a completed workshop who has no valid
/// one yet; reports everyone else with the reasons. Idempotent.
///
/// The PDFs are rendered before the write begins, from a plan read outside it; inside the
/// write the plan is read again, locked, and any certificate whose printed details changed in
/// between (a number taken by another issue run, a name corrected) is rendered again there.
pub async fn issue_for_workshop(
    db: &DatabaseConnection,
    actor: &Actor,
    renderer: Arc<CertificateRenderer>,
    keyring: &Keyring,
    settings: &IssueSettings,
    workshop_id: i64,
) -> Result<IssueOutcome> {
    // Outside the write: plan with the numbers as they stand, and render.
    let mut codes = HashMap::new();
    let workshop = super::workshop_queries::get_model(db, workshop_id).await?;
    let course_code = entity::course::Entity::find_by_id(workshop.course_id)
        .one(db)
        .await?
        .map(|c| c.code)
        .unwrap_or_default();
    let year = crate::domain::schedule::local_today().year();
    let first = next_number(db, &course_code, year).await?;
    let early = plan(db, &renderer, settings, &workshop, first, &mut codes).await?;
    let mut rendered = render_drafts(&renderer, &early.drafts, Rendered::new()).await?;

    // The write: the same plan, locked, with its numbers reserved.
    let mut write = WorkshopWrite::begin(db, actor, workshop_id).await?;
    let workshop = write.workshop().clone();
    let first = next_number(write.txn(), &course_code, year).await?;
    let mut plan = plan(
        write.txn(),
        &renderer,
        settings,
        &workshop,
        first,
        &mut codes,
    )
    .await?;
    reserve_plan_numbers(write.txn(), &mut plan).await?;
    // What changed since the early rendering is rendered again (rare: a concurrent issue run).
    rendered = render_drafts(&renderer, &plan.drafts, rendered).await?;
    let Plan {
        skipped,
        drafts,
        course,
        lead_trainer,
        emails,
        ..
    } = plan;
    let now = Utc::now();
    let mut issued = Vec::with_capacity(drafts.len());
    let mut credentials = Vec::with_capacity(drafts.len());
    for Draft {
        enrolment_id,
        participant_id,
        code,
        data,
    } in drafts
    {
        let (_, pdf) = rendered
            .remove(&enrolment_id)
            .ok_or_else(|| Error::internal("rendering", "a certificate was not rendered"))?;
        let pdf = pdf.map_err(render_failure)?;
        let row = new_row(
            &data,
            code,
            pdf,
            now,
            (enrolment_id, participant_id, workshop_id, course.id),
            None,
        );
        let saved = write.issue_certificate(row).await?;
        credentials.push((
            saved.id,
            super::credentials::IssueDetails {
                email: emails.get(&saved.participant_id).cloned().flatten(),
                topics: course.topic_list(),
                duration_days: course.duration_days,
                criteria: super::credentials::criteria_in_words(&course),
                lead_trainer_name: lead_trainer.clone(),
            },
        ));
        issued.push(saved);
    }
    super::credentials::record_issue(write.txn(), &credentials).await?;
    let issuer = super::credentials::issuer(&settings.public_url);
    let issued = seal(write.txn(), keyring, &issuer, issued).await?;
    let (mut emails_queued, mut emails_skipped) = (0, Vec::new());
    let languages =
        super::participant_mail::languages_of(write.txn(), issued.iter().map(|c| c.participant_id))
            .await?;
    for saved in &issued {
        match emails.get(&saved.participant_id).cloned().flatten() {
            Some(address) => {
                let lang = languages.get(&saved.participant_id).copied().unwrap_or_default();
                if mail::outbox::queue_certificate_once(write.txn(), saved, &address, lang).await? {
                    emails_queued += 1;
                }
            }
            None => emails_skipped.push(UnsentEmail {
                certificate_id: saved.id,
                participant_id: saved.participant_id,
                reason: "the participant has no email address; the certificate can be downloaded instead".into(),
            }),
        }
    }
    // "Your certificate is ready" by SMS, for holders reached by SMS.
    let holders =
        super::participants::get_many(write.txn(), issued.iter().map(|c| c.participant_id)).await?;
    for saved in &issued {
        if let Some(holder) = holders.get(&saved.participant_id) {
            super::participant_sms::certificate_ready(
                write.txn(),
                saved,
                holder,
                &settings.public_url,
            )
            .await?;
        }
    }
    write.commit().await?;
    metrics::counter!("cssd_certificates_issued_total").increment(issued.len() as u64);
    Ok(IssueOutcome {
        issued,
        skipped,
        emails_queued,
        emails_skipped,
    })
}

/// PDFs rendered for a plan's drafts, by enrolment, with the data they were rendered from.
type Rendered = HashMap<i64, (CertificateData, std::result::Result<Vec<u8>, RenderError>)>;

/// Renders the drafts that `done` holds no PDF of, or holds one rendered from other data, off the
/// async runtime; returns `done` with them added.
async fn render_drafts(
    renderer: &Arc<CertificateRenderer>,
    drafts: &[Draft],
    mut done: Rendered,
) -> Result<Rendered> {
    let (ids, data): (Vec<i64>, Vec<CertificateData>) = drafts
        .iter()
        .filter(|d| {
            done.get(&d.enrolment_id)
                .is_none_or(|(data, _)| *data != d.data)
        })
        .map(|d| (d.enrolment_id, d.data.clone()))
        .unzip();
    if data.is_empty() {
        return Ok(done);
    }
    let pdfs = render_all(renderer.clone(), data.clone()).await?;
    done.extend(ids.into_iter().zip(data.into_iter().zip(pdfs)));
    Ok(done)
}

/// Reserves the plan's certificate numbers in the write and prints them on its drafts: another
/// issue run of the course may have taken the planned ones meanwhile (PostgreSQL).
async fn reserve_plan_numbers(txn: &DatabaseTransaction, plan: &mut Plan) -> Result<()> {
    let Some(draft) = plan.drafts.first() else {
        return Ok(());
    };
    let year = draft.data.issued_on.year();
    let count = plan.drafts.len() as i64;
    let reserved = reserve_numbers(txn, &plan.course.code, year, count).await?;
    for (i, d) in plan.drafts.iter_mut().enumerate() {
        d.data.number = certificate_number(&plan.course.code, year, reserved + i as i64);
    }
    Ok(())
}

/// A rendering failure as the API reports it: an unprintable character names its field.
pub(super) fn render_failure(e: RenderError) -> Error {
    match e {
        RenderError::MissingGlyph {
            character,
            codepoint,
            field,
        } => Error::Invalid(vec![FieldError::new(
            field,
            format!(
                "contains {character:?} ({codepoint}), which the certificate font cannot print"
            ),
        )]),
        other => Error::internal("rendering failed", other),
    }
}

/// The row of a new certificate: what it printed, its PDF, and whose it is
/// (`(enrolment, participant, workshop, course)`).
pub(super) fn new_row(
    data: &CertificateData,
    code: String,
    pdf: Vec<u8>,
    now: chrono::DateTime<Utc>,
    (enrolment_id, participant_id, workshop_id, course_id): (i64, i64, i64, i64),
    supersedes_id: Option<i64>,
) -> certificate::ActiveModel {
    certificate::ActiveModel {
        number: Set(data.number.clone()),
        verification_code: Set(code),
        enrolment_id: Set(enrolment_id),
        participant_id: Set(participant_id),
        workshop_id: Set(workshop_id),
        course_id: Set(course_id),
        course_code: Set(data.course_code.clone()),
        course_title: Set(data.course_title.clone()),
        level: Set(data.level),
        holder_name: Set(data.holder_name.clone()),
        start_date: Set(data.start_date),
        end_date: Set(data.end_date),
        venue: Set(data.venue.clone()),
        organisation_name: Set(data.organisation.clone()),
        issued_on: Set(data.issued_on),
        issued_at: Set(now),
        verification_url: Set(data.verification_url.clone()),
        signatory_name: Set(data.signatory_name.clone()),
        signatory_title: Set(data.signatory_title.clone()),
        pdf: Set(pdf),
        status: Set(CertificateStatus::Valid),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        supersedes_id: Set(supersedes_id),
        superseded_by_id: Set(None),
        ..Default::default()
    }
}

/// Makes freshly inserted certificates carry their signed credential: each credential is
/// signed, embedded in the PDF as `credential.jwt` (off the async runtime) and the PDF stored.
/// Runs in the issuing transaction, once the certificates have ids and status entries; what
/// is stored then never changes.
pub(super) async fn seal(
    txn: &impl ConnectionTrait,
    keyring: &Keyring,
    issuer: &Issuer,
    certificates: Vec<certificate::Model>,
) -> Result<Vec<certificate::Model>> {
    let mut jwts = Vec::with_capacity(certificates.len());
    for c in &certificates {
        jwts.push(
            super::credentials::signed_certificate_credential(txn, keyring, issuer, c).await?,
        );
    }
    let sealed = tokio::task::spawn_blocking(move || {
        certificates
            .into_iter()
            .zip(jwts)
            .map(|(mut c, jwt)| {
                c.pdf = crate::certificate::attach_credential(&c.pdf, &jwt, c.issued_on)?;
                Ok(c)
            })
            .collect::<std::result::Result<Vec<_>, RenderError>>()
    })
    .await
    .map_err(|e| Error::internal("embedding the credential stopped", e))?
    .map_err(|e| Error::internal("embedding the credential failed", e))?;
    for c in &sealed {
        certificate::Entity::update_many()
            .col_expr(certificate::Column::Pdf, Expr::value(c.pdf.clone()))
            .filter(certificate::Column::Id.eq(c.id))
            .exec(txn)
            .await?;
    }
    Ok(sealed)
}

/// Queues a fresh copy of a certificate's email to the holder's current address.
pub async fn queue_email(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<email_outbox::Model> {
    let txn = begin_write(db).await?;
    let c = get(&txn, id).await?;
    ensure_standing(&txn, &c).await?;
    let holder = participant::Entity::find_by_id(c.participant_id)
        .one(&txn)
        .await?;
    let lang = holder
        .as_ref()
        .map(super::participant_mail::language_of)
        .unwrap_or_default();
    let Some(address) = holder.and_then(|p| p.email) else {
        return Err(Error::Conflict(format!(
            "participant {} has no email address; add one, or download the certificate instead",
            c.participant_id
        )));
    };
    let queued = mail::outbox::queue_certificate(&txn, &c, &address, lang).await?;
    let after = Some(serde_json::json!({"to": address, "message_id": queued.message_id}));
    audit::record(&txn, actor, "certificate", id, "email", None, after).await?;
    txn.commit().await?;
    Ok(queued)
}

/// 409 unless the certificate still stands: a revoked one says so, a superseded one names the
/// certificate that replaced it.
pub(super) async fn ensure_standing(
    db: &impl ConnectionTrait,
    c: &certificate::Model,
) -> Result<()> {
    match c.status {
        CertificateStatus::Valid => Ok(()),
        CertificateStatus::Revoked => Err(Error::Conflict(format!(
            "certificate {} is revoked",
            c.number
        ))),
        CertificateStatus::Withdrawn => Err(Error::Conflict(format!(
            "certificate {} was withdrawn at the holder's request",
            c.number
        ))),
        CertificateStatus::Superseded => {
            let successor = match c.superseded_by_id {
                Some(id) => Some(get(db, id).await?.number),
                None => None,
            };
            Err(Error::Conflict(format!(
                "certificate {} was replaced by {}; use that one",
                c.number,
                successor.as_deref().unwrap_or("a reissued certificate")
            )))
        }
    }
}

/// The certificate that replaced `c`, if it was reissued.
pub async fn successor(
    db: &impl ConnectionTrait,
    c: &certificate::Model,
) -> Result<Option<certificate::Model>> {
    match c.superseded_by_id {
        Some(id) => Ok(certificate::Entity::find_by_id(id).one(db).await?),
        None => Ok(None),
    }
}

/// One certificate by id.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<certificate::Model> {
    certificate::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "certificate",
            id,
        })
}

/// A certificate by its verification code, if any.
pub async fn find_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<certificate::Model>> {
    // Codes are URL-safe base64; anything else names no certificate (and never reaches the
    // database: PostgreSQL refuses a NUL byte in text).
    if code.is_empty()
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Ok(None);
    }
    Ok(certificate::Entity::find()
        .filter(certificate::Column::VerificationCode.eq(code))
        .one(db)
        .await?)
}

/// Filters of the certificate list.
#[derive(Debug, Clone, Default)]
pub struct CertificateFilter {
    pub workshop_id: Option<i64>,
    pub participant_id: Option<i64>,
    /// Issued on or after.
    pub issued_from: Option<chrono::NaiveDate>,
    /// Issued on or before.
    pub issued_to: Option<chrono::NaiveDate>,
}

/// Certificates, newest first (without their PDFs).
pub async fn list(
    db: &impl ConnectionTrait,
    filter: CertificateFilter,
    page: PageRequest,
) -> Result<Page<certificate::Model>> {
    let mut query = certificate::Entity::find();
    if let Some(w) = filter.workshop_id {
        query = query.filter(certificate::Column::WorkshopId.eq(w));
    }
    if let Some(p) = filter.participant_id {
        query = query.filter(certificate::Column::ParticipantId.eq(p));
    }
    if let Some(from) = filter.issued_from {
        query = query.filter(certificate::Column::IssuedOn.gte(from));
    }
    if let Some(to) = filter.issued_to {
        query = query.filter(certificate::Column::IssuedOn.lte(to));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(certificate::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// Revokes a certificate; the verification page then shows it as revoked. Workshops already
/// run by a trainer whose ToT certificate is revoked are left as they are.
pub async fn revoke(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<certificate::Model> {
    let mut errors = Vec::new();
    let reason = crate::domain::clean_text("reason", reason, 1000, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let write = Write::begin(db, actor).await?;
    let current = get(write.txn(), id).await?;
    ensure_standing(write.txn(), &current).await?;
    let mut write = write.lock_workshop(current.workshop_id).await?;
    let revoked = write.revoke_certificate(current, reason).await?;
    super::credentials::mark_revoked(write.txn(), id).await?;
    write.commit().await?;
    Ok(revoked)
}

/// The PDFs of a workshop's certificates packed in one ZIP (built off the async runtime).
pub async fn workshop_zip(db: &impl ConnectionTrait, workshop_id: i64) -> Result<Vec<u8>> {
    workshop::Entity::find_by_id(workshop_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "workshop",
            id: workshop_id,
        })?;
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::WorkshopId.eq(workshop_id))
        .order_by_asc(certificate::Column::Number)
        .all(db)
        .await?;
    let zip = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
        use std::io::Write;
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for c in certificates {
            let suffix = match c.status {
                CertificateStatus::Valid => "",
                CertificateStatus::Revoked => "-REVOKED",
                CertificateStatus::Superseded => "-REPLACED",
                // Its PDF was deleted with the holder's personal data.
                CertificateStatus::Withdrawn => continue,
            };
            writer
                .start_file(format!("certificate-{}{suffix}.pdf", c.number), options)
                .map_err(std::io::Error::other)?;
            writer.write_all(&c.pdf)?;
        }
        Ok(writer.finish().map_err(std::io::Error::other)?.into_inner())
    })
    .await
    .map_err(|e| Error::internal("packing the ZIP stopped", e))?
    .map_err(|e| Error::internal("packing the ZIP failed", e))?;
    Ok(zip)
}
