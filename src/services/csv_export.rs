//! CSV files, written below both edges: the API's CSV operations and the console's downloads
//! call the same functions here. Every file goes through [`csv_file`]: RFC 4180 with CRLF line
//! ends, UTF-8 with a byte-order mark (so a spreadsheet shows "Zoë" right), and no cell a
//! spreadsheet would run as a formula. Who may read which file is checked by the caller.

use std::borrow::Cow;

use chrono::NaiveDate;
use sea_orm::{ActiveEnum, ConnectionTrait};

use super::{
    PageRequest, attendance,
    certificates::{self, CertificateFilter},
    enrolments,
    reports::{self, Count, ReportFilter},
};
use crate::domain::{Error, Result, figures};

/// A CSV file to download: its name and its text.
#[derive(Debug, Clone)]
pub struct CsvDownload {
    pub filename: String,
    pub text: String,
}

const EVERYTHING: PageRequest = PageRequest {
    limit: 1_000_000,
    offset: 0,
};

/// The attendance register of a workshop: one row per participant, one column per day
/// (headed with its date), and the days attended.
pub async fn register(db: &impl ConnectionTrait, workshop_id: i64) -> Result<CsvDownload> {
    let (_, dates, rows) = attendance::register(db, workshop_id).await?;
    let mut header = vec!["participant".to_owned()];
    header.extend(
        dates
            .iter()
            .enumerate()
            .map(|(i, d)| format!("Day {} ({d})", i + 1)),
    );
    header.push("days attended".into());
    let rows = rows.into_iter().map(|row| {
        let attended = row.days_attended();
        let mut record = vec![row.full_name];
        record.extend(
            row.days
                .iter()
                .map(|d| d.as_ref().map_or(String::new(), |a| a.status.to_value())),
        );
        record.push(attended.to_string());
        record
    });
    csv_file(
        &format!("workshop-{workshop_id}-register.csv"),
        header,
        rows,
    )
}

/// A workshop's roster: every enrolment in queue order with the participant's details.
pub async fn roster(db: &impl ConnectionTrait, workshop_id: i64) -> Result<CsvDownload> {
    let roster = enrolments::roster(db, workshop_id).await?;
    let mut rows = Vec::with_capacity(roster.len());
    for line in roster {
        let (e, p) = (line.enrolment, line.participant);
        rows.push(vec![
            e.id.to_string(),
            p.full_name,
            p.email.unwrap_or_default(),
            p.phone.unwrap_or_default(),
            p.gender.map(|g| g.to_value()).unwrap_or_default(),
            p.target_group.to_value(),
            p.ward.unwrap_or_default(),
            e.status.to_value(),
            line.waitlist_position
                .map(|n| n.to_string())
                .unwrap_or_default(),
        ]);
    }
    let header = [
        "enrolment_id",
        "full_name",
        "email",
        "phone",
        "gender",
        "target_group",
        "ward",
        "status",
        "waitlist_position",
    ];
    csv_file(&format!("workshop-{workshop_id}-roster.csv"), header, rows)
}

/// Every certificate issued between `from` and `to` (inclusive issue dates), oldest first.
pub async fn certificates(
    db: &impl ConnectionTrait,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<CsvDownload> {
    crate::domain::dates::check_range(from, to)?;
    let filter = CertificateFilter {
        issued_from: from,
        issued_to: to,
        ..Default::default()
    };
    let all = certificates::list(db, filter, EVERYTHING).await?;
    let rows: Vec<Vec<String>> = all
        .items
        .into_iter()
        .rev()
        .map(|c| {
            vec![
                c.number,
                c.holder_name,
                c.course_code,
                c.course_title,
                serde_json::json!(c.level)
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                c.workshop_id.to_string(),
                c.start_date.to_string(),
                c.end_date.to_string(),
                c.venue,
                c.issued_on.to_string(),
                serde_json::json!(c.status)
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                c.verification_url,
            ]
        })
        .collect();
    let header = [
        "number",
        "holder_name",
        "course_code",
        "course_title",
        "level",
        "workshop_id",
        "start_date",
        "end_date",
        "venue",
        "issued_on",
        "status",
        "verification_url",
    ];
    csv_file("certificates.csv", header, rows)
}

/// The summary report, one row per group: `section, key, label, value`, the totals first.
pub async fn summary(db: &impl ConnectionTrait, filter: &ReportFilter) -> Result<CsvDownload> {
    let s = reports::summary(db, filter).await?;
    let total = |section: &str, label: &str, n: i64| {
        vec![
            section.to_owned(),
            "total".to_owned(),
            label.to_owned(),
            n.to_string(),
        ]
    };
    // The totals first, as in the JSON: workshops, distinct people, seats, certificates.
    let mut rows = vec![
        total("workshops", "All workshops", s.workshops_total),
        total(
            "participants",
            "Distinct people holding a seat",
            s.distinct_participants,
        ),
        total("enrolled", "Enrolments holding a seat", s.enrolled.total),
        total("certified", "Valid certificates", s.certified.total),
    ];
    let mut add = |section: &str, counts: &[Count]| {
        for c in counts {
            rows.push(vec![
                section.to_owned(),
                c.key.clone(),
                c.label.clone(),
                c.count.to_string(),
            ]);
        }
    };
    add("workshops by course", &s.workshops_by_course);
    add("workshops by level", &s.workshops_by_level);
    add("workshops by status", &s.workshops_by_status);
    for (name, b) in [("enrolled", &s.enrolled), ("certified", &s.certified)] {
        add(&format!("{name} by course"), &b.by_course);
        add(&format!("{name} by level"), &b.by_level);
        add(&format!("{name} by target group"), &b.by_target_group);
        add(&format!("{name} by gender"), &b.by_gender);
        add(&format!("{name} by organisation"), &b.by_organisation);
        add(&format!("{name} by province"), &b.by_province);
        add(&format!("{name} by age band"), &b.by_age_band);
        add(&format!("{name} by disability"), &b.by_disability);
    }
    for f in &s.attendance_rate_by_course {
        rows.push(vec![
            "attendance rate".into(),
            f.course_code.clone(),
            f.course_code.clone(),
            figures::share(f.value).to_string(),
        ]);
    }
    for f in &s.knowledge_gain_by_course {
        rows.push(vec![
            "knowledge gain (points)".into(),
            f.course_code.clone(),
            f.course_code.clone(),
            figures::percent(f.value).to_string(),
        ]);
    }
    let o = &s.outreach;
    for (key, label, value) in [
        ("sessions", "Outreach meetings", o.sessions),
        ("people_reached", "People reached", o.people_reached),
        ("female", "People reached: female", o.female),
        ("male", "People reached: male", o.male),
        ("other", "People reached: other", o.other),
        ("undisclosed", "People reached: undisclosed", o.undisclosed),
    ] {
        rows.push(vec![
            "outreach".into(),
            key.into(),
            label.into(),
            value.to_string(),
        ]);
    }
    csv_file("summary.csv", ["section", "key", "label", "value"], rows)
}

/// Writes `header` and `rows` as a CSV file named `filename`.
pub fn csv_file<H, R, C>(filename: &str, header: H, rows: R) -> Result<CsvDownload>
where
    H: IntoIterator,
    H::Item: AsRef<str>,
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let err = |e: csv::Error| Error::internal("writing a CSV file", e);
    let cells = |row: Vec<String>| row;
    writer
        .write_record(cells(
            header
                .into_iter()
                .map(|c| neutralise(c.as_ref()).into_owned())
                .collect(),
        ))
        .map_err(err)?;
    for row in rows {
        let record: Vec<String> = row
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned())
            .collect();
        writer.write_record(&record).map_err(err)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::internal("writing a CSV file", e.into_error()))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::internal("writing a CSV file", e))?;
    Ok(CsvDownload {
        filename: filename.to_owned(),
        text,
    })
}

/// A cell as it is safe to put in a spreadsheet: one that would start a formula gets a `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_start_a_formula_are_prefixed() {
        for cell in [
            "=HYPERLINK(\"http://evil.test\",\"y\")",
            "@SUM(1+1)",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("Zoë = 1"), "Zoë = 1");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn the_file_has_a_bom_crlf_line_ends_and_quoted_cells() {
        let file = csv_file("x.csv", ["name", "venue"], [vec!["Zoë, \"Z\"", "=1+1"]]).unwrap();
        assert_eq!(file.filename, "x.csv");
        assert_eq!(
            file.text,
            "\u{feff}name,venue\r\n\"Zoë, \"\"Z\"\"\",'=1+1\r\n"
        );
    }
}
