//! The DHIS2 report: a `dataValueSets` document of a period, and its push to the DHIS2 server.

use poem::web::Data;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi, param::Query, payload::Json};

use super::Tag;
use crate::{
    auth::CanAdminister,
    dhis2::{ImportSummary, PushError},
    domain::dhis2::{Mapping, Period},
    error::{ApiError, Problem},
    services::dhis2::{self as service, Conflict, ConflictKind, DataValueSet},
    state::AppState,
};

/// One value of a data value set, in DHIS2's own field names.
#[derive(Debug, Object)]
pub struct Dhis2DataValue {
    /// The data element (UID) of the figure: `enrolled`, `certified` or `people_reached`.
    #[oai(rename = "dataElement")]
    pub data_element: String,
    /// The ISO period, as asked for.
    pub period: String,
    /// The organisation unit (UID) of the people's organisation.
    #[oai(rename = "orgUnit")]
    pub org_unit: String,
    /// The category option combo (UID) of the `<gender>/<age band>` group, or the default.
    #[oai(rename = "categoryOptionCombo")]
    pub category_option_combo: String,
    /// How many people, as text (as DHIS2 carries values).
    pub value: String,
}

/// Why values were left out of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Dhis2ConflictKind {
    /// The organisation has no `dhis2_org_unit`.
    OrganisationWithoutOrgUnit,
    /// The people belong to no organisation.
    PeopleWithoutOrganisation,
    /// The mapping file names no data element for the figure, or no category option combo
    /// (nor a default) for the group.
    ValueWithoutMapping,
}

/// Values left out of the document, and why.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Dhis2Conflict {
    pub kind: Dhis2ConflictKind,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// `enrolled`, `certified` or `people_reached`.
    pub figure: String,
    /// The `<gender>/<age band>` group without a category option combo.
    pub group: Option<String>,
    /// How many people the left-out values count.
    pub value: i64,
    /// What it means and how to clear it.
    pub message: String,
}

/// A DHIS2 data value set (`POST /api/dataValueSets` takes its `dataValues` as they are),
/// with what could not be placed in it.
#[derive(Debug, Object)]
pub struct Dhis2DataValueSet {
    /// The ISO period (`2026W49`, `202612`, `2026Q4`, `2026`).
    pub period: String,
    /// The values: one per figure, organisation unit and category option combo with people.
    #[oai(rename = "dataValues")]
    pub data_values: Vec<Dhis2DataValue>,
    /// Values left out: organisations without a DHIS2 unit, people without an organisation,
    /// figures or groups the mapping does not place.
    pub conflicts: Vec<Dhis2Conflict>,
}

impl From<Conflict> for Dhis2Conflict {
    fn from(c: Conflict) -> Self {
        Self {
            kind: match c.kind {
                ConflictKind::OrganisationWithoutOrgUnit => {
                    Dhis2ConflictKind::OrganisationWithoutOrgUnit
                }
                ConflictKind::PeopleWithoutOrganisation => {
                    Dhis2ConflictKind::PeopleWithoutOrganisation
                }
                ConflictKind::ValueWithoutMapping => Dhis2ConflictKind::ValueWithoutMapping,
            },
            message: c.message(),
            organisation_id: c.organisation_id,
            organisation_name: c.organisation_name,
            figure: c.figure,
            group: c.group,
            value: c.value,
        }
    }
}

impl From<DataValueSet> for Dhis2DataValueSet {
    fn from(set: DataValueSet) -> Self {
        Self {
            period: set.period.to_string(),
            data_values: set
                .data_values
                .into_iter()
                .map(|v| Dhis2DataValue {
                    data_element: v.data_element,
                    period: v.period,
                    org_unit: v.org_unit,
                    category_option_combo: v.category_option_combo,
                    value: v.value.to_string(),
                })
                .collect(),
            conflicts: set.conflicts.into_iter().map(Into::into).collect(),
        }
    }
}

/// DHIS2's counts of an import.
#[derive(Debug, Object)]
pub struct Dhis2ImportCount {
    pub imported: i64,
    pub updated: i64,
    pub ignored: i64,
    pub deleted: i64,
}

/// A value DHIS2 would not take.
#[derive(Debug, Object)]
pub struct Dhis2ImportConflict {
    /// What it is about (a UID, or a field).
    pub object: String,
    /// Why.
    pub value: String,
}

/// DHIS2's import summary, as it answered.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Dhis2ImportSummary {
    /// `SUCCESS` or `WARNING` (some values ignored: see `conflicts`).
    pub status: String,
    pub description: Option<String>,
    #[oai(rename = "importCount")]
    pub import_count: Dhis2ImportCount,
    pub conflicts: Vec<Dhis2ImportConflict>,
}

impl From<ImportSummary> for Dhis2ImportSummary {
    fn from(s: ImportSummary) -> Self {
        Self {
            status: s.status,
            description: s.description,
            import_count: Dhis2ImportCount {
                imported: s.import_count.imported,
                updated: s.import_count.updated,
                ignored: s.import_count.ignored,
                deleted: s.import_count.deleted,
            },
            conflicts: s
                .conflicts
                .into_iter()
                .map(|c| Dhis2ImportConflict {
                    object: c.object,
                    value: c.value,
                })
                .collect(),
        }
    }
}

#[derive(ApiResponse)]
enum PushResponse {
    /// DHIS2 imported the document; its import summary.
    #[oai(status = 200)]
    Imported(Json<Dhis2ImportSummary>),
    /// DHIS2 refused the document or its credentials, failed, or could not be reached; the
    /// detail says what it answered (its status, counts and first conflicts).
    #[oai(status = 502, content_type = "application/problem+json")]
    Refused(Json<Problem>),
}

/// A 502 problem from a push DHIS2 did not take.
fn refused(error: &PushError) -> PushResponse {
    PushResponse::Refused(Json(Problem {
        kind: "/problems/bad-gateway".into(),
        title: "DHIS2 did not take the data".into(),
        status: 502,
        detail: error.to_string(),
        errors: None,
        instance: crate::request_context::current().map(|id| id.to_string()),
    }))
}

fn mapping(state: &AppState) -> Result<&Mapping, ApiError> {
    state.dhis2.mapping.as_deref().ok_or_else(|| {
        ApiError::Conflict(
            "the DHIS2 report needs a mapping file: set CSSD_DHIS2_MAPPING to a JSON file naming \
             the data elements and category option combos (see docs/DHIS2.md) and restart"
                .into(),
        )
    })
}

fn period(text: &str) -> Result<Period, ApiError> {
    Period::parse(text).map_err(|e| ApiError::invalid(vec![e.into()]))
}

pub struct Dhis2Api;

#[OpenApi(prefix_path = "/api/v1/reports/dhis2", tag = "Tag::Reports")]
impl Dhis2Api {
    /// DHIS2 data value set of a period
    ///
    /// Administrators only. People enrolled and certified in workshops starting in the
    /// period (each person once per organisation and figure), and the people reached by
    /// outreach held in it, per organisation (its `dhis2_org_unit`) and `<gender>/<age band>`
    /// group, mapped to data elements and category option combos by `CSSD_DHIS2_MAPPING`.
    /// Counted as the summary report counts: erasing a person changes nothing here. 409 when no
    /// mapping file is configured; 422 for a period that is not ISO.
    #[oai(path = "/", method = "get", operation_id = "get_dhis2_report")]
    async fn report(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        /// An ISO period: a week (`2026W49`), month (`202612`), quarter (`2026Q4`) or year
        /// (`2026`).
        #[oai(validator(max_length = 16))]
        period: Query<String>,
    ) -> Result<Json<Dhis2DataValueSet>, ApiError> {
        let mapping = mapping(&state)?;
        let period = self::period(&period.0)?;
        let set = service::data_value_set(&state.db, mapping, period).await?;
        Ok(Json(set.into()))
    }

    /// Push the DHIS2 data value set of a period
    ///
    /// Administrators only. Sends the document of `GET /api/v1/reports/dhis2` to
    /// `CSSD_DHIS2_URL` + `/api/dataValueSets` (HTTP Basic with the URL's user and password)
    /// and answers with DHIS2's import summary; the push and its outcome are audited (entity
    /// `dhis2_push`). 409 when no mapping file or DHIS2 server is configured; 502 when DHIS2
    /// refuses the data or the credentials, fails, or cannot be reached.
    #[oai(path = "/push", method = "post", operation_id = "push_dhis2_report")]
    async fn push(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        /// An ISO period, as for the report.
        #[oai(validator(max_length = 16))]
        period: Query<String>,
    ) -> Result<PushResponse, ApiError> {
        let mapping = mapping(&state)?;
        let period = self::period(&period.0)?;
        let server = state.dhis2.server.as_ref().ok_or_else(|| {
            ApiError::Conflict(
                "pushing to DHIS2 needs its address: set CSSD_DHIS2_URL to \
                 https://user:password@your-dhis2-server and restart"
                    .into(),
            )
        })?;
        let pushed = service::push(&state.db, &auth.actor(), mapping, server, period).await?;
        Ok(match pushed.outcome {
            Ok(summary) => PushResponse::Imported(Json(summary.into())),
            Err(error) => refused(&error),
        })
    }
}
