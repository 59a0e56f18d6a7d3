//! Participants: council staff, councillors, residents and civic society members who attend
//! workshops. Names are full Unicode and are kept exactly as given.

use chrono::{DateTime, Utc};
use entity::participant::{self, Gender as DbGender, TargetGroup as DbTargetGroup};
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
    domain::participant::ParticipantText,
    error::ApiError,
    services::{
        participants::{self as service, ImportRow, ParticipantChanges, ParticipantFilter},
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
    /// Phone number.
    #[oai(validator(max_length = 32))]
    pub phone: Option<String>,
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
    #[oai(validator(max_length = 32))]
    pub phone: Option<String>,
    pub gender: Option<Gender>,
    pub organisation_id: Option<i64>,
    pub target_group: Option<TargetGroup>,
    #[oai(validator(max_length = 64))]
    pub ward: Option<String>,
    /// National ID number (normalised); an empty string clears it.
    #[oai(validator(max_length = 32))]
    pub national_id: Option<String>,
}

/// A participant.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Participant {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub gender: Option<Gender>,
    pub organisation_id: Option<i64>,
    pub target_group: TargetGroup,
    pub ward: Option<String>,
    /// National ID number, normalised (`63-123456A78`).
    pub national_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<participant::Model> for Participant {
    fn from(p: participant::Model) -> Self {
        Self {
            id: p.id,
            full_name: p.full_name,
            email: p.email,
            phone: p.phone,
            gender: p.gender.map(Into::into),
            organisation_id: p.organisation_id,
            target_group: p.target_group.into(),
            ward: p.ward,
            national_id: p.national_id,
            created_at: p.created_at,
            updated_at: p.updated_at,
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

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema::new("string")))
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
                 phone, gender, organisation_id, ward, national_id.",
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

const IMPORT_COLUMNS: [&str; 8] = [
    "full_name",
    "email",
    "phone",
    "gender",
    "organisation_id",
    "target_group",
    "ward",
    "national_id",
];

/// Reads the CSV into rows; a file that cannot be read as a table is refused whole.
pub(crate) fn read_csv(text: &str) -> Result<Vec<ImportRow>, ApiError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::BadRequest(format!("the CSV cannot be read: {e}")))?
        .clone();
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if !IMPORT_COLUMNS.contains(&name.as_str()) {
            problems.push(crate::error::FieldError {
                field: format!("header[{i}]"),
                message: format!(
                    "unknown column {name:?}; the columns are {}",
                    IMPORT_COLUMNS.join(", ")
                ),
            });
        }
    }
    for required in ["full_name", "target_group"] {
        if !names.iter().any(|n| n == required) {
            problems.push(crate::error::FieldError {
                field: "header".into(),
                message: format!("the column {required} is missing"),
            });
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    let column = |name: &str| names.iter().position(|n| n == name);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| ApiError::BadRequest(format!("the CSV cannot be read: {e}")))?;
        let get = |name: &str| column(name).and_then(|i| record.get(i)).map(str::to_owned);
        rows.push(ImportRow {
            line: record
                .position()
                .map_or(0, |p| line_of(text, p.byte() as usize)),
            full_name: get("full_name"),
            email: get("email"),
            phone: get("phone"),
            gender: get("gender"),
            organisation_id: get("organisation_id"),
            target_group: get("target_group"),
            ward: get("ward"),
            national_id: get("national_id"),
        });
    }
    if rows.len() > 10_000 {
        return Err(ApiError::invalid_field(
            "body",
            "at most 10,000 rows per import",
        ));
    }
    Ok(rows)
}

/// The line number (from 1) at byte `offset`, as a person counts lines: `\r\n` (what Excel
/// writes), `\n` and a lone `\r` each end one line.
fn line_of(text: &str, offset: usize) -> u64 {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let breaks = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && before.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u64 + 1
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
        let rows = read_csv(&body.0)?;
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
    /// Certificates already issued keep the name they printed.
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
        };
        Ok(Json(
            service::update(&state.db, &auth.actor(), id.0, changes)
                .await?
                .into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::line_of;

    #[test]
    fn lines_are_counted_as_a_person_counts_them_whatever_the_line_ends() {
        let unix = "h\na\nb\n";
        let windows = "h\r\na\r\nb\r\n";
        let old_mac = "h\ra\rb\r";
        assert_eq!(line_of(unix, unix.find('b').unwrap()), 3);
        assert_eq!(line_of(windows, windows.find('b').unwrap()), 3);
        assert_eq!(line_of(old_mac, old_mac.find('b').unwrap()), 3);
        assert_eq!(line_of(unix, 0), 1);
    }
}
