//! Words for the stored keys a person reads in a report (`tot` → "Training of Trainers",
//! `community_champion` → "Community champion").

/// The words for a level, status, gender or target-group key: the few that are abbreviations
/// spelt out, the rest with spaces for underscores and a capital first letter.
pub fn words(key: &str) -> String {
    match key {
        "tot" => "Training of Trainers".to_owned(),
        "wastewater" => "Wastewater".to_owned(),
        _ => {
            let spaced = key.replace('_', " ");
            let mut chars = spaced.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn keys_read_as_words() {
        assert_eq!(words("tot"), "Training of Trainers");
        assert_eq!(words("community_champion"), "Community champion");
        assert_eq!(words("in_progress"), "In progress");
        assert_eq!(words("female"), "Female");
        assert_eq!(words(""), "");
    }
}
