//! What makes an account valid: names, emails, passwords, scopes.

use validator::ValidateEmail;

use super::{FieldError, access::Scope, clean_name};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted (hashing cost grows with length).
pub const MAX_PASSWORD_CHARS: usize = 512;

/// Normalises an email address (trimmed, lower-case) and checks its form.
/// An address is accepted only if mail can later be sent to it: a domain name with a dot
/// (no `[127.0.0.1]` literal, no `localhost`), made of valid labels.
pub fn clean_email(field: &str, email: &str, errors: &mut Vec<FieldError>) -> String {
    let email = email.trim().to_lowercase();
    if !email.validate_email() {
        errors.push(FieldError::new(field, "must be a valid email address"));
    } else if let Some(reason) = undeliverable_domain(&email) {
        errors.push(FieldError::new(field, reason));
    }
    email
}

/// Why mail to this (well-formed) address could not be delivered, if it could not.
fn undeliverable_domain(email: &str) -> Option<&'static str> {
    let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
    if domain.starts_with('[') {
        return Some("must have a domain name, not an IP address");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let top_ok = labels
        .last()
        .is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic));
    if labels.len() < 2 || !labels.iter().all(label_ok) || !top_ok {
        return Some("must have a domain name such as example.org that mail can be sent to");
    }
    None
}

/// Checks a new password: long enough, not only white space, not a well-known common password.
pub fn check_password(password: &str, errors: &mut Vec<FieldError>) {
    let chars = password.chars().count();
    // Spaces are welcome in a passphrase, but they do not make a short password long.
    let visible = password.chars().filter(|c| !c.is_whitespace()).count();
    if password.trim().is_empty() {
        errors.push(FieldError::new("password", "must not be only white space"));
    } else if chars < MIN_PASSWORD_CHARS {
        errors.push(FieldError::new(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters long"),
        ));
    } else if visible < MIN_PASSWORD_CHARS {
        errors.push(FieldError::new(
            "password",
            format!("must have at least {MIN_PASSWORD_CHARS} characters other than spaces"),
        ));
    } else if chars > MAX_PASSWORD_CHARS {
        errors.push(FieldError::new(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters long"),
        ));
    } else if passwords::analyzer::is_common_password(password)
        || passwords::analyzer::is_common_password(password.to_lowercase())
    {
        errors.push(FieldError::new(
            "password",
            "is one of the most common passwords, which are tried first by anyone guessing; \
             choose another",
        ));
    }
}

/// Checks a person's name (full Unicode, trimmed, 1–120 characters, no control, invisible,
/// format or unassigned characters).
pub fn clean_person_name(field: &str, name: &str, errors: &mut Vec<FieldError>) -> String {
    clean_name(field, name, 120, errors)
}

/// Parses a list of scope names: at least one, all known, no repeats.
pub fn parse_scopes(names: &[String]) -> Result<Vec<Scope>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut scopes = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match Scope::parse(name.trim()) {
            Some(scope) if !scopes.contains(&scope) => scopes.push(scope),
            Some(_) => errors.push(FieldError::new(format!("scopes[{i}]"), "is repeated")),
            None => errors.push(FieldError::new(
                format!("scopes[{i}]"),
                "must be one of: read, enrol, attendance, certificates, admin",
            )),
        }
    }
    if names.is_empty() {
        errors.push(FieldError::new("scopes", "must name at least one scope"));
    }
    if errors.is_empty() {
        scopes.sort();
        Ok(scopes)
    } else {
        Err(errors)
    }
}

/// Whether a change to an account would leave no active administrator: refused, since nobody
/// could then manage accounts. `stays_active_admin` is whether the account is still an active
/// administrator after the change; `other_active_admins` counts the active administrators
/// besides it.
pub fn check_an_admin_remains(
    is_active_admin: bool,
    stays_active_admin: bool,
    other_active_admins: u64,
) -> Result<(), String> {
    if is_active_admin && !stays_active_admin && other_active_admins == 0 {
        Err(
            "this is the only active administrator: make another account an administrator first"
                .into(),
        )
    } else {
        Ok(())
    }
}

/// Checks a password change: the new password follows the rules for passwords and differs from
/// the current one. Errors name the `new_password` field.
pub fn check_new_password(current: &str, new: &str, errors: &mut Vec<FieldError>) {
    let mut rule_errors = Vec::new();
    check_password(new, &mut rule_errors);
    errors.extend(rule_errors.into_iter().map(|e| FieldError {
        field: "new_password".into(),
        ..e
    }));
    if current == new {
        errors.push(FieldError::new(
            "new_password",
            "must differ from the current password",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_active_administrator_cannot_step_down() {
        assert!(check_an_admin_remains(true, false, 0).is_err());
        assert!(check_an_admin_remains(true, false, 1).is_ok());
        assert!(check_an_admin_remains(true, true, 0).is_ok());
        // Changing a trainer or participant never needs another administrator.
        assert!(check_an_admin_remains(false, false, 0).is_ok());
    }

    #[test]
    fn a_new_password_follows_the_rules_and_differs_from_the_current_one() {
        let mut errors = vec![];
        check_new_password("old-password-1", "new-password-1", &mut errors);
        assert!(errors.is_empty());
        check_new_password("old-password-1", "short", &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "new_password");
        errors.clear();
        check_new_password("old-password-1", "old-password-1", &mut errors);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("differ"));
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        let mut errors = vec![];
        assert_eq!(
            clean_email("email", " Tendai@Harare.GOV.zw ", &mut errors),
            "tendai@harare.gov.zw"
        );
        assert!(errors.is_empty());
        clean_email("email", "not-an-email", &mut errors);
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn emails_must_have_a_domain_mail_can_be_sent_to() {
        for bad in [
            "a@[127.0.0.1]",
            "a@localhost",
            "a@example.",
            "a@-x.org",
            "a@x.o",
        ] {
            let mut errors = vec![];
            clean_email("email", bad, &mut errors);
            assert_eq!(errors.len(), 1, "{bad} was accepted");
        }
        for good in ["a.b+c@harare.gov.zw", "tendai@mail.co.zw", "z@bücher.de"] {
            let mut errors = vec![];
            clean_email("email", good, &mut errors);
            assert!(errors.is_empty(), "{good}: {errors:?}");
        }
    }

    #[test]
    fn blank_and_common_passwords_are_refused() {
        for bad in [
            "          ",
            "         a",
            "  a b c d e f  ",
            "password12",
            "1234567890",
            "qwertyuiop",
            "Password123",
        ] {
            let mut errors = vec![];
            check_password(bad, &mut errors);
            assert_eq!(errors.len(), 1, "{bad:?} was accepted");
        }
        for good in ["admin-password-1", "a-long-password", "demo-admin-2026"] {
            let mut errors = vec![];
            check_password(good, &mut errors);
            assert!(errors.is_empty(), "{good:?}: {errors:?}");
        }
    }

    #[test]
    fn passwords_need_ten_characters() {
        let mut errors = vec![];
        check_password("kx8-tend9", &mut errors);
        assert_eq!(errors.len(), 1);
        errors.clear();
        check_password("kx8-tendai", &mut errors);
        assert!(errors.is_empty());
    }

    #[test]
    fn scopes_must_be_known_and_not_repeated() {
        assert_eq!(
            parse_scopes(&["enrol".into(), "read".into()]).unwrap(),
            [Scope::Read, Scope::Enrol]
        );
        assert!(parse_scopes(&[]).is_err());
        assert!(parse_scopes(&["read".into(), "read".into()]).is_err());
        assert!(parse_scopes(&["write".into()]).is_err());
    }
}
