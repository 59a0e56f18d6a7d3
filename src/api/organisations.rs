//! Organisations: the councils, residents' associations and civic society bodies that
//! participants come from and workshops are held for.

use crate::api::timestamp::Timestamp;

use entity::organisation::{self, OrganisationKind as DbKind, Province as DbProvince};
use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, param::Query, payload::Json};

use super::{JsonBody, Tag, page};
use crate::{
    auth::{CanManageCatalogue, CanReadCatalogue},
    error::ApiError,
    services::organisations as service,
    state::AppState,
};

mirror_enum! {
    /// What sort of body an organisation is.
    OrganisationKind <=> DbKind {
        LocalAuthority,
        ResidentsAssociation,
        CivicSociety,
        Other,
    }
}

mirror_enum! {
    /// One of Zimbabwe's ten provinces.
    Province <=> DbProvince {
        Bulawayo,
        Harare,
        Manicaland,
        MashonalandCentral,
        MashonalandEast,
        MashonalandWest,
        Masvingo,
        MatabelelandNorth,
        MatabelelandSouth,
        Midlands,
    }
}

/// A new organisation.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateOrganisation {
    /// Its name, unique, such as "City of Harare".
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: String,
    /// What sort of body it is.
    pub kind: OrganisationKind,
    /// The province it serves. Optional for older clients; organisations without one are
    /// reported under `unrecorded` in the split by province.
    pub province: Option<Province>,
    /// The district it serves, such as "Mutare".
    #[oai(validator(max_length = 120))]
    pub district: Option<String>,
    /// The DHIS2 organisation unit its figures are reported under: a UID, 11 characters, a
    /// letter then 10 letters or digits (such as `DiszpKrYNg8`); anything else is 422.
    #[oai(validator(max_length = 64))]
    pub dhis2_org_unit: Option<String>,
}

/// Changes to an organisation; fields left out keep their value, an empty `district` clears it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UpdateOrganisation {
    /// A new unique name.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub province: Option<Province>,
    #[oai(validator(max_length = 120))]
    pub district: Option<String>,
    /// The DHIS2 organisation unit (a UID); an empty string clears it.
    #[oai(validator(max_length = 64))]
    pub dhis2_org_unit: Option<String>,
}

/// An organisation.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Organisation {
    pub id: i64,
    /// Its name, unique.
    pub name: String,
    /// What sort of body it is.
    pub kind: OrganisationKind,
    /// The province it serves; left out when not yet recorded.
    pub province: Option<Province>,
    /// The district it serves.
    pub district: Option<String>,
    /// The DHIS2 organisation unit its figures are reported under; left out when not set
    /// (the DHIS2 report then lists it among its conflicts).
    pub dhis2_org_unit: Option<String>,
    /// When it was recorded.
    pub created_at: Timestamp,
}

impl From<organisation::Model> for Organisation {
    fn from(m: organisation::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            kind: m.kind.into(),
            province: m.province.map(Into::into),
            district: m.district,
            dhis2_org_unit: m.dhis2_org_unit,
            created_at: m.created_at.into(),
        }
    }
}

wire_page! {
    /// A page of organisations.
    OrganisationPage {
        /// The organisations on this page.
        items: Vec<Organisation>,
        /// How many organisations there are in all.
        total,
    }
}

#[derive(ApiResponse)]
enum Created {
    /// The organisation was created.
    #[oai(status = 201)]
    Created(Json<Organisation>),
}

pub struct OrganisationApi;

#[OpenApi(prefix_path = "/api/v1/organisations", tag = "Tag::Organisations")]
impl OrganisationApi {
    /// Record an organisation
    ///
    /// Administrators only. Names are unique: a second organisation with the same name is 409.
    #[oai(path = "/", method = "post", operation_id = "create_organisation")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        body: JsonBody<CreateOrganisation>,
    ) -> Result<Created, ApiError> {
        let body = body.0;
        let new = service::NewOrganisation {
            name: body.name,
            kind: body.kind.into(),
            province: body.province.map(Into::into),
            district: body.district,
            dhis2_org_unit: body.dhis2_org_unit,
        };
        let model = service::create(&state.db, &auth.actor(), new).await?;
        Ok(Created::Created(Json(model.into())))
    }

    /// Change an organisation
    ///
    /// Administrators only: its name (unique), kind, province, district or DHIS2 organisation
    /// unit. The reports' split
    /// by province follows the organisation's province as it is now.
    #[oai(path = "/:id", method = "patch", operation_id = "update_organisation")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        id: Path<i64>,
        body: JsonBody<UpdateOrganisation>,
    ) -> Result<Json<Organisation>, ApiError> {
        let body = body.0;
        let changes = service::OrganisationChanges {
            name: body.name,
            kind: body.kind.map(Into::into),
            province: body.province.map(Into::into),
            district: body.district,
            dhis2_org_unit: body.dhis2_org_unit,
        };
        let model = service::update(&state.db, &auth.actor(), id.0, changes).await?;
        Ok(Json(model.into()))
    }

    /// List organisations
    ///
    /// In alphabetical order of name.
    #[oai(path = "/", method = "get", operation_id = "list_organisations")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanReadCatalogue,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<OrganisationPage>, ApiError> {
        let found = service::list(&state.db, page(limit.0, offset.0)).await?;
        Ok(Json(OrganisationPage::from(found)))
    }

    /// Get one organisation
    #[oai(path = "/:id", method = "get", operation_id = "get_organisation")]
    async fn get(
        &self,
        state: Data<&AppState>,
        _auth: CanReadCatalogue,
        id: Path<i64>,
    ) -> Result<Json<Organisation>, ApiError> {
        Ok(Json(service::get(&state.db, id.0).await?.into()))
    }
}
