//! The API's CSV response: a file written by [`crate::services::csv_export`].

use poem_openapi::{ApiResponse, payload::PlainText};

use crate::services::csv_export::CsvDownload;

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

impl From<CsvDownload> for CsvFile {
    fn from(file: CsvDownload) -> Self {
        CsvFile::Ok(
            PlainText(file.text),
            format!("attachment; filename=\"{}\"", file.filename),
        )
    }
}
