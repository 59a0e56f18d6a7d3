//! What makes an organisation valid.

use super::{FieldError, clean_text};

/// Checks and normalises an organisation's name.
pub fn clean_name(name: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = clean_text("name", name, 200, &mut errors);
    if errors.is_empty() {
        Ok(name)
    } else {
        Err(errors)
    }
}
