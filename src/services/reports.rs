//! Reports for IWSD's councils and funders, computed in the database with GROUP BY.
//!
//! Every figure is over the workshops the filter selects (start date between `from` and `to`,
//! held for an organisation). Plain SQL that both SQLite and PostgreSQL run unchanged.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, QueryResult, Statement, Value};

use crate::domain::Result;

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
}

struct Sql {
    conditions: Vec<String>,
    values: Vec<Value>,
}

impl Sql {
    fn new(filter: &ReportFilter) -> Self {
        let mut sql = Sql {
            conditions: vec!["1 = 1".into()],
            values: vec![],
        };
        if let Some(from) = filter.from {
            sql.values.push(from.into());
            sql.conditions
                .push(format!("w.start_date >= ${}", sql.values.len()));
        }
        if let Some(to) = filter.to {
            sql.values.push(to.into());
            sql.conditions
                .push(format!("w.start_date <= ${}", sql.values.len()));
        }
        if let Some(org) = filter.organisation_id {
            sql.values.push(org.into());
            sql.conditions
                .push(format!("w.organisation_id = ${}", sql.values.len()));
        }
        sql
    }

    fn workshops(&self) -> String {
        self.conditions.join(" AND ")
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

    async fn counts(&self, db: &impl ConnectionTrait, sql: String) -> Result<Vec<Count>, DbErr> {
        let mut counts = Vec::new();
        for row in self.rows(db, sql).await? {
            counts.push(Count {
                key: row.try_get_by_index::<String>(0)?,
                label: row.try_get_by_index::<String>(1)?,
                count: row.try_get_by_index::<i64>(2)?,
            });
        }
        Ok(counts)
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

/// The groupings of people: (key expression, label expression, extra join).
const PEOPLE_GROUPS: [(&str, &str, &str); 5] = [
    ("c.code", "c.title", ""),
    ("w.level", "w.level", ""),
    ("p.target_group", "p.target_group", ""),
    (
        "COALESCE(p.gender, 'unrecorded')",
        "COALESCE(p.gender, 'unrecorded')",
        "",
    ),
    (
        "COALESCE(CAST(o.id AS TEXT), 'none')",
        "COALESCE(o.name, 'No organisation')",
        "LEFT JOIN organisation o ON o.id = p.organisation_id",
    ),
];

async fn breakdown(
    db: &impl ConnectionTrait,
    q: &Sql,
    from: &str,
    condition: &str,
) -> Result<Breakdown> {
    let w = q.workshops();
    let base = format!(
        "FROM {from} JOIN workshop w ON w.id = x.workshop_id JOIN participant p ON p.id = x.participant_id \
         JOIN course c ON c.id = w.course_id"
    );
    let total = q
        .single(
            db,
            format!("SELECT COUNT(*) {base} WHERE {condition} AND {w}"),
        )
        .await?;
    let mut groups = Vec::new();
    for (key, label, join) in PEOPLE_GROUPS {
        let sql = format!(
            "SELECT {key} AS k, MIN({label}) AS l, COUNT(*) AS n {base} {join} WHERE {condition} AND {w} \
             GROUP BY {key} ORDER BY n DESC, k"
        );
        groups.push(q.counts(db, sql).await?);
    }
    let mut groups = groups.into_iter();
    let mut next = || groups.next().unwrap_or_default();
    Ok(Breakdown {
        total,
        by_course: next(),
        by_level: next(),
        by_target_group: next(),
        by_gender: next(),
        by_organisation: next(),
    })
}

/// Computes the summary report.
pub async fn summary(db: &impl ConnectionTrait, filter: &ReportFilter) -> Result<Summary> {
    let q = Sql::new(filter);
    let w = q.workshops();
    let workshop_count = |key: &str, label: &str| {
        format!(
            "SELECT {key} AS k, MIN({label}) AS l, COUNT(*) AS n FROM workshop w JOIN course c ON c.id = w.course_id \
             WHERE {w} GROUP BY {key} ORDER BY n DESC, k"
        )
    };
    let workshops_total = q
        .single(db, format!("SELECT COUNT(*) FROM workshop w WHERE {w}"))
        .await?;
    let workshops_by_course = q.counts(db, workshop_count("c.code", "c.title")).await?;
    let workshops_by_level = q.counts(db, workshop_count("w.level", "w.level")).await?;
    let workshops_by_status = q.counts(db, workshop_count("w.status", "w.status")).await?;
    let distinct_participants = q
        .single(
            db,
            format!(
                "SELECT COUNT(DISTINCT x.participant_id) FROM enrolment x JOIN workshop w ON w.id = x.workshop_id \
                 WHERE x.status = 'enrolled' AND {w}"
            ),
        )
        .await?;
    let enrolled = breakdown(db, &q, "enrolment x", "x.status = 'enrolled'").await?;
    let certified = breakdown(db, &q, "certificate x", "x.status = 'valid'").await?;

    let mut attendance_rate_by_course = Vec::new();
    let possible = q
        .rows(
            db,
            format!(
                "SELECT c.code, SUM(w.duration_days), COUNT(*) FROM enrolment e JOIN workshop w ON w.id = e.workshop_id \
                 JOIN course c ON c.id = w.course_id WHERE e.status = 'enrolled' AND w.status = 'completed' AND {w} \
                 GROUP BY c.code ORDER BY c.code"
            ),
        )
        .await?;
    let attended = q
        .rows(
            db,
            format!(
                "SELECT c.code, COUNT(*) FROM attendance a JOIN enrolment e ON e.id = a.enrolment_id \
                 JOIN workshop w ON w.id = e.workshop_id JOIN course c ON c.id = w.course_id \
                 WHERE a.status IN ('present', 'late') AND e.status = 'enrolled' AND w.status = 'completed' AND {w} \
                 GROUP BY c.code"
            ),
        )
        .await?;
    let mut attended_by_course = std::collections::HashMap::new();
    for row in attended {
        attended_by_course.insert(
            row.try_get_by_index::<String>(0)?,
            row.try_get_by_index::<i64>(1)?,
        );
    }
    for row in possible {
        let code: String = row.try_get_by_index(0)?;
        let days: i64 = row.try_get_by_index(1)?;
        if days > 0 {
            let got = attended_by_course.get(&code).copied().unwrap_or(0);
            attendance_rate_by_course.push(CourseFigure {
                course_code: code,
                value: got as f64 / days as f64,
                basis: days,
            });
        }
    }

    let mut knowledge_gain_by_course = Vec::new();
    for row in q
        .rows(
            db,
            format!(
                "SELECT c.code, AVG(post.score * 100.0 / post.max_score - pre.score * 100.0 / pre.max_score), COUNT(*) \
                 FROM enrolment e JOIN workshop w ON w.id = e.workshop_id JOIN course c ON c.id = w.course_id \
                 JOIN assessment pre ON pre.enrolment_id = e.id AND pre.kind = 'pre_test' \
                 JOIN assessment post ON post.enrolment_id = e.id AND post.kind = 'post_test' \
                 WHERE e.status = 'enrolled' AND {w} GROUP BY c.code ORDER BY c.code"
            ),
        )
        .await?
    {
        knowledge_gain_by_course.push(CourseFigure {
            course_code: row.try_get_by_index(0)?,
            value: row.try_get_by_index::<f64>(1)?,
            basis: row.try_get_by_index(2)?,
        });
    }

    Ok(Summary {
        workshops_total,
        workshops_by_course,
        workshops_by_level,
        workshops_by_status,
        distinct_participants,
        enrolled,
        certified,
        attendance_rate_by_course,
        knowledge_gain_by_course,
    })
}
