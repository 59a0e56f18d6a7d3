//! What makes an organisation valid.

use super::{FieldError, clean_text};

/// Checks and normalises an organisation's name.
pub fn clean_name(name: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = super::clean_name("name", name, 200, &mut errors);
    if errors.is_empty() {
        Ok(name)
    } else {
        Err(errors)
    }
}

/// Checks and normalises an optional district (blank means none).
pub fn clean_district(district: Option<&str>) -> Result<Option<String>, Vec<FieldError>> {
    let Some(district) = district.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    let mut errors = Vec::new();
    let district = clean_text("district", district, 120, &mut errors);
    if errors.is_empty() {
        Ok(Some(district))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_district_is_none_and_a_long_one_is_refused() {
        assert_eq!(clean_district(None), Ok(None));
        assert_eq!(clean_district(Some("   ")), Ok(None));
        assert_eq!(
            clean_district(Some(" Mutare ")),
            Ok(Some("Mutare".to_owned()))
        );
        assert_eq!(
            clean_district(Some(&"x".repeat(121))).unwrap_err()[0].field,
            "district"
        );
    }
}
