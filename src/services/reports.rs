//! Reports for IWSD's councils and funders, computed in the database with GROUP BY.
//!
//! Every figure is over the workshops the filter selects (start date between `from` and `to`,
//! held for an organisation). Plain SQL that both SQLite and PostgreSQL run unchanged.

use chrono::NaiveDate;
use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbErr, QueryResult, Statement, Value};

use super::tallies;
use crate::domain::{Result, demographics, labels};

/// Which workshops a report covers.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub organisation_id: Option<i64>,
}

/// One group and its count.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub key: String,
    /// A readable name where the key is an id (organisations).
    pub label: String,
    pub count: i64,
}

/// A per-course figure.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseFigure {
    pub course_code: String,
    pub value: f64,
    /// How many observations it rests on (enrolments or participant-days).
    pub basis: i64,
}

/// Breakdowns of one population (enrolments, or certificates).
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    pub total: i64,
    pub by_course: Vec<Count>,
    pub by_level: Vec<Count>,
    pub by_target_group: Vec<Count>,
    pub by_gender: Vec<Count>,
    pub by_organisation: Vec<Count>,
    /// By the province of the participant's organisation: a province key, [`UNRECORDED`] for
    /// an organisation without one, or `none` for people without an organisation.
    pub by_province: Vec<Count>,
    /// By age on the workshop's start date (`15-24` … `65+`, `unrecorded`), youngest first.
    pub by_age_band: Vec<Count>,
    /// By the Washington Group's cut-off (`with_disability`, `without_disability`,
    /// `unrecorded`).
    pub by_disability: Vec<Count>,
}

/// The province key of organisations whose province was never recorded.
pub const UNRECORDED: &str = "unrecorded";

/// The key and label of the province group of an organisation (`None`: no organisation).
fn province_group(organisation: Option<i64>, province: Option<&str>) -> (String, String) {
    use sea_orm::ActiveEnum;
    match (organisation, province) {
        (None, _) => ("none".into(), "No organisation".into()),
        (Some(_), None) => (UNRECORDED.into(), "Province not recorded".into()),
        (Some(_), Some(key)) => {
            let label = entity::organisation::Province::try_from_value(&key.to_owned())
                .map_or_else(|_| key.to_owned(), |p| p.name().to_owned());
            (key.to_owned(), label)
        }
    }
}

/// Outreach meetings held by people certified in the selected workshops, and who they reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutreachTotals {
    pub sessions: i64,
    pub people_reached: i64,
    pub female: i64,
    pub male: i64,
    pub other: i64,
    pub undisclosed: i64,
}

/// The summary report.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub workshops_total: i64,
    pub workshops_by_course: Vec<Count>,
    pub workshops_by_level: Vec<Count>,
    pub workshops_by_status: Vec<Count>,
    /// Distinct people holding a seat in the workshops.
    pub distinct_participants: i64,
    pub enrolled: Breakdown,
    pub certified: Breakdown,
    /// Days attended (present or late) over days possible, in completed workshops.
    pub attendance_rate_by_course: Vec<CourseFigure>,
    /// Mean post-test minus pre-test, in percentage points.
    pub knowledge_gain_by_course: Vec<CourseFigure>,
    pub outreach: OutreachTotals,
}

struct Sql {
    /// Conditions on a workshop's `start_date` and `organisation_id`, without a table alias.
    conditions: Vec<String>,
    values: Vec<Value>,
}

impl Sql {
    fn new(filter: &ReportFilter) -> Self {
        let mut sql = Sql {
            conditions: vec![],
            values: vec![],
        };
        if let Some(from) = filter.from {
            sql.values.push(from.into());
            sql.conditions
                .push(format!("start_date >= ${}", sql.values.len()));
        }
        if let Some(to) = filter.to {
            sql.values.push(to.into());
            sql.conditions
                .push(format!("start_date <= ${}", sql.values.len()));
        }
        if let Some(org) = filter.organisation_id {
            sql.values.push(org.into());
            sql.conditions
                .push(format!("organisation_id = ${}", sql.values.len()));
        }
        sql
    }

    /// The filter on the table aliased `alias` (workshops, or anything with their start date
    /// and organisation).
    fn on(&self, alias: &str) -> String {
        if self.conditions.is_empty() {
            return "1 = 1".into();
        }
        self.conditions
            .iter()
            .map(|c| format!("{alias}.{c}"))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    async fn rows(
        &self,
        db: &impl ConnectionTrait,
        sql: String,
    ) -> Result<Vec<QueryResult>, DbErr> {
        let statement =
            Statement::from_sql_and_values(db.get_database_backend(), sql, self.values.clone());
        db.query_all_raw(statement).await
    }

    async fn single(&self, db: &impl ConnectionTrait, sql: String) -> Result<i64, DbErr> {
        let rows = self.rows(db, sql).await?;
        Ok(rows
            .first()
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0))
    }
}

/// Sums of one group of workshops (one course, level and status) from their tallies.
struct GridRow {
    course_code: String,
    course_title: String,
    level: String,
    status: String,
    workshops: i64,
    enrolled: i64,
    certified: i64,
    days_attended: i64,
    days_possible: i64,
    gain_sum: f64,
    gain_count: i64,
}

/// The target-group and gender columns of the tallies: (population, dimension, key, column).
fn split_columns() -> Vec<(&'static str, &'static str, String, String)> {
    let mut columns = Vec::new();
    for population in ["enrolled", "certified"] {
        for group in tallies::target_groups() {
            let column = tallies::target_group_column(population, &group);
            columns.push((population, "target_group", group, column));
        }
        for gender in tallies::genders() {
            let column = tallies::gender_column(population, &gender);
            columns.push((population, "gender", gender, column));
        }
        for (band, _) in tallies::age_bands() {
            let column = tallies::age_band_column(population, &band);
            columns.push((population, "age_band", band, column));
        }
        for key in tallies::disability_keys() {
            let column = tallies::disability_column(population, key);
            columns.push((population, "disability", key.to_owned(), column));
        }
    }
    columns
}

/// Adds `n` to the group `key` (labelled `label`) of `counts`.
fn add(counts: &mut Vec<Count>, key: &str, label: &str, n: i64) {
    if n == 0 {
        return;
    }
    match counts.iter_mut().find(|c| c.key == key) {
        Some(count) => count.count += n,
        None => counts.push(Count {
            key: key.to_owned(),
            label: label.to_owned(),
            count: n,
        }),
    }
}

/// Largest group first, then by key.
fn ordered(mut counts: Vec<Count>) -> Vec<Count> {
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    counts
}

impl Breakdown {
    fn ordered(self) -> Self {
        Breakdown {
            total: self.total,
            by_course: ordered(self.by_course),
            by_level: ordered(self.by_level),
            by_target_group: ordered(self.by_target_group),
            by_gender: ordered(self.by_gender),
            by_organisation: ordered(self.by_organisation),
            by_province: ordered(self.by_province),
            // Bands in the order of age, as a chart reads them.
            by_age_band: {
                let mut bands = self.by_age_band;
                let position = |key: &str| {
                    tallies::age_bands()
                        .iter()
                        .position(|(band, _)| band == key)
                };
                bands.sort_by_key(|c| position(&c.key));
                bands
            },
            by_disability: ordered(self.by_disability),
        }
    }
}

/// The summary's statements over the selected workshops.
struct Statements {
    grid: String,
    splits: String,
    organisations: String,
    repeats: String,
    outreach: String,
}

impl Statements {
    fn new(q: &Sql, splits: &[(&'static str, &'static str, String, String)]) -> Self {
        let w = q.on("w");
        let filtered = !q.values.is_empty();
        let grid = format!(
            "SELECT c.code, MIN(c.title), w.level, w.status, COUNT(*), \
             COALESCE(SUM(s.enrolled), 0), COALESCE(SUM(s.certified), 0), \
             COALESCE(SUM(s.days_attended), 0), COALESCE(SUM(w.duration_days * s.enrolled), 0), \
             COALESCE(SUM(s.gain_sum), 0.0), COALESCE(SUM(s.gain_count), 0) \
             FROM workshop w JOIN course c ON c.id = w.course_id \
             LEFT JOIN workshop_stats s ON s.workshop_id = w.id \
             WHERE {w} GROUP BY c.code, w.level, w.status"
        );
        let split_sums: Vec<String> = splits
            .iter()
            .map(|(_, _, _, column)| format!("COALESCE(SUM(s.{column}), 0)"))
            .collect();
        let split_sums = split_sums.join(", ");
        // Without a filter every tally row counts, and no workshop needs reading.
        let splits = if filtered {
            format!(
                "SELECT {split_sums} FROM workshop w JOIN workshop_stats s ON s.workshop_id = w.id \
                 WHERE {w}"
            )
        } else {
            format!("SELECT {split_sums} FROM workshop_stats s")
        };
        let organisations = format!(
            "SELECT t.organisation_id, MIN(o.name), SUM(t.enrolled), SUM(t.certified), \
             MIN(o.province) FROM workshop_organisation_stats t \
             JOIN workshop w ON w.id = t.workshop_id \
             LEFT JOIN organisation o ON o.id = t.organisation_id \
             WHERE {w} GROUP BY t.organisation_id"
        );
        // Seats beyond a person's first, among the few people with several seats.
        let repeats = format!(
            "SELECT COUNT(*) - COUNT(DISTINCT r.participant_id) FROM repeat_seat r WHERE {}",
            q.on("r")
        );
        // Outreach, from the per-workshop outreach tallies (`services::outreach::recount`).
        // (PostgreSQL sums BIGINT columns as NUMERIC: cast back.)
        let outreach_sums = OUTREACH_COLUMNS
            .map(|c| format!("CAST(COALESCE(SUM(o.{c}), 0) AS BIGINT)"))
            .join(", ");
        let outreach = if filtered {
            format!(
                "SELECT {outreach_sums} FROM workshop_outreach_stats o \
                 JOIN workshop w ON w.id = o.workshop_id WHERE {w}"
            )
        } else {
            format!("SELECT {outreach_sums} FROM workshop_outreach_stats o")
        };
        Self {
            grid,
            splits,
            organisations,
            repeats,
            outreach,
        }
    }
}

/// The outreach tallies' columns, in the order of [`OutreachTotals`].
const OUTREACH_COLUMNS: [&str; 6] = [
    "sessions",
    "people_reached",
    "female",
    "male",
    "other",
    "undisclosed",
];

/// Computes the summary report.
///
/// It reads the per-workshop tallies (`services::tallies`), never the enrolment, attendance or
/// assessment rows themselves, in independent statements run side by side on the pool: the
/// selected workshops grouped by course, level and status (summed further here — a few dozen
/// rows); their target-group, gender, age-band and disability columns summed; their
/// organisation rows grouped; the seats of people who hold more than one, for the count of
/// distinct people; and their outreach tallies summed.
pub async fn summary(db: &impl ConnectionTrait, filter: &ReportFilter) -> Result<Summary> {
    let q = Sql::new(filter);
    let splits = split_columns();
    let sql = Statements::new(&q, &splits);
    let (grid, split_rows, organisations, repeats, outreach) = tokio::try_join!(
        q.rows(db, sql.grid),
        q.rows(db, sql.splits),
        q.rows(db, sql.organisations),
        q.single(db, sql.repeats),
        q.rows(db, sql.outreach),
    )?;
    let mut summary = Summary::default();
    add_grid(&mut summary, grid)?;
    if let Some(row) = split_rows.first() {
        add_splits(&mut summary, row, &splits)?;
    }
    add_organisations(&mut summary, organisations)?;
    if let Some(row) = outreach.first() {
        let n = |i: usize| row.try_get_by_index::<i64>(i);
        summary.outreach = OutreachTotals {
            sessions: n(0)?,
            people_reached: n(1)?,
            female: n(2)?,
            male: n(3)?,
            other: n(4)?,
            undisclosed: n(5)?,
        };
    }
    // People, not seats: one person in two workshops counts once.
    summary.distinct_participants = summary.enrolled.total - repeats;

    summary.workshops_by_course = ordered(summary.workshops_by_course);
    summary.workshops_by_level = ordered(summary.workshops_by_level);
    summary.workshops_by_status = ordered(summary.workshops_by_status);
    summary.enrolled = summary.enrolled.ordered();
    summary.certified = summary.certified.ordered();
    Ok(summary)
}

/// Adds the groups of workshops (by course, level and status): the workshop counts, the seats
/// and certificates by course and level, and the attendance rate and knowledge gain by course.
fn add_grid(summary: &mut Summary, grid: Vec<QueryResult>) -> Result<()> {
    // Per course: (attended, possible) over completed workshops, and (gain sum, count).
    let mut attendance: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut gain: BTreeMap<String, (f64, i64)> = BTreeMap::new();
    for row in grid {
        let int = |i: usize| row.try_get_by_index::<i64>(i);
        let g = GridRow {
            course_code: row.try_get_by_index(0)?,
            course_title: row.try_get_by_index(1)?,
            level: row.try_get_by_index(2)?,
            status: row.try_get_by_index(3)?,
            workshops: int(4)?,
            enrolled: int(5)?,
            certified: int(6)?,
            days_attended: int(7)?,
            days_possible: int(8)?,
            gain_sum: row.try_get_by_index(9)?,
            gain_count: int(10)?,
        };
        let level = labels::words(&g.level);
        summary.workshops_total += g.workshops;
        add(
            &mut summary.workshops_by_course,
            &g.course_code,
            &g.course_title,
            g.workshops,
        );
        add(
            &mut summary.workshops_by_level,
            &g.level,
            &level,
            g.workshops,
        );
        let status = labels::words(&g.status);
        add(
            &mut summary.workshops_by_status,
            &g.status,
            &status,
            g.workshops,
        );
        for (population, n) in [
            (&mut summary.enrolled, g.enrolled),
            (&mut summary.certified, g.certified),
        ] {
            population.total += n;
            add(
                &mut population.by_course,
                &g.course_code,
                &g.course_title,
                n,
            );
            add(&mut population.by_level, &g.level, &level, n);
        }
        if g.status == "completed" {
            let entry = attendance.entry(g.course_code.clone()).or_default();
            entry.0 += g.days_attended;
            entry.1 += g.days_possible;
        }
        let entry = gain.entry(g.course_code).or_default();
        entry.0 += g.gain_sum;
        entry.1 += g.gain_count;
    }
    summary.attendance_rate_by_course = attendance
        .into_iter()
        .filter(|(_, (_, possible))| *possible > 0)
        .map(|(course_code, (attended, possible))| CourseFigure {
            course_code,
            value: attended as f64 / possible as f64,
            basis: possible,
        })
        .collect();
    summary.knowledge_gain_by_course = gain
        .into_iter()
        .filter(|(_, (_, count))| *count > 0)
        .map(|(course_code, (sum, count))| CourseFigure {
            course_code,
            value: sum / count as f64,
            basis: count,
        })
        .collect();
    Ok(())
}

/// Adds the target-group, gender, age-band and disability sums of the tallies.
fn add_splits(
    summary: &mut Summary,
    row: &QueryResult,
    splits: &[(&'static str, &'static str, String, String)],
) -> Result<()> {
    for (i, (population, dimension, key, _)) in splits.iter().enumerate() {
        let n = row.try_get_by_index::<i64>(i)?;
        let breakdown = if *population == "enrolled" {
            &mut summary.enrolled
        } else {
            &mut summary.certified
        };
        let (counts, label) = match *dimension {
            "target_group" => (&mut breakdown.by_target_group, labels::words(key)),
            "gender" => (&mut breakdown.by_gender, labels::words(key)),
            "age_band" => (&mut breakdown.by_age_band, demographics::label(key).into()),
            _ => (
                &mut breakdown.by_disability,
                demographics::label(key).into(),
            ),
        };
        add(counts, key, &label, n);
    }
    Ok(())
}

/// Adds the seats and certificates by organisation and by province.
fn add_organisations(summary: &mut Summary, organisations: Vec<QueryResult>) -> Result<()> {
    for row in organisations {
        let id: Option<i64> = row.try_get_by_index(0)?;
        let name: Option<String> = row.try_get_by_index(1)?;
        let province: Option<String> = row.try_get_by_index(4)?;
        let (province_key, province_label) = province_group(id, province.as_deref());
        let key = id.map_or_else(|| "none".to_owned(), |id| id.to_string());
        let label = name.unwrap_or_else(|| "No organisation".to_owned());
        for (breakdown, n) in [
            (&mut summary.enrolled, row.try_get_by_index::<i64>(2)?),
            (&mut summary.certified, row.try_get_by_index::<i64>(3)?),
        ] {
            add(
                &mut breakdown.by_province,
                &province_key,
                &province_label,
                n,
            );
            add(&mut breakdown.by_organisation, &key, &label, n);
        }
    }
    Ok(())
}
