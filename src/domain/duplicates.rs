//! Likely duplicate participants: records that share a national ID number, an email address, a
//! phone number (however it was written), or the same name in the same organisation. Records
//! linked by any of these, directly or through one another, form one group.

use std::collections::{BTreeMap, HashMap};

/// What a participant is compared by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub national_id: Option<String>,
    pub organisation_id: Option<i64>,
}

/// Why records look like one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// The same national ID number.
    NationalId,
    /// The same email address.
    Email,
    /// The same phone number once written the same way.
    Phone,
    /// The same name (ignoring case, spacing and punctuation) in the same organisation.
    NameAndOrganisation,
}

/// Records that share one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub reason: Reason,
    /// The value they share, in its compared form.
    pub value: String,
    /// The records, by id.
    pub participant_ids: Vec<i64>,
}

/// A group of records that are likely one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// By id, lowest first.
    pub participant_ids: Vec<i64>,
    /// Every shared value that links them.
    pub links: Vec<Link>,
}

/// A phone number as compared: its digits, with Zimbabwe's country code written as the
/// national `0` (`+263 77 123 4567` and `077-123-4567` are both `0771234567`). Numbers with
/// fewer than six digits compare as nothing.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(rest) = digits.strip_prefix("00263") {
        format!("0{rest}")
    } else if let Some(rest) = digits.strip_prefix("263") {
        format!("0{rest}")
    } else {
        digits
    };
    (national.len() >= 6).then_some(national)
}

/// A name as compared: lower case, punctuation as spaces, single spaces
/// (`"Chipo  MUTASA-Zvobgo"` is `"chipo mutasa zvobgo"`). Letters keep their accents.
pub fn name_key(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn find_root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The groups of likely duplicates among `candidates`, ordered by their lowest id.
pub fn groups(candidates: &[Candidate]) -> Vec<Group> {
    let mut shared: BTreeMap<(Reason, String), Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        let mut keys = Vec::new();
        if let Some(id) = &c.national_id {
            keys.push((Reason::NationalId, id.clone()));
        }
        if let Some(email) = &c.email {
            keys.push((Reason::Email, email.trim().to_lowercase()));
        }
        if let Some(phone) = c.phone.as_deref().and_then(phone_key) {
            keys.push((Reason::Phone, phone));
        }
        if let Some(org) = c.organisation_id {
            let name = name_key(&c.full_name);
            if !name.is_empty() {
                keys.push((Reason::NameAndOrganisation, format!("{name} @ {org}")));
            }
        }
        for key in keys {
            shared.entry(key).or_default().push(i);
        }
    }
    shared.retain(|_, members| members.len() > 1);
    let mut parent: Vec<usize> = (0..candidates.len()).collect();
    for members in shared.values() {
        for &other in &members[1..] {
            let (a, b) = (
                find_root(&mut parent, members[0]),
                find_root(&mut parent, other),
            );
            if a != b {
                parent[b] = a;
            }
        }
    }
    let mut by_root: HashMap<usize, Group> = HashMap::new();
    for ((reason, value), members) in shared {
        let root = find_root(&mut parent, members[0]);
        let mut ids: Vec<i64> = members.iter().map(|&i| candidates[i].id).collect();
        ids.sort_unstable();
        let group = by_root.entry(root).or_insert_with(|| Group {
            participant_ids: vec![],
            links: vec![],
        });
        group.participant_ids.extend(&ids);
        group.links.push(Link {
            reason,
            value,
            participant_ids: ids,
        });
    }
    let mut groups: Vec<Group> = by_root
        .into_values()
        .map(|mut g| {
            g.participant_ids.sort_unstable();
            g.participant_ids.dedup();
            g.links.sort_by(|a, b| {
                (a.reason, &a.participant_ids).cmp(&(b.reason, &b.participant_ids))
            });
            g
        })
        .collect();
    groups.sort_by_key(|g| g.participant_ids[0]);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, name: &str, org: Option<i64>) -> Candidate {
        Candidate {
            id,
            full_name: name.into(),
            email: None,
            phone: None,
            national_id: None,
            organisation_id: org,
        }
    }

    #[test]
    fn phone_numbers_compare_however_they_are_written() {
        assert_eq!(phone_key("+263 77 123 4567").as_deref(), Some("0771234567"));
        assert_eq!(phone_key("077-123-4567").as_deref(), Some("0771234567"));
        assert_eq!(phone_key("00263771234567").as_deref(), Some("0771234567"));
        assert_eq!(phone_key("12 34"), None);
    }

    #[test]
    fn names_compare_without_case_spacing_or_punctuation() {
        assert_eq!(name_key("  Chipo  MUTASA-Zvobgo "), "chipo mutasa zvobgo");
        assert_eq!(name_key("Zoë Müller-Øberg"), "zoë müller øberg");
    }

    #[test]
    fn the_same_name_in_the_same_organisation_is_a_group_but_not_across_organisations() {
        let people = [
            person(1, "Nyasha Moyo", Some(7)),
            person(2, "NYASHA  moyo", Some(7)),
            person(3, "Nyasha Moyo", Some(8)),
            person(4, "Nyasha Moyo", None),
        ];
        let found = groups(&people);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].participant_ids, [1, 2]);
        assert_eq!(found[0].links[0].reason, Reason::NameAndOrganisation);
    }

    #[test]
    fn records_linked_through_one_another_form_one_group_with_every_reason() {
        let mut a = person(10, "Tendai Moyo", None);
        a.phone = Some("+263 77 123 4567".into());
        let mut b = person(11, "T. Moyo", None);
        b.phone = Some("0771234567".into());
        b.national_id = Some("63-123456A78".into());
        let mut c = person(12, "Tendai M.", None);
        c.national_id = Some("63-123456A78".into());
        let d = person(13, "Someone Else", None);
        let found = groups(&[c, d, b, a]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].participant_ids, [10, 11, 12]);
        let reasons: Vec<_> = found[0].links.iter().map(|l| l.reason).collect();
        assert_eq!(reasons, [Reason::NationalId, Reason::Phone]);
        assert_eq!(found[0].links[1].participant_ids, [10, 11]);
    }

    #[test]
    fn nobody_alike_means_no_groups() {
        assert!(groups(&[person(1, "A", Some(1)), person(2, "B", Some(1))]).is_empty());
    }
}
