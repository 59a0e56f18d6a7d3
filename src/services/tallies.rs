//! Per-workshop tallies behind the summary report, kept in step with the data they count.
//!
//! `workshop_stats` holds one row per workshop (seats, certificates, days attended, knowledge
//! gain, and the splits by target group and gender as columns); `workshop_organisation_stats`
//! one row per workshop and participant organisation; `repeat_seat` lists the seats of people
//! holding more than one (so that counting distinct people only has to look at those one by
//! one), with the workshop's start date and organisation. Every service that changes what they
//! count calls [`refresh`] for the workshops concerned inside its own transaction, so the
//! tallies commit or roll back with the change. A refresh recomputes a workshop's rows from the
//! source tables (a few dozen rows), so there is no arithmetic drift to worry about: the tallies
//! of a workshop are always exactly what a full recount would give.

use crate::domain::demographics::AGE_BANDS;
use entity::participant::{Gender, TargetGroup};
use std::sync::OnceLock;

use entity::workshop_outreach_stats;
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, Iterable, Statement, Value,
    sea_query::OnConflict,
};

/// The key of participants without a recorded gender (age band, disability).
pub const UNRECORDED: &str = "unrecorded";

/// The target groups, as stored.
pub fn target_groups() -> Vec<String> {
    TargetGroup::iter().map(|t| t.to_value()).collect()
}

/// The genders, as stored, and [`UNRECORDED`].
pub fn genders() -> Vec<String> {
    Gender::iter()
        .map(|g| g.to_value())
        .chain(std::iter::once(UNRECORDED.to_string()))
        .collect()
}

/// The tally column of one population (`enrolled` or `certified`) and target group.
pub fn target_group_column(population: &str, group: &str) -> String {
    format!("{population}_tg_{group}")
}

/// The tally column of one population (`enrolled` or `certified`) and gender key.
pub fn gender_column(population: &str, gender: &str) -> String {
    format!("{population}_gender_{gender}")
}

/// The age-band keys of the report (`15-24` …, `unrecorded`), with their lowest and highest
/// age (inclusive).
pub fn age_bands() -> Vec<(String, Option<(i32, i32)>)> {
    AGE_BANDS
        .iter()
        .map(|(key, _, low, high)| ((*key).to_owned(), Some((*low, *high))))
        .chain(std::iter::once((UNRECORDED.to_owned(), None)))
        .collect()
}

/// The disability keys of the report.
pub fn disability_keys() -> [&'static str; 3] {
    ["with_disability", "without_disability", UNRECORDED]
}

/// The tally column of one population and age-band key (`15-24` → `…_age_15_24`).
pub fn age_band_column(population: &str, band: &str) -> String {
    let band = band.replace('-', "_").replace('+', "_plus");
    format!("{population}_age_{band}")
}

/// The tally column of one population and disability key.
pub fn disability_column(population: &str, key: &str) -> String {
    let short = key.trim_end_matches("_disability");
    format!("{population}_dis_{short}")
}

/// The old name of [`Covering`] (an API key's `Scope` is `domain::access::Scope`), kept so that
/// callers written before the rename still compile.
pub type Scope<'a> = Covering<'a>;

/// Which workshops a refresh covers.
#[derive(Debug, Clone, Copy)]
pub enum Covering<'a> {
    Workshops(&'a [i64]),
    /// Workshops that have no tallies yet (created before the tallies existed).
    Missing,
}

impl Covering<'_> {
    /// A condition on `column` (a workshop id) selecting the scope. Ids are parameters
    /// `$1…$n` (see [`Covering::values`]), so the statements of one workshop's refresh are the same
    /// text every time and stay prepared.
    fn condition(&self, column: &str) -> String {
        match self {
            Covering::Workshops(ids) => {
                let params: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
                format!("{column} IN ({})", params.join(", "))
            }
            Covering::Missing => format!(
                "{column} IN (SELECT w0.id FROM workshop w0 \
                 WHERE NOT EXISTS (SELECT 1 FROM workshop_stats s0 WHERE s0.workshop_id = w0.id))"
            ),
        }
    }

    /// The values of the parameters of [`Covering::condition`].
    fn values(&self) -> Vec<Value> {
        match self {
            Covering::Workshops(ids) => ids.iter().map(|&id| id.into()).collect(),
            _ => vec![],
        }
    }
}

/// The certificates counted as certified (over `x`): the valid ones and those withdrawn when
/// their holder's personal data was erased (the training happened; only the person is gone).
pub const CERTIFIED: &str = "x.status IN ('valid', 'withdrawn')";

/// The days attended by the seated (`FROM … WHERE …`, over `e`, to be narrowed to workshops).
const DAYS_ATTENDED: &str = "FROM attendance a JOIN enrolment e ON e.id = a.enrolment_id \
     WHERE a.status IN ('present', 'late') AND e.status = 'enrolled'";

/// The knowledge gain of one seated participant, in percentage points, over [`GAINS`].
const GAIN: &str = "SUM(post.score * 100.0 / post.max_score - pre.score * 100.0 / pre.max_score)";

/// The seated participants with both tests (`FROM … WHERE …`, over `e`).
const GAINS: &str = "FROM enrolment e \
     JOIN assessment pre ON pre.enrolment_id = e.id AND pre.kind = 'pre_test' \
     JOIN assessment post ON post.enrolment_id = e.id AND post.kind = 'post_test' \
     WHERE e.status = 'enrolled'";

/// The gender key a participant (the table aliased `p`) is counted under: as frozen when they
/// were erased (`counted_gender`), else as recorded, else [`UNRECORDED`].
pub fn counted_gender(p: &str) -> String {
    format!("COALESCE({p}.counted_gender, {p}.gender, '{UNRECORDED}')")
}

/// Per-participant split columns of one population, as conditional counts over `p` (the
/// participant), `wa` (the workshop) and `seat` (the alias of the enrolment counted, whose
/// `counted_age_band` holds an erased participant's age band).
fn split_columns(population: &str, seat: &str) -> Vec<(String, String)> {
    let mut columns = Vec::new();
    for group in target_groups() {
        columns.push((
            target_group_column(population, &group),
            format!("SUM(CASE WHEN p.target_group = '{group}' THEN 1 ELSE 0 END)"),
        ));
    }
    // An erased participant is counted as frozen at erasure (`counted_*`,
    // written when a person is erased): their gender, age bands and disability answers are gone.
    for gender in genders() {
        let test = format!("{} = '{gender}'", counted_gender("p"));
        columns.push((
            gender_column(population, &gender),
            format!("SUM(CASE WHEN {test} THEN 1 ELSE 0 END)"),
        ));
    }
    // The age reached in the year the workshop (`wa`) starts; the date's text is ISO on both
    // databases.
    let age = "(CAST(SUBSTR(CAST(wa.start_date AS TEXT), 1, 4) AS INTEGER) - p.birth_year)";
    for (band, range) in age_bands() {
        let test = match range {
            None => "p.birth_year IS NULL".to_owned(),
            Some((low, high)) => {
                let mut test = "p.birth_year IS NOT NULL".to_owned();
                if low > 0 {
                    test.push_str(&format!(" AND {age} >= {low}"));
                }
                if high < i32::MAX {
                    test.push_str(&format!(" AND {age} <= {high}"));
                }
                test
            }
        };
        let test = format!(
            "({seat}.counted_age_band = '{band}' OR ({seat}.counted_age_band IS NULL AND {test}))"
        );
        columns.push((
            age_band_column(population, &band),
            format!("SUM(CASE WHEN {test} THEN 1 ELSE 0 END)"),
        ));
    }
    // The Washington Group's cut-off (`domain::demographics::WashingtonGroup::status`).
    let domains = [
        "wg_seeing",
        "wg_hearing",
        "wg_walking",
        "wg_cognition",
        "wg_self_care",
        "wg_communication",
    ];
    let any = |values: &str| {
        domains
            .iter()
            .map(|d| format!("COALESCE(p.{d}, '') IN ({values})"))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    let with = any("'a_lot_of_difficulty', 'cannot_do_at_all'");
    let answered = any("'no_difficulty', 'some_difficulty'");
    for key in disability_keys() {
        let case = match key {
            "with_disability" => format!("CASE WHEN {with} THEN 1 ELSE 0 END"),
            "without_disability" => {
                format!("CASE WHEN {with} THEN 0 WHEN {answered} THEN 1 ELSE 0 END")
            }
            _ => format!("CASE WHEN {with} THEN 0 WHEN {answered} THEN 0 ELSE 1 END"),
        };
        let case = format!(
            "CASE WHEN p.counted_disability IS NOT NULL THEN \
             (CASE WHEN p.counted_disability = '{key}' THEN 1 ELSE 0 END) ELSE {case} END"
        );
        columns.push((disability_column(population, key), format!("SUM({case})")));
    }
    columns
}

fn stats_sql(scope: Covering<'_>) -> [String; 2] {
    let enrolled = split_columns("enrolled", "e");
    let certified = split_columns("certified", "xe");
    let mut columns = vec![
        "workshop_id".to_string(),
        "enrolled".into(),
        "certified".into(),
        "days_attended".into(),
        "gain_sum".into(),
        "gain_count".into(),
    ];
    let mut values = vec![
        "w.id".to_string(),
        "COALESCE(en.n, 0)".into(),
        "COALESCE(ce.n, 0)".into(),
        "COALESCE(da.n, 0)".into(),
        "COALESCE(kg.s, 0.0)".into(),
        "COALESCE(kg.n, 0)".into(),
    ];
    for (name, _) in &enrolled {
        columns.push(name.clone());
        values.push(format!("COALESCE(en.{name}, 0)"));
    }
    for (name, _) in &certified {
        columns.push(name.clone());
        values.push(format!("COALESCE(ce.{name}, 0)"));
    }
    let splits = |splits: &[(String, String)]| {
        splits
            .iter()
            .map(|(name, expr)| format!("{expr} AS {name}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let of_enrolment = scope.condition("e.workshop_id");
    let of_certificate = scope.condition("x.workshop_id");
    let insert = format!(
        "INSERT INTO workshop_stats ({columns}) SELECT {values} FROM workshop w \
         LEFT JOIN (SELECT e.workshop_id, COUNT(*) AS n, {enrolled_splits} \
           FROM enrolment e JOIN participant p ON p.id = e.participant_id \
           JOIN workshop wa ON wa.id = e.workshop_id \
           WHERE e.status = 'enrolled' AND {of_enrolment} GROUP BY e.workshop_id) en ON en.workshop_id = w.id \
         LEFT JOIN (SELECT x.workshop_id, COUNT(*) AS n, {certified_splits} \
           FROM certificate x JOIN participant p ON p.id = x.participant_id \
           JOIN workshop wa ON wa.id = x.workshop_id \
           LEFT JOIN enrolment xe ON xe.id = x.enrolment_id \
           WHERE {CERTIFIED} AND {of_certificate} GROUP BY x.workshop_id) ce ON ce.workshop_id = w.id \
         LEFT JOIN (SELECT e.workshop_id, COUNT(*) AS n {DAYS_ATTENDED} AND {of_enrolment} \
           GROUP BY e.workshop_id) da ON da.workshop_id = w.id \
         LEFT JOIN (SELECT e.workshop_id, {GAIN} AS s, COUNT(*) AS n {GAINS} AND {of_enrolment} \
           GROUP BY e.workshop_id) kg ON kg.workshop_id = w.id \
         WHERE {of_workshop}",
        columns = columns.join(", "),
        values = values.join(", "),
        enrolled_splits = splits(&enrolled),
        certified_splits = splits(&certified),
        of_workshop = scope.condition("w.id"),
    );
    let delete = format!(
        "DELETE FROM workshop_stats WHERE {}",
        scope.condition("workshop_id")
    );
    [delete, insert]
}

fn organisation_sql(scope: Covering<'_>) -> [String; 2] {
    let of_enrolment = scope.condition("e.workshop_id");
    let of_certificate = scope.condition("x.workshop_id");
    let insert = format!(
        "INSERT INTO workshop_organisation_stats (workshop_id, organisation_id, enrolled, certified) \
         SELECT t.workshop_id, t.organisation_id, SUM(t.en), SUM(t.ce) FROM ( \
           SELECT e.workshop_id, p.organisation_id, 1 AS en, 0 AS ce \
             FROM enrolment e JOIN participant p ON p.id = e.participant_id \
             WHERE e.status = 'enrolled' AND {of_enrolment} \
           UNION ALL \
           SELECT x.workshop_id, p.organisation_id, 0 AS en, 1 AS ce \
             FROM certificate x JOIN participant p ON p.id = x.participant_id \
             WHERE {CERTIFIED} AND {of_certificate} \
         ) t GROUP BY t.workshop_id, t.organisation_id"
    );
    let delete = format!(
        "DELETE FROM workshop_organisation_stats WHERE {}",
        scope.condition("workshop_id")
    );
    [delete, insert]
}

/// The seats of the people of the workshops in `scope` who hold more than one.
fn repeat_sql(scope: Covering<'_>) -> [String; 2] {
    let touched = format!(
        "SELECT e0.participant_id FROM enrolment e0 WHERE {}",
        scope.condition("e0.workshop_id")
    );
    [
        format!("DELETE FROM repeat_seat WHERE participant_id IN ({touched})"),
        format!(
            "INSERT INTO repeat_seat (participant_id, workshop_id, start_date, organisation_id) \
             SELECT e.participant_id, e.workshop_id, w.start_date, w.organisation_id \
             FROM enrolment e JOIN workshop w ON w.id = e.workshop_id \
             WHERE e.status = 'enrolled' AND e.participant_id IN ( \
               SELECT e1.participant_id FROM enrolment e1 \
               WHERE e1.status = 'enrolled' AND e1.participant_id IN ({touched}) \
               GROUP BY e1.participant_id HAVING COUNT(*) > 1)"
        ),
    ]
}

/// Recomputes the tallies of the workshops in `scope`. Call it inside the transaction that made
/// the change, after the change.
pub async fn refresh(db: &impl ConnectionTrait, scope: Covering<'_>) -> Result<(), DbErr> {
    if let Covering::Workshops(ids) = scope
        && ids.is_empty()
    {
        return Ok(());
    }
    let single;
    let statements = match scope {
        // The common case, one workshop: the same statements every time, built once.
        Covering::Workshops([_]) => {
            static ONE: OnceLock<[String; 6]> = OnceLock::new();
            ONE.get_or_init(|| statements(scope))
        }
        _ => {
            single = statements(scope);
            &single
        }
    };
    let values = scope.values();
    for sql in statements {
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql.as_str(),
            values.clone(),
        ))
        .await?;
    }
    Ok(())
}

/// The statements of a refresh, in order. Organisation rows come first: `Missing` is judged by
/// the absence of a `workshop_stats` row.
fn statements(scope: Covering<'_>) -> [String; 6] {
    let [delete_orgs, insert_orgs] = organisation_sql(scope);
    let [delete_repeats, insert_repeats] = repeat_sql(scope);
    let [delete_stats, insert_stats] = stats_sql(scope);
    [
        delete_orgs,
        insert_orgs,
        delete_repeats,
        insert_repeats,
        delete_stats,
        insert_stats,
    ]
}

/// Recomputes the tallies of one workshop.
pub async fn refresh_workshop(db: &impl ConnectionTrait, workshop_id: i64) -> Result<(), DbErr> {
    refresh(db, Covering::Workshops(&[workshop_id])).await
}

/// What an attendance or assessment change moves: only these figures of one workshop are
/// recounted (one statement, not a whole refresh).
#[derive(Debug, Clone, Copy)]
pub enum Marks {
    /// Days attended.
    Attendance,
    /// Knowledge gain.
    Assessments,
}

/// Recounts the figures `marks` moves in one workshop's tallies.
pub async fn refresh_marks(
    db: &impl ConnectionTrait,
    workshop_id: i64,
    marks: Marks,
) -> Result<(), DbErr> {
    let sql = match marks {
        Marks::Attendance => format!(
            "UPDATE workshop_stats SET days_attended = \
             (SELECT COUNT(*) {DAYS_ATTENDED} AND e.workshop_id = $1) WHERE workshop_id = $1"
        ),
        Marks::Assessments => format!(
            "UPDATE workshop_stats SET (gain_sum, gain_count) = \
             (SELECT COALESCE({GAIN}, 0.0), COUNT(*) {GAINS} AND e.workshop_id = $1) WHERE workshop_id = $1"
        ),
    };
    // Every workshop has its tallies row from creation (or from start-up, for older ones).
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        [workshop_id.into()],
    ))
    .await?;
    Ok(())
}

/// The workshops a participant holds a seat, a waitlist place or a certificate in: the ones
/// whose tallies move when the participant's target group, gender or organisation changes.
pub async fn workshops_of_participant(
    db: &impl ConnectionTrait,
    participant_id: i64,
) -> Result<Vec<i64>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT workshop_id FROM enrolment WHERE participant_id = $1 \
             UNION SELECT workshop_id FROM certificate WHERE participant_id = $1",
            [participant_id.into()],
        ))
        .await?;
    rows.iter().map(|r| r.try_get_by_index::<i64>(0)).collect()
}

/// Recounts one workshop's outreach figures (`workshop_outreach_stats`) from its records.
/// Call it inside the transaction that changed them, after the change.
pub async fn refresh_outreach(db: &impl ConnectionTrait, workshop_id: i64) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT COUNT(*), COALESCE(SUM(people_reached), 0), COALESCE(SUM(female), 0), \
             COALESCE(SUM(male), 0), COALESCE(SUM(other), 0), COALESCE(SUM(undisclosed), 0) \
             FROM outreach WHERE workshop_id = $1",
            [workshop_id.into()],
        ))
        .await?;
    let n = |i: usize| -> Result<i64, DbErr> {
        Ok(row
            .as_ref()
            .map(|r| r.try_get_by_index::<i64>(i))
            .transpose()?
            .unwrap_or(0))
    };
    let stats = workshop_outreach_stats::ActiveModel {
        workshop_id: Set(workshop_id),
        sessions: Set(n(0)?),
        people_reached: Set(n(1)?),
        female: Set(n(2)?),
        male: Set(n(3)?),
        other: Set(n(4)?),
        undisclosed: Set(n(5)?),
    };
    use workshop_outreach_stats::Column as C;
    workshop_outreach_stats::Entity::insert(stats)
        .on_conflict(
            OnConflict::column(C::WorkshopId)
                .update_columns([
                    C::Sessions,
                    C::PeopleReached,
                    C::Female,
                    C::Male,
                    C::Other,
                    C::Undisclosed,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ScratchDatabase;

    /// The split columns are named after the entity enums' stored values, while the table is
    /// made by a (frozen) migration: a variant added to `TargetGroup` or `Gender` without a
    /// migration adding its columns fails here, not when the first report is asked for.
    #[tokio::test]
    async fn every_target_group_and_gender_has_its_tally_columns() {
        let (_scratch, url) = ScratchDatabase::create(None, "tally_columns").await;
        let db = crate::db::connect(&url, 2).await.unwrap();
        let mut columns = Vec::new();
        for population in ["enrolled", "certified"] {
            columns.extend(
                split_columns(population, "e")
                    .into_iter()
                    .map(|(name, _)| name),
            );
        }
        assert_eq!(
            columns.len(),
            2 * (TargetGroup::iter().count() + Gender::iter().count() + 1 + 6 + 3)
        );
        let sql = format!("SELECT {} FROM workshop_stats", columns.join(", "));
        db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("workshop_stats has a column for every target group and gender");
        // And a refresh of every workshop writes them.
        let txn = crate::db::begin_write(&db).await.unwrap();
        refresh(&txn, Covering::Missing).await.unwrap();
    }
}
