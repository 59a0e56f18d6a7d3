//! Participants: council staff, councillors, residents and civic society members who attend
//! workshops. Names are full Unicode and are kept exactly as given.

use crate::api::timestamp::Timestamp;

use entity::participant::{
    self, ContactBy as DbContactBy, Difficulty as DbDifficulty, Gender as DbGender,
    Language as DbLanguage, TargetGroup as DbTargetGroup,
};
use poem::{Request, RequestBody, web::Data};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ApiResponse, ExtractParamOptions, Object, OpenApi,
    param::{Header, Path, Query},
    payload::{Json, ParsePayload, Payload},
    registry::{MetaMediaType, MetaRequest, MetaSchema, MetaSchemaRef, Registry},
    types::MaybeUndefined,
};

use super::{JsonBody, Tag, page};
use crate::{
    auth::{CanManageParticipants, CanReadParticipants, CanReadRegister},
    domain::{
        access::{Principal, WorkshopReading},
        demographics::WashingtonGroup,
        participant::ParticipantText,
    },
    error::ApiError,
    services::{
        csv_import,
        participants::{self as service, ParticipantChanges, ParticipantFilter},
        reading,
    },
    state::AppState,
};

mirror_enum! {
    /// Gender as the participant chose to record it.
    Gender <=> DbGender { Female, Male, Other, Undisclosed }
}

mirror_enum! {
    /// The group a participant represents.
    TargetGroup <=> DbTargetGroup {
        WaterSupply, Wastewater, SolidWaste, SocialServices, Revenue, Management,
        CommunityChampion, Councillor, Ratepayer, CivicSociety, Other,
    }
}

mirror_enum! {
    /// An answer to one question of the Washington Group Short Set ("Do you have difficulty
    /// seeing, even if wearing glasses?" …); `declined` when the person chose not to answer.
    Difficulty <=> DbDifficulty {
        NoDifficulty, SomeDifficulty, ALotOfDifficulty, CannotDoAtAll, Declined,
    }
}

mirror_enum! {
    /// The language a participant reads their SMS, mail and portal pages in: English (`en`),
    /// Shona (`sn`) or Ndebele (`nd`).
    Language <=> DbLanguage { En, Sn, Nd }
}

mirror_enum! {
    /// How a participant hears about their enrolments and certificates: `email`, `sms` or
    /// `both`. `sms` needs a phone number, `email` an email address, `both` both.
    ContactBy <=> DbContactBy { Email, Sms, Both }
}

/// The Washington Group Short Set on functioning: one answer per domain, all six given. A
/// person counts as "with a disability" when at least one domain is `a_lot_of_difficulty` or
/// `cannot_do_at_all`.
#[derive(Debug, Clone, Copy, Object)]
pub struct Disability {
    pub seeing: Difficulty,
    pub hearing: Difficulty,
    pub walking: Difficulty,
    /// Remembering or concentrating.
    pub cognition: Difficulty,
    /// Self-care, such as washing all over or dressing.
    pub self_care: Difficulty,
    /// Communicating in the usual language (understanding or being understood).
    pub communication: Difficulty,
}

impl From<Disability> for WashingtonGroup {
    fn from(d: Disability) -> Self {
        WashingtonGroup {
            seeing: d.seeing.into(),
            hearing: d.hearing.into(),
            walking: d.walking.into(),
            cognition: d.cognition.into(),
            self_care: d.self_care.into(),
            communication: d.communication.into(),
        }
    }
}

impl From<WashingtonGroup> for Disability {
    fn from(w: WashingtonGroup) -> Self {
        Disability {
            seeing: w.seeing.into(),
            hearing: w.hearing.into(),
            walking: w.walking.into(),
            cognition: w.cognition.into(),
            self_care: w.self_care.into(),
            communication: w.communication.into(),
        }
    }
}

/// A new participant.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateParticipant {
    /// Full name exactly as it should print on a certificate (any script, diacritics kept).
    #[oai(validator(min_length = 1, max_length = 120))]
    pub full_name: String,
    /// Email address; certificates are sent here. Unique when given.
    #[oai(validator(max_length = 254))]
    pub email: Option<String>,
    /// Mobile phone number, as people write it: `0771 234 567` is read as Zimbabwean, other
    /// countries start with `+` and their code. Stored and returned in E.164
    /// (`+263771234567`); unique when given (a number another participant holds is 409). SMS
    /// and sign-in codes go here.
    #[oai(validator(max_length = 32))]
    pub phone: Option<String>,
    /// The language of the participant's SMS, mail and portal pages (default `en`).
    pub language: Option<Language>,
    /// How the participant is told about enrolments and certificates. Default: `email` when
    /// an email is given, else `sms` when a phone is.
    pub contact_by: Option<ContactBy>,
    pub gender: Option<Gender>,
    /// The organisation the participant comes from.
    pub organisation_id: Option<i64>,
    /// The group the participant represents.
    pub target_group: TargetGroup,
    /// The ward the participant represents or lives in.
    #[oai(validator(max_length = 64))]
    pub ward: Option<String>,
    /// Zimbabwe national ID number, such as `63-123456A78` (hyphens, spaces and case are
    /// ignored; stored normalised). Unique when given: a number another participant holds is 409.
    #[oai(validator(max_length = 32))]
    pub national_id: Option<String>,
    /// Year of birth (participants are at least 15 this year). Reports count the age reached
    /// in the year a workshop starts.
    #[oai(validator(minimum(value = "1900"), maximum(value = "2100")))]
    pub birth_year: Option<i32>,
    /// The Washington Group Short Set's answers, when asked.
    pub disability: Option<Disability>,
}

/// Changes to a participant; fields left out keep their value, an empty string clears an
/// optional text field (the email: `null` removes it).
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UpdateParticipant {
    #[oai(validator(min_length = 1, max_length = 120))]
    pub full_name: Option<String>,
    /// Email address; `null` removes it.
    #[oai(validator(max_length = 254))]
    pub email: MaybeUndefined<String>,
    /// Phone number as people write it (stored in E.164); an empty string clears it.
    #[oai(validator(max_length = 32))]
    pub phone: Option<String>,
    pub language: Option<Language>,
    /// Left out: kept while the contact details allow it (removing the email of an `email`
    /// participant with a phone makes them `sms`).
    pub contact_by: Option<ContactBy>,
    pub gender: Option<Gender>,
    pub organisation_id: Option<i64>,
    pub target_group: Option<TargetGroup>,
    #[oai(validator(max_length = 64))]
    pub ward: Option<String>,
    /// National ID number (normalised); an empty string clears it.
    #[oai(validator(max_length = 32))]
    pub national_id: Option<String>,
    /// Year of birth; `null` removes it.
    #[oai(validator(minimum(value = "1900"), maximum(value = "2100")))]
    pub birth_year: MaybeUndefined<i32>,
    /// The Washington Group Short Set's answers (all six); `null` removes them.
    pub disability: MaybeUndefined<Disability>,
}

/// A participant.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Participant {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    /// E.164 (`+263771234567`).
    pub phone: Option<String>,
    pub language: Language,
    pub contact_by: ContactBy,
    pub gender: Option<Gender>,
    pub organisation_id: Option<i64>,
    pub target_group: TargetGroup,
    pub ward: Option<String>,
    /// National ID number, normalised (`63-123456A78`).
    pub national_id: Option<String>,
    pub birth_year: Option<i32>,
    /// The Washington Group Short Set's answers, when recorded.
    pub disability: Option<Disability>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When the record's personal data was erased (`POST /participants/{id}/erase`); absent
    /// while it is held.
    pub erased_at: Option<Timestamp>,
}

impl Participant {
    /// The participant as `who` may see them: without contact details (email, phone, national
    /// ID) for a caller who may change records but not read them (an `enrol`-scope key), which
    /// `GET /participants/{id}` would refuse it.
    fn seen_by(mut self, who: &Principal) -> Self {
        if !who.may_read_workshop(WorkshopReading::ContactDetails, false) {
            self.email = None;
            self.phone = None;
            self.national_id = None;
            self.birth_year = None;
            self.disability = None;
        }
        self
    }
}

impl From<participant::Model> for Participant {
    fn from(p: participant::Model) -> Self {
        let disability = WashingtonGroup::of(&p).map(Into::into);
        Self {
            id: p.id,
            full_name: p.full_name,
            email: p.email,
            phone: p.phone,
            language: p.language.into(),
            contact_by: p.contact_by.into(),
            gender: p.gender.map(Into::into),
            organisation_id: p.organisation_id,
            target_group: p.target_group.into(),
            ward: p.ward,
            disability,
            national_id: p.national_id,
            birth_year: p.birth_year,
            created_at: p.created_at.into(),
            updated_at: p.updated_at.into(),
            erased_at: p.erased_at.map(Into::into),
        }
    }
}

wire_page! {
    /// A page of participants.
    ParticipantPage of Participant
}

/// A row of an import that was not created, and why.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ImportRowError {
    /// The line in the file (the header is line 1).
    pub line: u64,
    /// The column at fault.
    pub field: String,
    pub message: String,
}

/// What an import did: the rows created and the rows refused.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ImportReport {
    /// How many participants were created.
    pub created: u64,
    /// Their ids, in file order.
    pub participant_ids: Vec<i64>,
    /// Every refused row, by line.
    pub errors: Vec<ImportRowError>,
}

/// A CSV request body (`text/csv`, UTF-8, header row first).
pub struct CsvBody(pub String);

impl Payload for CsvBody {
    const CONTENT_TYPE: &'static str = "text/csv";

    fn check_content_type(content_type: &str) -> bool {
        content_type.starts_with("text/csv") || content_type.starts_with("text/plain")
    }

    /// A file's bytes (`format: binary`): what generators send as a file's content (the
    /// server reads them as UTF-8 and says so when they are not).
    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "binary")))
    }
}

impl ParsePayload for CsvBody {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let bytes = <Vec<u8> as poem::FromRequest>::from_request(request, body).await?;
        let text = String::from_utf8(bytes).map_err(|_| {
            ApiError::BadRequest(
                "the CSV is not valid UTF-8; save it as UTF-8 and try again".into(),
            )
        })?;
        Ok(Self(text))
    }
}

impl<'a> ApiExtractor<'a> for CsvBody {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];
    type ParamType = ();
    type ParamRawType = ();

    fn register(_registry: &mut Registry) {}

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: Some(
                "UTF-8 CSV with a header row. Columns: full_name, target_group (required), email, \
                 phone (read as Zimbabwean unless it starts with +), gender, organisation_id, \
                 ward, national_id, birth_year, language (en, sn, nd), contact_by (email, sms, \
                 both), and the Washington Group answers disability_seeing, disability_hearing, \
                 disability_walking, disability_cognition, disability_self_care, \
                 disability_communication (all six or none; values as in `Difficulty`).",
            ),
            content: vec![MetaMediaType {
                content_type: Self::CONTENT_TYPE,
                schema: Self::schema_ref(),
            }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        match request.content_type() {
            Some(ct) if !Self::check_content_type(ct) => Err(ApiError::UnsupportedMediaType(
                format!("this operation takes text/csv, not {ct}"),
            )
            .into()),
            _ => <Self as ParsePayload>::from_request(request, body).await,
        }
    }
}

impl From<csv_import::CsvError> for ApiError {
    fn from(err: csv_import::CsvError) -> Self {
        match err {
            csv_import::CsvError::Unreadable(_) => ApiError::BadRequest(err.to_string()),
            csv_import::CsvError::Invalid(problems) => {
                ApiError::invalid(problems.into_iter().map(Into::into).collect())
            }
            csv_import::CsvError::Internal(err) => err.into(),
        }
    }
}

/// A field of a change: left out (`None`), `null` (`Some(None)`) or a value.
fn maybe<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// An email address sent in JSON: an empty one is refused (leave the field out, or send
/// `null`, for none), where a CSV import's empty cell means no address.
fn given_email(email: String) -> Result<String, ApiError> {
    if email.trim().is_empty() {
        return Err(ApiError::invalid_field(
            "email",
            "must be a valid email address (leave it out, or send null, for none)",
        ));
    }
    Ok(email)
}

#[derive(ApiResponse)]
enum Created {
    /// The participant was created.
    #[oai(status = 201)]
    Created(Json<Participant>),
}

pub struct ParticipantApi;

#[OpenApi(prefix_path = "/api/v1/participants", tag = "Tag::Participants")]
impl ParticipantApi {
    /// Record a participant
    ///
    /// An email already used by another participant is 409. Send an `Idempotency-Key` to make
    /// a retry safe.
    #[oai(path = "/", method = "post", operation_id = "create_participant")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: CanManageParticipants,
        /// Makes a retry of this request return the first response instead of creating again.
        #[oai(name = "Idempotency-Key", validator(pattern = r"^[!-~]{1,200}$"))]
        _idempotency_key: Header<Option<String>>,
        body: JsonBody<CreateParticipant>,
    ) -> Result<Created, ApiError> {
        let b = body.0;
        let changes = ParticipantChanges {
            text: ParticipantText {
                full_name: Some(b.full_name),
                email: Some(b.email.map(given_email).transpose()?),
                phone: Some(b.phone),
                ward: Some(b.ward),
            },
            gender: Some(b.gender.map(Into::into)),
            organisation_id: Some(b.organisation_id),
            target_group: Some(b.target_group.into()),
            national_id: Some(b.national_id),
            birth_year: Some(b.birth_year),
            disability: Some(b.disability.map(Into::into)),
            language: b.language.map(Into::into),
            contact_by: b.contact_by.map(Into::into),
        };
        let created = service::create(&state.db, &auth.actor(), changes).await?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Import participants from CSV
    ///
    /// Creates every valid row and reports every invalid one with its line and reason; a
    /// duplicate email (in the file or already recorded) is a row error. A file that is not a
    /// readable CSV, or has unknown or missing columns, is refused whole and changes nothing.
    #[oai(
        path = "/import",
        method = "post",
        operation_id = "import_participants"
    )]
    async fn import(
        &self,
        state: Data<&AppState>,
        auth: CanManageParticipants,
        /// Makes a retry of this request return the first response instead of importing again.
        #[oai(name = "Idempotency-Key", validator(pattern = r"^[!-~]{1,200}$"))]
        _idempotency_key: Header<Option<String>>,
        body: CsvBody,
    ) -> Result<Json<ImportReport>, ApiError> {
        let rows = csv_import::read(body.0).await?;
        let outcome = service::import(&state.db, &auth.actor(), rows).await?;
        Ok(Json(ImportReport {
            created: outcome.created.len() as u64,
            participant_ids: outcome.created.iter().map(|p| p.id).collect(),
            errors: outcome
                .errors
                .into_iter()
                .map(|e| ImportRowError {
                    line: e.line,
                    field: e.field,
                    message: e.message,
                })
                .collect(),
        }))
    }

    /// List participants
    ///
    /// By name. Filter by organisation, target group, or a part of the name or email.
    #[oai(path = "/", method = "get", operation_id = "list_participants")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanReadParticipants,
        organisation_id: Query<Option<i64>>,
        target_group: Query<Option<TargetGroup>>,
        /// Part of the name or email, any case.
        #[oai(validator(max_length = 120))]
        q: Query<Option<String>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<ParticipantPage>, ApiError> {
        super::check_query_text("q", q.0.as_deref())?;
        let filter = ParticipantFilter {
            organisation_id: organisation_id.0,
            target_group: target_group.0.map(Into::into),
            search: q.0,
        };
        let found = service::list(&state.db, filter, page(limit.0, offset.0)).await?;
        Ok(Json(ParticipantPage::from(found)))
    }

    /// Get one participant
    #[oai(path = "/:id", method = "get", operation_id = "get_participant")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: CanReadRegister,
        id: Path<i64>,
    ) -> Result<Json<Participant>, ApiError> {
        reading::ensure_may_read_participant(&state.db, &auth.0, id.0).await?;
        Ok(Json(service::get(&state.db, id.0).await?.into()))
    }

    /// Change a participant
    ///
    /// Certificates already issued keep the name they printed. A caller who may change records
    /// but not read contact details (an `enrol`-scope key) gets the record back without email,
    /// phone and national ID.
    #[oai(path = "/:id", method = "patch", operation_id = "update_participant")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: CanManageParticipants,
        id: Path<i64>,
        body: JsonBody<UpdateParticipant>,
    ) -> Result<Json<Participant>, ApiError> {
        let b = body.0;
        let changes = ParticipantChanges {
            text: ParticipantText {
                full_name: b.full_name,
                email: match b.email {
                    MaybeUndefined::Undefined => None,
                    MaybeUndefined::Null => Some(None),
                    MaybeUndefined::Value(email) => Some(Some(given_email(email)?)),
                },
                phone: b.phone.map(Some),
                ward: b.ward.map(Some),
            },
            gender: b.gender.map(|g| Some(g.into())),
            organisation_id: b.organisation_id.map(Some),
            target_group: b.target_group.map(Into::into),
            national_id: b.national_id.map(Some),
            birth_year: maybe(b.birth_year),
            disability: maybe(b.disability).map(|d| d.map(Into::into)),
            language: b.language.map(Into::into),
            contact_by: b.contact_by.map(Into::into),
        };
        let updated = service::update(&state.db, &auth.actor(), id.0, changes).await?;
        Ok(Json(Participant::from(updated).seen_by(&auth.0)))
    }
}

impl crate::webhook::Resource for participant::Model {
    fn to_data(&self) -> serde_json::Value {
        super::webhooks::resource_data(Participant::from(self.clone()))
    }
}
