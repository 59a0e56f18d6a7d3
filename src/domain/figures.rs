//! Figures meant for people: a mean of percentages is shown as `30.9`, not `30.916666666666668`.

/// `value` rounded to `places` decimal places (half away from zero).
pub fn rounded(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

/// Percentages and percentage points: one decimal place.
pub fn percent(value: f64) -> f64 {
    rounded(value, 1)
}

/// Shares between 0 and 1 (an attendance rate): three decimal places, a tenth of a percent.
pub fn share(value: f64) -> f64 {
    rounded(value, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_keep_what_a_person_reads() {
        assert_eq!(percent(30.916666666666668), 30.9);
        assert_eq!(percent(66.66666666666667), 66.7);
        assert_eq!(percent(48.0), 48.0);
        assert_eq!(percent(-12.25), -12.3);
        assert_eq!(share(0.9166666666666666), 0.917);
        assert_eq!(share(1.0), 1.0);
    }
}
