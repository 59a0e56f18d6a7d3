//! The DHIS2 report: the people enrolled and certified in workshops starting in a period, and
//! the outreach held in it, per organisation and `<gender>/<age band>` group, as a DHIS2
//! `dataValueSets` document; and its push to the DHIS2 server, audited.
//!
//! People are counted as the summary report counts them (`services::tallies`): a seat counts
//! while `enrolled`, a certificate while valid or withdrawn at erasure ([`tallies::CERTIFIED`]),
//! and an erased person under the gender and age band frozen when they were erased
//! ([`tallies::counted_gender`], the seat's `counted_age_band`), so erasing someone leaves the
//! document as it was. Each person counts once per organisation and figure, in the group of
//! their first workshop in the period.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};
use entity::organisation;
use sea_orm::{ConnectionTrait, EntityTrait, QueryResult, Statement};

use super::{audit, tallies};
use crate::{
    dhis2::{Dhis2Server, ImportSummary, PushError},
    domain::{
        Error, Result,
        access::Actor,
        demographics,
        dhis2::{Mapping, Period, group_key},
    },
};

/// One value of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataValue {
    pub data_element: String,
    pub period: String,
    pub org_unit: String,
    pub category_option_combo: String,
    pub value: i64,
}

/// Why some people are not in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConflictKind {
    /// Their organisation has no `dhis2_org_unit`.
    OrganisationWithoutOrgUnit,
    /// They belong to no organisation.
    PeopleWithoutOrganisation,
    /// The mapping names no data element for the figure, or no category option combo for the
    /// group (and no default).
    ValueWithoutMapping,
}

/// Values left out of the document, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// `enrolled`, `certified` or `people_reached`.
    pub figure: String,
    /// The `<gender>/<age band>` group, for a value without a mapping.
    pub group: Option<String>,
    /// How many people the values left out count.
    pub value: i64,
}

/// The document for one period.
#[derive(Debug, Clone)]
pub struct DataValueSet {
    pub period: Period,
    pub data_values: Vec<DataValue>,
    pub conflicts: Vec<Conflict>,
}

/// Headcounts: (figure, organisation, group) → people.
type Headcounts = BTreeMap<(&'static str, Option<i64>, String), i64>;

/// Builds the document of `period`.
pub async fn data_value_set(
    db: &impl ConnectionTrait,
    mapping: &Mapping,
    period: Period,
) -> Result<DataValueSet> {
    let (from, to) = (period.first_day(), period.last_day());
    let mut counts = Headcounts::new();
    count_people(db, "enrolled", &enrolled_sql(), from, to, &mut counts).await?;
    count_people(db, "certified", &certified_sql(), from, to, &mut counts).await?;
    count_outreach(db, from, to, &mut counts).await?;
    let organisations: BTreeMap<i64, organisation::Model> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(assemble(mapping, period, counts, &organisations))
}

/// What conflicts are summed over: (why, organisation, figure, group).
type ConflictKey = (ConflictKind, Option<i64>, &'static str, Option<String>);

/// Maps the headcounts to data values, summing those that land on the same element, unit and
/// combo (groups falling back to the default), and lists what cannot be placed.
fn assemble(
    mapping: &Mapping,
    period: Period,
    counts: Headcounts,
    organisations: &BTreeMap<i64, organisation::Model>,
) -> DataValueSet {
    let mut values: BTreeMap<(String, String, String), i64> = BTreeMap::new();
    let mut conflicts: BTreeMap<ConflictKey, i64> = BTreeMap::new();
    for ((figure, organisation_id, group), n) in counts {
        let organisation = organisation_id.and_then(|id| organisations.get(&id));
        let unit = organisation.and_then(|o| o.dhis2_org_unit.clone());
        let element = mapping.data_element(figure);
        let combo = mapping.category_option_combo(&group);
        let (kind, group) = match (organisation_id, unit, element, combo) {
            (None, ..) => (ConflictKind::PeopleWithoutOrganisation, None),
            (Some(_), None, ..) => (ConflictKind::OrganisationWithoutOrgUnit, None),
            (Some(_), Some(unit), Some(element), Some(combo)) => {
                *values
                    .entry((element.to_owned(), unit, combo.to_owned()))
                    .or_default() += n;
                continue;
            }
            (Some(_), Some(_), None, _) => (ConflictKind::ValueWithoutMapping, None),
            (Some(_), Some(_), Some(_), None) => (ConflictKind::ValueWithoutMapping, Some(group)),
        };
        *conflicts
            .entry((kind, organisation_id, figure, group))
            .or_default() += n;
    }
    let period_text = period.to_string();
    DataValueSet {
        period,
        data_values: values
            .into_iter()
            .map(|((data_element, org_unit, combo), value)| DataValue {
                data_element,
                period: period_text.clone(),
                org_unit,
                category_option_combo: combo,
                value,
            })
            .collect(),
        conflicts: conflicts
            .into_iter()
            .map(|((kind, organisation_id, figure, group), value)| Conflict {
                kind,
                organisation_id,
                organisation_name: organisation_id
                    .and_then(|id| organisations.get(&id))
                    .map(|o| o.name.clone()),
                figure: figure.to_owned(),
                group,
                value,
            })
            .collect(),
    }
}

/// Seats held in workshops starting in `$1..=$2`, earliest first: organisation, person, gender,
/// frozen age band, birth year, start date.
fn enrolled_sql() -> String {
    format!(
        "SELECT p.organisation_id, p.id, {gender}, e.counted_age_band, p.birth_year, w.start_date \
         FROM enrolment e JOIN participant p ON p.id = e.participant_id \
         JOIN workshop w ON w.id = e.workshop_id \
         WHERE e.status = 'enrolled' AND w.start_date >= $1 AND w.start_date <= $2 \
         ORDER BY w.start_date, e.id",
        gender = tallies::counted_gender("p"),
    )
}

/// Certificates counted as certified, of workshops starting in `$1..=$2`, as [`enrolled_sql`].
fn certified_sql() -> String {
    format!(
        "SELECT p.organisation_id, p.id, {gender}, xe.counted_age_band, p.birth_year, w.start_date \
         FROM certificate x JOIN participant p ON p.id = x.participant_id \
         JOIN workshop w ON w.id = x.workshop_id \
         LEFT JOIN enrolment xe ON xe.id = x.enrolment_id \
         WHERE {certified} AND w.start_date >= $1 AND w.start_date <= $2 \
         ORDER BY w.start_date, x.id",
        gender = tallies::counted_gender("p"),
        certified = tallies::CERTIFIED,
    )
}

async fn rows(
    db: &impl ConnectionTrait,
    sql: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<QueryResult>> {
    let statement =
        Statement::from_sql_and_values(db.get_database_backend(), sql, [from.into(), to.into()]);
    Ok(db.query_all_raw(statement).await?)
}

/// Counts each person once per organisation, in the group of their first row.
async fn count_people(
    db: &impl ConnectionTrait,
    figure: &'static str,
    sql: &str,
    from: NaiveDate,
    to: NaiveDate,
    counts: &mut Headcounts,
) -> Result<()> {
    let mut seen = HashSet::new();
    for row in rows(db, sql, from, to).await? {
        let organisation: Option<i64> = row.try_get_by_index(0)?;
        let person: i64 = row.try_get_by_index(1)?;
        if !seen.insert((organisation, person)) {
            continue;
        }
        let gender: String = row.try_get_by_index(2)?;
        let frozen: Option<String> = row.try_get_by_index(3)?;
        let birth_year: Option<i32> = row.try_get_by_index(4)?;
        let start: NaiveDate = row.try_get_by_index(5)?;
        let band =
            frozen.unwrap_or_else(|| demographics::age_band(birth_year, start.year()).to_owned());
        *counts
            .entry((figure, organisation, group_key(&gender, &band)))
            .or_default() += 1;
    }
    Ok(())
}

/// The outreach held in `from..=to`, by the organisation of who held it and by gender (the
/// records hold no age bands in ours: the `unrecorded` band).
async fn count_outreach(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
    counts: &mut Headcounts,
) -> Result<()> {
    // (PostgreSQL sums integers as BIGINT or NUMERIC: cast back.)
    let genders = ["female", "male", "other", "undisclosed"];
    let sums = genders
        .map(|g| format!("CAST(COALESCE(SUM(o.{g}), 0) AS BIGINT)"))
        .join(", ");
    let sql = format!(
        "SELECT p.organisation_id, {sums} FROM outreach o \
         JOIN participant p ON p.id = o.participant_id \
         WHERE o.held_on >= $1 AND o.held_on <= $2 GROUP BY p.organisation_id"
    );
    for row in rows(db, &sql, from, to).await? {
        let organisation: Option<i64> = row.try_get_by_index(0)?;
        for (i, gender) in genders.iter().enumerate() {
            let n: i64 = row.try_get_by_index(i + 1)?;
            if n > 0 {
                let group = group_key(gender, demographics::UNRECORDED);
                *counts
                    .entry(("people_reached", organisation, group))
                    .or_default() += n;
            }
        }
    }
    Ok(())
}

/// The document as DHIS2's `/api/dataValueSets` takes it (values are strings there).
pub fn document(set: &DataValueSet) -> serde_json::Value {
    let values: Vec<serde_json::Value> = set
        .data_values
        .iter()
        .map(|v| {
            serde_json::json!({
                "dataElement": v.data_element,
                "period": v.period,
                "orgUnit": v.org_unit,
                "categoryOptionCombo": v.category_option_combo,
                "value": v.value.to_string(),
            })
        })
        .collect();
    serde_json::json!({ "dataValues": values })
}

/// What the DHIS2 report needs from the configuration: the mapping file, read and checked at
/// start-up (`CSSD_DHIS2_MAPPING`), and the server to push to (`CSSD_DHIS2_URL`).
#[derive(Debug, Clone, Default)]
pub struct Dhis2Settings {
    pub mapping: Option<std::sync::Arc<Mapping>>,
    pub server: Option<Dhis2Server>,
}

/// A push that went through, or was refused, as the audit log keeps it.
pub struct Pushed {
    pub set: DataValueSet,
    pub outcome: std::result::Result<ImportSummary, PushError>,
}

/// Builds the document of `period`, sends it to `server` and records the outcome (sent or
/// refused) in the audit log, as entity `dhis2_push`.
pub async fn push(
    db: &impl ConnectionTrait,
    actor: &Actor,
    mapping: &Mapping,
    server: &Dhis2Server,
    period: Period,
) -> Result<Pushed> {
    let set = data_value_set(db, mapping, period).await?;
    let outcome = server.send(&document(&set)).await;
    let (action, answer) = match &outcome {
        Ok(summary) => (
            "push",
            serde_json::to_value(summary).map_err(|e| Error::internal("an import summary", e))?,
        ),
        Err(refused) => (
            "push_refused",
            serde_json::json!({ "error": refused.to_string() }),
        ),
    };
    let after = serde_json::json!({
        "period": set.period.to_string(),
        "endpoint": server.endpoint(),
        "data_values": set.data_values.len(),
        "conflicts": set.conflicts.len(),
        "answer": answer,
    });
    audit::record(db, actor, "dhis2_push", 0, action, None, Some(after)).await?;
    Ok(Pushed { set, outcome })
}

impl Conflict {
    /// What the conflict means and how to clear it, in a sentence.
    pub fn message(&self) -> String {
        let organisation = self.organisation_name.as_deref().unwrap_or("?");
        let people = match self.value {
            1 => "1 person".to_owned(),
            n => format!("{n} people"),
        };
        match self.kind {
            ConflictKind::OrganisationWithoutOrgUnit => format!(
                "{people} ({}) of {organisation:?} left out: the organisation has no \
                 dhis2_org_unit (set it with PATCH /api/v1/organisations/{})",
                self.figure,
                self.organisation_id.unwrap_or_default()
            ),
            ConflictKind::PeopleWithoutOrganisation => format!(
                "{people} ({}) left out: they belong to no organisation",
                self.figure
            ),
            ConflictKind::ValueWithoutMapping => match &self.group {
                Some(group) => format!(
                    "{people} ({}, {group}) of {organisation:?} left out: the mapping file has \
                     no category option combo for {group:?} and no default_category_option_combo",
                    self.figure
                ),
                None => format!(
                    "{people} ({}) of {organisation:?} left out: the mapping file names no \
                     data element for {:?}",
                    self.figure, self.figure
                ),
            },
        }
    }
}
