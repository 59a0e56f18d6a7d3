//! Reading a participant import file (CSV) into rows, for both edges: the API's
//! `POST /api/v1/participants/import` and the console's import form.
//!
//! One pass over the text: line numbers are counted forward from the previous row (never by
//! rescanning from the start), and the row cap is checked as each row is read, so a hostile
//! file costs time in proportion to its size and stops at the first row past the cap. Parsing
//! is CPU work and runs on the blocking pool ([`read`]), not on the async workers.

use super::participants::ImportRow;
use crate::domain::{Error, FieldError};

/// The most data rows one import may carry.
pub const MAX_ROWS: usize = 10_000;

/// The columns an import file may have (in any order, any case; each at most once).
pub const COLUMNS: [&str; 17] = [
    "full_name",
    "email",
    "phone",
    "gender",
    "organisation_id",
    "target_group",
    "ward",
    "national_id",
    "birth_year",
    "disability_seeing",
    "disability_hearing",
    "disability_walking",
    "disability_cognition",
    "disability_self_care",
    "disability_communication",
    "language",
    "contact_by",
];

/// Why a file was refused whole.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// The text is not a readable CSV table (a row with the wrong number of cells, a broken
    /// quote): the request itself is malformed.
    #[error("the CSV cannot be read: {0}")]
    Unreadable(String),
    /// The table is readable but breaks a rule (unknown, missing or repeated columns, too many
    /// rows): one entry per problem.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The blocking task stopped (a panic): a 500 at the edge.
    #[error(transparent)]
    Internal(#[from] Error),
}

/// Reads `text` on the blocking pool (see [`read_blocking`]).
pub async fn read(text: String) -> Result<Vec<ImportRow>, CsvError> {
    tokio::task::spawn_blocking(move || read_blocking(&text))
        .await
        .map_err(|e| CsvError::Internal(Error::internal("reading the CSV stopped", e)))?
}

/// Reads the CSV into rows; a file that cannot be read as a table, or whose header is wrong,
/// or that has more than [`MAX_ROWS`] rows, is refused whole.
pub fn read_blocking(text: &str) -> Result<Vec<ImportRow>, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| CsvError::Unreadable(e.to_string()))?
        .clone();
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let problems = header_problems(&names);
    if !problems.is_empty() {
        return Err(CsvError::Invalid(problems));
    }
    let column = |name: &str| names.iter().position(|n| n == name);
    let columns: [Option<usize>; 17] = COLUMNS.map(column);
    let mut lines = LineCounter::default();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(CsvError::Unreadable(e.to_string())),
        }
        if rows.len() == MAX_ROWS {
            return Err(CsvError::Invalid(vec![FieldError::new(
                "body",
                format!(
                    "at most {} rows per import; this file has more",
                    figures_thousands(MAX_ROWS)
                ),
            )]));
        }
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(text, p.byte() as usize));
        let get = |i: usize| columns[i].and_then(|c| record.get(c)).map(str::to_owned);
        rows.push(ImportRow {
            line,
            full_name: get(0),
            email: get(1),
            phone: get(2),
            gender: get(3),
            organisation_id: get(4),
            target_group: get(5),
            ward: get(6),
            national_id: get(7),
            birth_year: get(8),
            disability: [get(9), get(10), get(11), get(12), get(13), get(14)],
            language: get(15),
            contact_by: get(16),
        });
    }
    Ok(rows)
}

/// Unknown, repeated and missing columns of a header row (already trimmed and lower-cased).
fn header_problems(names: &[String]) -> Vec<FieldError> {
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) {
            problems.push(FieldError::new(
                format!("header[{i}]"),
                format!(
                    "unknown column {name:?}; the columns are {}",
                    COLUMNS.join(", ")
                ),
            ));
        } else if names[..i].contains(name) {
            // Silently taking one of the two would drop the other's values.
            problems.push(FieldError::new(
                format!("header[{i}]"),
                format!("the column {name} appears more than once"),
            ));
        }
    }
    for required in ["full_name", "target_group"] {
        if !names.iter().any(|n| n == required) {
            problems.push(FieldError::new(
                "header",
                format!("the column {required} is missing"),
            ));
        }
    }
    problems
}

fn figures_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Line numbers (from 1) of offsets asked for in increasing order, as a person counts lines:
/// `\r\n` (what Excel writes), `\n` and a lone `\r` each end one line. Each call scans only the
/// bytes since the previous one, so numbering every row of a file is one pass over it.
#[derive(Debug)]
struct LineCounter {
    offset: usize,
    line: u64,
}

impl Default for LineCounter {
    fn default() -> Self {
        Self { offset: 0, line: 1 }
    }
}

impl LineCounter {
    fn line_at(&mut self, text: &str, offset: usize) -> u64 {
        let bytes = text.as_bytes();
        let offset = offset.min(bytes.len());
        if offset > self.offset {
            // A `\r\n` counts once, at its `\n`.
            let breaks = bytes[self.offset..offset]
                .iter()
                .enumerate()
                .filter(|&(i, &b)| {
                    b == b'\n' || (b == b'\r' && bytes.get(self.offset + i + 1) != Some(&b'\n'))
                })
                .count();
            self.line += breaks as u64;
            self.offset = offset;
        }
        // The CSV reader places a row after `\r\n` at its `\n`: that line has ended too.
        let split_crlf =
            offset > 0 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n');
        self.line + u64::from(split_crlf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(text: &str, offset: usize) -> u64 {
        LineCounter::default().line_at(text, offset)
    }

    /// Counting from the start every time (what the import did before: quadratic).
    fn rescanned(text: &str, offset: usize) -> u64 {
        let before = &text.as_bytes()[..offset];
        let breaks = (0..offset)
            .filter(|&i| {
                before[i] == b'\n' || (before[i] == b'\r' && before.get(i + 1) != Some(&b'\n'))
            })
            .count();
        breaks as u64 + 1
    }

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

    #[test]
    fn counting_forward_row_by_row_gives_the_same_lines_as_counting_from_the_start() {
        let text = "h\r\na\nb\rc\r\n\"d\r\ne\"\nf";
        let mut counter = LineCounter::default();
        for (offset, _) in text.char_indices() {
            assert_eq!(
                counter.line_at(text, offset),
                rescanned(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn rows_keep_the_line_they_start_on_in_a_long_file() {
        let mut text = String::from("full_name,target_group\r\n");
        for i in 0..500 {
            text.push_str(&format!("\"Name\n{i}\",sme\r\n"));
        }
        let rows = read_blocking(&text).unwrap();
        assert_eq!(rows.len(), 500);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[499].line, 2 + 2 * 499);
    }

    #[test]
    fn a_column_named_twice_is_refused() {
        let Err(CsvError::Invalid(problems)) =
            read_blocking("full_name,target_group,Email,email\nA,sme,a@x.org,b@x.org\n")
        else {
            panic!("accepted a repeated column");
        };
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "header[3]");
    }

    #[test]
    fn the_row_cap_stops_reading_at_the_first_row_past_it() {
        let mut text = String::from("full_name,target_group\n");
        for _ in 0..MAX_ROWS + 1 {
            text.push_str("A,sme\n");
        }
        // What follows the first row past the cap is not even a table: never read.
        text.push_str("broken,\"row,with,cells\n");
        let Err(CsvError::Invalid(problems)) = read_blocking(&text) else {
            panic!("read past the cap");
        };
        assert!(problems[0].message.contains("10,000"), "{problems:?}");
        text.truncate(text.len() - "broken,\"row,with,cells\n".len());
        let mut exactly = String::from("full_name,target_group\n");
        for _ in 0..MAX_ROWS {
            exactly.push_str("A,sme\n");
        }
        assert_eq!(read_blocking(&exactly).unwrap().len(), MAX_ROWS);
    }
}
