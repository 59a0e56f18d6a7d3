//! Every CSV export goes through [`csv_file`]: RFC 4180 with CRLF line ends, UTF-8 with a
//! byte-order mark (so a spreadsheet shows "Zoë" right), and no cell a spreadsheet would run as
//! a formula.

use std::borrow::Cow;

use poem_openapi::{ApiResponse, payload::PlainText};

use crate::error::ApiError;

/// A CSV file to download.
#[derive(ApiResponse)]
pub enum CsvFile {
    /// UTF-8 CSV with a byte-order mark, CRLF line ends and a header row. Cells that begin with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return are prefixed with `'` so that no
    /// spreadsheet runs them as formulas.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(
        PlainText<String>,
        /// `attachment; filename="…"`
        #[oai(header = "Content-Disposition")]
        String,
    ),
}

/// Writes `header` and `rows` as a CSV file named `filename`.
pub fn csv_file<H, R, C>(filename: &str, header: H, rows: R) -> Result<CsvFile, ApiError>
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
    let err = |e: csv::Error| ApiError::Internal(e.into());
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
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(CsvFile::Ok(
        PlainText(text),
        format!("attachment; filename=\"{filename}\""),
    ))
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
        let CsvFile::Ok(PlainText(text), disposition) =
            csv_file("x.csv", ["name", "venue"], [vec!["Zoë, \"Z\"", "=1+1"]]).unwrap();
        assert_eq!(disposition, "attachment; filename=\"x.csv\"");
        assert_eq!(text, "\u{feff}name,venue\r\n\"Zoë, \"\"Z\"\"\",'=1+1\r\n");
    }
}
