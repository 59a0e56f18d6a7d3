//! Certificates: issuing, downloading, verifying and revoking, and the cascade they build.

use crate::api::timestamp::Timestamp;
use chrono::NaiveDate;
use entity::certificate::{self, CertificateStatus as DbStatus};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::{Binary, Json},
};

use super::{JsonBody, Tag, page, workshops::Level};
use crate::{
    auth::{Caller, CanManageCertificates, CanReadCatalogue},
    domain::access::Principal,
    error::ApiError,
    services::{
        cascade::{self, CascadeNode as Node},
        certificates::{self as service, CertificateFilter, IssueSettings},
        reissue::{self, Reissuer},
        sharing,
    },
    state::AppState,
};

mirror_enum! {
    /// Whether a certificate still stands.
    CertificateStatus <=> DbStatus {
        Valid,
        Revoked,
        /// Replaced by a reissued certificate (see `superseded_by`); it printed what it printed.
        Superseded,
        /// Withdrawn at the holder's request, when their personal data was erased: its PDF is
        /// deleted and it no longer names them.
        Withdrawn,
    }
}

/// A certificate.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Certificate {
    pub id: i64,
    /// `IWSD-<COURSE>-<YEAR>-<6 digits>`.
    pub number: String,
    /// The code in the verification link; anyone holding it can verify the certificate.
    pub verification_code: String,
    /// The verification link the QR code encodes: `CSSD_PUBLIC_URL/verify/{verification_code}`
    /// (the page for people) for certificates issued from 2026-11-30, and
    /// `CSSD_PUBLIC_URL/api/v1/verify/{verification_code}` for those issued before.
    pub verification_url: String,
    pub participant_id: i64,
    pub workshop_id: i64,
    pub enrolment_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub level: Level,
    /// The name as printed.
    pub holder_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub venue: String,
    pub organisation_name: Option<String>,
    pub issued_on: NaiveDate,
    pub issued_at: Timestamp,
    pub status: CertificateStatus,
    pub revoked_at: Option<Timestamp>,
    pub revoked_reason: Option<String>,
    /// The id of the certificate this one replaces (a reissue).
    pub supersedes: Option<i64>,
    /// The id of the certificate that replaced this one (`status: superseded`).
    pub superseded_by: Option<i64>,
}

impl From<certificate::Model> for Certificate {
    fn from(c: certificate::Model) -> Self {
        Self {
            id: c.id,
            number: c.number,
            verification_code: c.verification_code,
            verification_url: c.verification_url,
            participant_id: c.participant_id,
            workshop_id: c.workshop_id,
            enrolment_id: c.enrolment_id,
            course_code: c.course_code,
            course_title: c.course_title,
            level: c.level.into(),
            holder_name: c.holder_name,
            start_date: c.start_date,
            end_date: c.end_date,
            venue: c.venue,
            organisation_name: c.organisation_name,
            issued_on: c.issued_on,
            issued_at: c.issued_at.into(),
            status: c.status.into(),
            revoked_at: c.revoked_at.map(Timestamp::from),
            revoked_reason: c.revoked_reason,
            supersedes: c.supersedes_id,
            superseded_by: c.superseded_by_id,
        }
    }
}

wire_page! {
    /// A page of certificates.
    CertificatePage of Certificate
}

/// A participant who got no certificate, and why.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SkippedParticipant {
    pub enrolment_id: i64,
    pub participant_id: i64,
    /// In plain words: attendance, post-test, an existing certificate, or an unprintable name.
    pub reasons: Vec<String>,
}

/// An issued certificate that could not be emailed.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UnsentEmail {
    pub certificate_id: i64,
    pub participant_id: i64,
    pub reason: String,
}

/// What issuing did.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct IssueReport {
    /// Certificates issued now.
    pub issued: Vec<Certificate>,
    /// Everyone else enrolled, with the reasons.
    pub skipped: Vec<SkippedParticipant>,
    /// Emails queued for the issued certificates (see `GET /api/v1/emails`).
    pub emails_queued: u32,
    /// Issued certificates whose holder has no email address.
    pub emails_skipped: Vec<UnsentEmail>,
}

/// A queued email.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QueuedEmail {
    /// The outbox entry (see `GET /api/v1/emails`).
    pub id: i64,
    pub recipient: String,
    pub message_id: String,
    pub status: super::emails::EmailStatus,
}

/// Why a certificate is revoked.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RevokeRequest {
    #[oai(validator(min_length = 1, max_length = 1000))]
    pub reason: String,
}

/// Why and how a certificate is reissued.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReissueRequest {
    /// What was wrong (kept in the audit log and told to the holder).
    #[oai(validator(min_length = 1, max_length = 1000))]
    pub reason: String,
    /// The participant's name, corrected (the participant record is updated first).
    #[oai(validator(min_length = 1, max_length = 200))]
    pub full_name: Option<String>,
}

/// Why a workshop's certificates are reissued.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct WorkshopReissueRequest {
    /// What was corrected (a date, the venue, the signatory).
    #[oai(validator(min_length = 1, max_length = 1000))]
    pub reason: String,
}

/// What a workshop-wide reissue did.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReissueReport {
    /// The new certificates, one per certificate replaced (each names it in `supersedes`).
    pub reissued: Vec<Certificate>,
    /// Emails queued to their holders (see `GET /api/v1/emails`).
    pub emails_queued: u32,
}

/// Where a certificate can be shown.
#[derive(Debug, Object)]
pub struct ShareLinks {
    /// LinkedIn's add-to-profile link for a certification, filled in (`startTask`, `name`,
    /// `organizationName`, `issueYear`, `issueMonth`, `expirationYear`/`expirationMonth` for a
    /// trainer certification that lapses, `certUrl`, `certId`).
    pub linkedin_url: String,
    /// The verification page anyone can open.
    pub verify_url: String,
}

/// The certificate that replaced another.
#[derive(Debug, Object)]
pub struct Successor {
    pub number: String,
    pub verification_code: String,
}

/// What anyone may learn from a verification code.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Verification {
    /// True when the certificate exists and has not been revoked.
    pub valid: bool,
    pub status: CertificateStatus,
    pub number: String,
    pub holder_name: String,
    pub course_title: String,
    pub level: Level,
    /// The last day of the workshop.
    pub completed_on: NaiveDate,
    /// When it was revoked (`status: revoked`).
    pub revoked_at: Option<Timestamp>,
    /// Why it was revoked (`status: revoked`).
    pub revocation_reason: Option<String>,
    /// The certificate that replaced it (`status: superseded`).
    pub superseded_by: Option<Successor>,
}

/// One workshop of a cascade tree.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CascadeNode {
    pub workshop_id: i64,
    pub course_code: String,
    pub level: Level,
    pub status: super::workshops::WorkshopStatus,
    pub venue: String,
    pub start_date: NaiveDate,
    /// Participants holding a seat.
    pub enrolled: u64,
    /// People who went through the workshop: equal to `enrolled` once the workshop is
    /// `completed`, 0 before (whether each earned a certificate is `certified`).
    pub completed: u64,
    /// Valid certificates issued.
    pub certified: u64,
    /// Meetings this workshop's certified participants held with their constituencies.
    pub outreach_sessions: u64,
    /// People those meetings reached (the attendees' sum).
    pub people_reached: u64,
    /// Workshops run by the people trained here.
    pub children: Vec<CascadeNode>,
}

impl From<Node> for CascadeNode {
    fn from(n: Node) -> Self {
        Self {
            workshop_id: n.workshop.id,
            course_code: n.course_code,
            level: n.workshop.level.into(),
            status: n.workshop.status.into(),
            venue: n.workshop.venue,
            start_date: n.workshop.start_date,
            enrolled: n.enrolled,
            completed: n.completed,
            certified: n.certified,
            outreach_sessions: n.outreach_sessions,
            people_reached: n.people_reached,
            children: n.children.into_iter().map(Into::into).collect(),
        }
    }
}

/// Totals over a cascade tree.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CascadeTotals {
    /// Workshops in the tree, this one included.
    pub workshops: u64,
    /// Seats held, summed over the tree.
    pub enrolled: u64,
    /// Seats held in the tree's completed workshops: people who went through a workshop, not
    /// yet counting whether they earned its certificate.
    pub completed: u64,
    /// Valid certificates issued in the tree.
    pub certified: u64,
    /// Outreach meetings held by people certified anywhere in the tree.
    pub outreach_sessions: u64,
    /// People those meetings reached: the cascade's last mile.
    pub people_reached: u64,
    /// Certificates earned in the tree's Training-of-Trainers workshops (withdrawn ones
    /// included): the certified trainers the cascade starts from.
    pub certified_trainers: u64,
    /// Seats held in the tree's cascade and community workshops: the people the trainers
    /// trained.
    pub trained_below_tot: u64,
    /// The reach per ToT, the cascade's multiplier: people reached per certified trainer,
    /// `(trained_below_tot + people_reached) / certified_trainers`, rounded to one decimal.
    /// Absent while the tree has no certified trainer.
    pub reach_per_trainer: Option<f64>,
}

impl From<cascade::CascadeTotals> for CascadeTotals {
    fn from(t: cascade::CascadeTotals) -> Self {
        Self {
            reach_per_trainer: t.reach_per_trainer(),
            workshops: t.workshops,
            enrolled: t.enrolled,
            completed: t.completed,
            certified: t.certified,
            outreach_sessions: t.outreach_sessions,
            people_reached: t.people_reached,
            certified_trainers: t.certified_trainers,
            trained_below_tot: t.trained_below_tot,
        }
    }
}

/// The reach of one workshop: the tree of workshops descending from it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Cascade {
    pub root: CascadeNode,
    pub totals: CascadeTotals,
}

/// The form `GET /verify/{code}` answers in regardless of `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poem_openapi::Enum)]
#[oai(rename_all = "snake_case")]
pub enum VerifyFormat {
    /// JSON.
    Json,
}

#[derive(ApiResponse)]
enum VerifyResponse {
    /// What the certificate shows and whether it stands.
    #[oai(status = 200)]
    Ok(Json<Verification>),
    /// A browser: the page for people is at `Location`.
    #[oai(status = 303)]
    SeeOther(#[oai(header = "Location")] String),
}

/// Whether an `Accept` header ranks HTML above JSON (a browser following a QR code does;
/// an API client asking for JSON, or for anything, does not).
fn prefers_html(accept: &str) -> bool {
    let quality = |wanted: &[&str]| -> Option<f32> {
        accept
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let media = pieces.next()?.trim().to_ascii_lowercase();
                if !wanted.contains(&media.as_str()) {
                    return None;
                }
                let q = pieces
                    .filter_map(|p| p.trim().strip_prefix("q=")?.trim().parse::<f32>().ok())
                    .next()
                    .unwrap_or(1.0);
                Some(q)
            })
            .reduce(f32::max)
    };
    let html = quality(&["text/html", "application/xhtml+xml"]);
    let json = quality(&["application/json"]).or(quality(&["*/*", "application/*"]));
    match (html, json) {
        (Some(html), Some(json)) => html > json,
        (Some(html), None) => html > 0.0,
        _ => false,
    }
}

#[derive(ApiResponse)]
enum PdfResponse {
    /// The certificate as issued.
    #[oai(status = 200, content_type = "application/pdf")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

#[derive(ApiResponse)]
enum BadgeResponse {
    /// The baked badge: a PNG whose `iTXt` chunk `openbadgecredential` holds the VC-JWT.
    #[oai(status = 200, content_type = "image/png")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

#[derive(ApiResponse)]
enum Reissued {
    /// The new certificate (`supersedes` names the old one, now `superseded`).
    #[oai(status = 201)]
    Created(Json<Certificate>),
}

#[derive(ApiResponse)]
enum EmailQueued {
    /// The email is queued; the mail worker sends it shortly.
    #[oai(status = 202)]
    Accepted(Json<QueuedEmail>),
}

#[derive(ApiResponse)]
enum ZipResponse {
    /// Every certificate PDF of the workshop.
    #[oai(status = 200, content_type = "application/zip")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

/// May `who` read this certificate? Certificate managers may; a participant may read their own.
pub(crate) fn ensure_may_read(who: &Principal, c: &certificate::Model) -> Result<(), ApiError> {
    if who.may_read_certificate(c.participant_id) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "this certificate belongs to someone else".into(),
        ))
    }
}

pub struct CertificateApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Certificates")]
impl CertificateApi {
    /// Issue a workshop's certificates
    ///
    /// For a completed workshop: one certificate to every eligible participant without a valid
    /// one, in one transaction; everyone else is listed under `skipped` with the reasons.
    /// Idempotent: issuing again issues nothing new. A name the certificate font cannot print is
    /// skipped with the offending character named.
    #[oai(
        path = "/workshops/:id/certificates",
        method = "post",
        operation_id = "issue_certificates"
    )]
    async fn issue(
        &self,
        state: Data<&AppState>,
        auth: CanManageCertificates,
        id: Path<i64>,
    ) -> Result<Json<IssueReport>, ApiError> {
        let settings = IssueSettings::from_config(&state.config);
        let outcome = service::issue_for_workshop(
            &state.db,
            &auth.actor(),
            state.renderer.clone(),
            &state.keyring,
            &settings,
            id.0,
        )
        .await?;
        Ok(Json(IssueReport {
            issued: outcome.issued.into_iter().map(Into::into).collect(),
            skipped: outcome
                .skipped
                .into_iter()
                .map(|s| SkippedParticipant {
                    enrolment_id: s.enrolment_id,
                    participant_id: s.participant_id,
                    reasons: s.reasons,
                })
                .collect(),
            emails_queued: outcome.emails_queued,
            emails_skipped: outcome
                .emails_skipped
                .into_iter()
                .map(|u| UnsentEmail {
                    certificate_id: u.certificate_id,
                    participant_id: u.participant_id,
                    reason: u.reason,
                })
                .collect(),
        }))
    }

    /// Email a certificate again
    ///
    /// Queues a fresh copy to the holder's current address (the participant asked again). Send
    /// an `Idempotency-Key` so that a double click queues one copy. 409 when the holder has no
    /// email address or the certificate is revoked.
    #[oai(
        path = "/certificates/:id/email",
        method = "post",
        operation_id = "email_certificate"
    )]
    async fn email(
        &self,
        state: Data<&AppState>,
        auth: CanManageCertificates,
        id: Path<i64>,
        /// Makes a retry of this request return the first response instead of queueing again.
        #[oai(name = "Idempotency-Key", validator(pattern = r"^[!-~]{1,200}$"))]
        _idempotency_key: poem_openapi::param::Header<Option<String>>,
    ) -> Result<EmailQueued, ApiError> {
        let queued = service::queue_email(&state.db, &auth.actor(), id.0).await?;
        Ok(EmailQueued::Accepted(Json(QueuedEmail {
            id: queued.id,
            recipient: queued.recipient,
            message_id: queued.message_id,
            status: queued.status.into(),
        })))
    }

    /// List certificates
    ///
    /// Newest first; filter by workshop or participant.
    #[oai(
        path = "/certificates",
        method = "get",
        operation_id = "list_certificates"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanManageCertificates,
        workshop_id: Query<Option<i64>>,
        participant_id: Query<Option<i64>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<CertificatePage>, ApiError> {
        let filter = CertificateFilter {
            workshop_id: workshop_id.0,
            participant_id: participant_id.0,
            ..Default::default()
        };
        let found = service::list(&state.db, filter, page(limit.0, offset.0)).await?;
        Ok(Json(CertificatePage::from(found)))
    }

    /// Get one certificate
    ///
    /// Certificate managers, or the participant it belongs to.
    #[oai(
        path = "/certificates/:id",
        method = "get",
        operation_id = "get_certificate"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Caller,
        id: Path<i64>,
    ) -> Result<Json<Certificate>, ApiError> {
        let c = service::get(&state.db, id.0).await?;
        ensure_may_read(&auth.0, &c)?;
        Ok(Json(c.into()))
    }

    /// Download a certificate PDF
    ///
    /// The PDF exactly as issued. Certificate managers, or the participant it belongs to.
    #[oai(
        path = "/certificates/:id/pdf",
        method = "get",
        operation_id = "get_certificate_pdf"
    )]
    async fn pdf(
        &self,
        state: Data<&AppState>,
        auth: Caller,
        id: Path<i64>,
    ) -> Result<PdfResponse, ApiError> {
        let c = service::get(&state.db, id.0).await?;
        ensure_may_read(&auth.0, &c)?;
        if c.pdf.is_empty() {
            return Err(ApiError::NotFound(format!(
                "the PDF of certificate {} was deleted when its holder's personal data was erased",
                c.number
            )));
        }
        let disposition = format!("inline; filename=\"certificate-{}.pdf\"", c.number);
        Ok(PdfResponse::Ok(Binary(c.pdf), disposition))
    }

    /// Revoke a certificate
    ///
    /// Verification then shows it as revoked, with the reason. To correct a certificate, reissue
    /// it instead (`reissue_certificate`). 409 for a revoked or replaced certificate.
    #[oai(
        path = "/certificates/:id/revoke",
        method = "post",
        operation_id = "revoke_certificate"
    )]
    async fn revoke(
        &self,
        state: Data<&AppState>,
        auth: CanManageCertificates,
        id: Path<i64>,
        body: JsonBody<RevokeRequest>,
    ) -> Result<Json<Certificate>, ApiError> {
        Ok(Json(
            service::revoke(&state.db, &auth.actor(), id.0, &body.0.reason)
                .await?
                .into(),
        ))
    }

    /// Reissue a certificate
    ///
    /// For a mistake on an issued certificate: a misspelt name (give `full_name`: the
    /// participant's name is corrected first), a date or venue corrected on the workshop, a
    /// changed signatory. Prints a new certificate (new number and verification code) from the
    /// records as they are now; the old one becomes `superseded` (`superseded_by`), keeps its
    /// PDF byte for byte, and its credential's status bit is set; verification of the old code
    /// says it was replaced and names the new one. Audited; the holder is mailed the new
    /// certificate. 409 for a revoked or already replaced certificate.
    #[oai(
        path = "/certificates/:id/reissue",
        method = "post",
        operation_id = "reissue_certificate"
    )]
    async fn reissue(
        &self,
        state: Data<&AppState>,
        auth: CanManageCertificates,
        id: Path<i64>,
        body: JsonBody<ReissueRequest>,
    ) -> Result<Reissued, ApiError> {
        let settings = IssueSettings::from_config(&state.config);
        let with = Reissuer {
            renderer: state.renderer.clone(),
            keyring: &state.keyring,
            settings: &settings,
        };
        let body = body.0;
        let done = reissue::reissue(
            &state.db,
            &auth.actor(),
            &with,
            id.0,
            &body.reason,
            body.full_name.as_deref(),
        )
        .await?;
        let new = done.certificates.into_iter().next().ok_or_else(|| {
            ApiError::from(crate::domain::Error::internal_message("nothing reissued"))
        })?;
        Ok(Reissued::Created(Json(new.into())))
    }

    /// Reissue a workshop's certificates
    ///
    /// After a correction to the workshop (a date, the venue) or a new signatory: every valid
    /// certificate of the workshop is reissued as one reissue each (see `reissue_certificate`),
    /// in one transaction. Revoked and already replaced certificates are left as they are.
    #[oai(
        path = "/workshops/:id/certificates/reissue",
        method = "post",
        operation_id = "reissue_workshop_certificates"
    )]
    async fn reissue_workshop(
        &self,
        state: Data<&AppState>,
        auth: CanManageCertificates,
        id: Path<i64>,
        body: JsonBody<WorkshopReissueRequest>,
    ) -> Result<Json<ReissueReport>, ApiError> {
        let settings = IssueSettings::from_config(&state.config);
        let with = Reissuer {
            renderer: state.renderer.clone(),
            keyring: &state.keyring,
            settings: &settings,
        };
        let done = reissue::reissue_workshop(&state.db, &auth.actor(), &with, id.0, &body.0.reason)
            .await?;
        Ok(Json(ReissueReport {
            reissued: done.certificates.into_iter().map(Into::into).collect(),
            emails_queued: done.emails_queued,
        }))
    }

    /// Share a certificate
    ///
    /// LinkedIn's add-to-profile link for the certification and the verification page.
    /// Certificate managers, or the holder. 409 for a revoked or replaced certificate.
    #[oai(
        path = "/certificates/:id/share",
        method = "get",
        operation_id = "share_certificate"
    )]
    async fn share(
        &self,
        state: Data<&AppState>,
        auth: Caller,
        id: Path<i64>,
    ) -> Result<Json<ShareLinks>, ApiError> {
        let c = service::get(&state.db, id.0).await?;
        ensure_may_read(&auth.0, &c)?;
        let links = sharing::share_links(&state.db, state.config.public_url_trimmed(), &c).await?;
        Ok(Json(ShareLinks {
            linkedin_url: links.linkedin_url,
            verify_url: links.verify_url,
        }))
    }

    /// Download a certificate's baked badge
    ///
    /// An Open Badges 3.0 baked badge (§5.3): the course's badge image (its colour from the
    /// course, one to three stars for the level) as a PNG whose `iTXt` chunk with keyword
    /// `openbadgecredential` holds the signed credential (VC-JWT), so that a badge backpack or
    /// wallet can import it. The credential's achievement `image` points here. Certificate
    /// managers, or the holder.
    #[oai(
        path = "/certificates/:id/badge.png",
        method = "get",
        operation_id = "get_certificate_badge"
    )]
    async fn badge(
        &self,
        state: Data<&AppState>,
        auth: Caller,
        id: Path<i64>,
    ) -> Result<BadgeResponse, ApiError> {
        let c = service::get(&state.db, id.0).await?;
        ensure_may_read(&auth.0, &c)?;
        let png = sharing::baked_badge(
            &state.db,
            &state.keyring,
            state.config.public_url_trimmed(),
            &c,
        )
        .await?;
        let disposition = format!("inline; filename=\"badge-{}.png\"", c.number);
        Ok(BadgeResponse::Ok(Binary(png), disposition))
    }

    /// My certificates
    ///
    /// The certificates of the participant record linked to the caller's account (empty for
    /// accounts without one).
    #[oai(
        path = "/me/certificates",
        method = "get",
        operation_id = "list_my_certificates"
    )]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: Caller,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<CertificatePage>, ApiError> {
        let Some(participant_id) = auth.0.participant_id() else {
            return Ok(Json(CertificatePage {
                items: vec![],
                total: 0,
            }));
        };
        let filter = CertificateFilter {
            workshop_id: None,
            participant_id: Some(participant_id),
            ..Default::default()
        };
        let found = service::list(&state.db, filter, page(limit.0, offset.0)).await?;
        Ok(Json(CertificatePage::from(found)))
    }

    /// Download a workshop's certificates as ZIP
    ///
    /// Every certificate PDF of the workshop (revoked ones marked in the file name).
    #[oai(
        path = "/workshops/:id/certificates.zip",
        method = "get",
        operation_id = "get_workshop_certificates_zip"
    )]
    async fn zip(
        &self,
        state: Data<&AppState>,
        _auth: CanManageCertificates,
        id: Path<i64>,
    ) -> Result<ZipResponse, ApiError> {
        let bytes = service::workshop_zip(&state.db, id.0).await?;
        Ok(ZipResponse::Ok(
            Binary(bytes),
            format!(
                "attachment; filename=\"workshop-{}-certificates.zip\"",
                id.0
            ),
        ))
    }

    /// Verify a certificate
    ///
    /// Public: anyone with the code (from the QR code on the certificate) can check it. Shows
    /// only what the certificate itself prints. Unknown codes are 404. A browser (an `Accept`
    /// header preferring `text/html`) is sent to the page for people, `/verify/{code}`, with 303;
    /// `?format=json` asks for JSON whatever the `Accept` header says.
    #[oai(
        path = "/verify/:code",
        method = "get",
        operation_id = "verify_certificate"
    )]
    async fn verify(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        #[oai(validator(max_length = 100))] code: Path<String>,
        /// `json` to get JSON even when the `Accept` header prefers HTML.
        format: Query<Option<VerifyFormat>>,
    ) -> Result<VerifyResponse, ApiError> {
        let accept = req
            .headers()
            .get(poem::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if format.0.is_none() && prefers_html(accept) {
            return Ok(VerifyResponse::SeeOther(service::verification_path(
                &code.0,
            )));
        }
        let c = service::find_by_code(&state.db, &code.0)
            .await?
            .ok_or_else(|| {
                ApiError::NotFound("no certificate has this verification code".into())
            })?;
        let successor = service::successor(&state.db, &c).await?;
        Ok(VerifyResponse::Ok(Json(Verification {
            valid: c.status == DbStatus::Valid,
            status: c.status.into(),
            number: c.number,
            holder_name: c.holder_name,
            course_title: c.course_title,
            level: c.level.into(),
            completed_on: c.end_date,
            revoked_at: c.revoked_at.map(Timestamp::from),
            revocation_reason: c.revoked_reason,
            superseded_by: successor.map(|s| Successor {
                number: s.number,
                verification_code: s.verification_code,
            }),
        })))
    }

    /// A workshop's cascade
    ///
    /// The tree of workshops descending from this one (ToT → cascade → community), each with
    /// its enrolled, completed and certified participants, and the totals: the reach of one
    /// Training-of-Trainers workshop, with its multiplier `reach_per_trainer` =
    /// (seats in the tree's cascade and community workshops + people reached by outreach) /
    /// certificates earned in its ToT workshops.
    #[oai(
        path = "/workshops/:id/cascade",
        method = "get",
        operation_id = "get_workshop_cascade"
    )]
    async fn cascade(
        &self,
        state: Data<&AppState>,
        _auth: CanReadCatalogue,
        id: Path<i64>,
    ) -> Result<Json<Cascade>, ApiError> {
        let (root, totals) = cascade::tree(&state.db, id.0).await?;
        Ok(Json(Cascade {
            root: root.into(),
            totals: totals.into(),
        }))
    }
}

impl crate::webhook::Resource for certificate::Model {
    fn to_data(&self) -> serde_json::Value {
        super::webhooks::resource_data(Certificate::from(self.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::prefers_html;

    #[test]
    fn a_browser_prefers_html_and_an_api_client_does_not() {
        let chromium =
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
        assert!(prefers_html(chromium));
        assert!(!prefers_html("application/json"));
        assert!(!prefers_html("*/*"));
        assert!(!prefers_html(""));
        assert!(!prefers_html("application/json, text/html;q=0.5"));
        assert!(prefers_html("text/html"));
        assert!(!prefers_html("text/html;q=0"));
    }
}
