//! Every word the pages show, in one place, so that a Shona or Ndebele translation is one more
//! [`Strings`] value. Templates read them as `t.<name>`; words with a number or name in them
//! are functions. The register's script gets its words from the page (see
//! [`Strings::script_words`]), so it carries none of its own.

use serde::Serialize;

/// The words of one language.
#[derive(Debug)]
pub struct Strings {
    /// `lang` attribute of the pages.
    pub lang: &'static str,
    pub site_name: &'static str,
    pub issuer: &'static str,
    pub skip_to_content: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: &'static str,

    // Verification
    pub verify_title: &'static str,
    pub valid: &'static str,
    pub revoked: &'static str,
    pub valid_explainer: &'static str,
    pub revoked_explainer: &'static str,
    pub revoked_on: &'static str,
    pub holder: &'static str,
    pub course: &'static str,
    pub level: &'static str,
    pub level_tot: &'static str,
    pub level_cascade: &'static str,
    pub level_community: &'static str,
    pub dates: &'static str,
    pub venue: &'static str,
    pub certificate_number: &'static str,
    pub issued_by: &'static str,
    pub issued_on: &'static str,
    pub signed_by: &'static str,
    pub machine_readable: &'static str,
    pub verify_unknown: &'static str,

    // Errors
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_register: &'static str,
    pub form_expired_title: &'static str,
    pub form_expired_text: &'static str,
    pub too_many_title: &'static str,
    too_many_text: fn(u64) -> String,
    pub server_error_title: &'static str,
    pub server_error_text: &'static str,
    pub go_home: &'static str,

    // Participant portal
    pub portal_title: &'static str,
    pub portal_intro: &'static str,
    pub email_label: &'static str,
    pub send_link: &'static str,
    pub link_sent_title: &'static str,
    link_sent_text: fn(&str) -> String,
    pub link_invalid_title: &'static str,
    pub link_invalid_text: &'static str,
    pub ask_again: &'static str,
    pub my_enrolments: &'static str,
    pub no_enrolments: &'static str,
    pub status_enrolled: &'static str,
    pub status_waitlisted: &'static str,
    waitlist_position: fn(u64) -> String,
    pub status_withdrawn: &'static str,
    pub schedule: &'static str,
    day_label: fn(i32) -> String,
    pub practice: &'static str,
    pub add_to_calendar: &'static str,
    pub my_certificates: &'static str,
    pub no_certificates: &'static str,
    pub download_pdf: &'static str,
    pub public_check: &'static str,
    pub not_a_participant: &'static str,

    // Trainer's register
    pub register_title: &'static str,
    pub register_intro: &'static str,
    pub password_label: &'static str,
    pub sign_in: &'static str,
    pub wrong_password: &'static str,
    pub my_workshops: &'static str,
    pub running_today: &'static str,
    pub coming_up: &'static str,
    pub finished: &'static str,
    pub no_workshops: &'static str,
    enrolled_count: fn(i32) -> String,
    pub day: &'static str,
    pub people: &'static str,
    pub no_people: &'static str,
    pub present: &'static str,
    pub late: &'static str,
    pub absent: &'static str,
    pub excused: &'static str,
    pub scores_title: &'static str,
    pub pre_test: &'static str,
    pub post_test: &'static str,
    pub practical: &'static str,
    pub save_scores: &'static str,
    pub send_now: &'static str,
    pub sync_title: &'static str,
    pub waiting: &'static str,
    pub synced: &'static str,
    pub kept_by_server: &'static str,
    pub refused: &'static str,
    pub offline: &'static str,
    pub online: &'static str,
    pub signed_out_waiting: &'static str,
    pub completed_note: &'static str,
    pub future_day: &'static str,
    pub needs_script: &'static str,
}

/// The words the register's script shows (handed to it in the page).
#[derive(Debug, Serialize)]
pub struct ScriptWords {
    pub present: &'static str,
    pub late: &'static str,
    pub absent: &'static str,
    pub excused: &'static str,
    pub pre_test: &'static str,
    pub post_test: &'static str,
    pub practical: &'static str,
    pub day: &'static str,
    pub waiting: &'static str,
    pub synced: &'static str,
    pub kept_by_server: &'static str,
    pub refused: &'static str,
    pub offline: &'static str,
    pub online: &'static str,
    pub signed_out_waiting: &'static str,
}

impl Strings {
    /// "Try again in … seconds".
    pub fn too_many_text(&self, seconds: u64) -> String {
        (self.too_many_text)(seconds)
    }

    /// "If … belongs to a participant, a link is on its way".
    pub fn link_sent_text(&self, email: &str) -> String {
        (self.link_sent_text)(email)
    }

    /// "Number … on the waitlist".
    pub fn waitlist_position(&self, position: &u64) -> String {
        (self.waitlist_position)(*position)
    }

    /// "Day …".
    pub fn day_label(&self, day: &i32) -> String {
        (self.day_label)(*day)
    }

    /// "… enrolled".
    pub fn enrolled_count(&self, count: &i32) -> String {
        (self.enrolled_count)(*count)
    }

    /// A workshop level in words a participant understands.
    pub fn level_words(&self, level: entity::workshop::Level) -> &'static str {
        match level {
            entity::workshop::Level::Tot => self.level_tot,
            entity::workshop::Level::Cascade => self.level_cascade,
            entity::workshop::Level::Community => self.level_community,
        }
    }

    /// The words the register's script needs.
    pub fn script_words(&self) -> ScriptWords {
        ScriptWords {
            present: self.present,
            late: self.late,
            absent: self.absent,
            excused: self.excused,
            pre_test: self.pre_test,
            post_test: self.post_test,
            practical: self.practical,
            day: self.day,
            waiting: self.waiting,
            synced: self.synced,
            kept_by_server: self.kept_by_server,
            refused: self.refused,
            offline: self.offline,
            online: self.online,
            signed_out_waiting: self.signed_out_waiting,
        }
    }
}

/// English.
pub static EN: Strings = Strings {
    lang: "en",
    site_name: "IWSD Training",
    issuer: "Institute of Water and Sanitation Development (IWSD)",
    skip_to_content: "Skip to content",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",

    verify_title: "Certificate check",
    valid: "VALID",
    revoked: "REVOKED",
    valid_explainer: "This certificate was issued by IWSD and stands.",
    revoked_explainer: "This certificate was withdrawn by IWSD and no longer stands.",
    revoked_on: "Revoked on",
    holder: "Holder",
    course: "Course",
    level: "Level",
    level_tot: "Training of Trainers — certified to train others",
    level_cascade: "Cascade workshop for council staff and community leaders",
    level_community: "Community workshop",
    dates: "Dates",
    venue: "Venue",
    certificate_number: "Certificate number",
    issued_by: "Issued by",
    issued_on: "Issued on",
    signed_by: "Signed by",
    machine_readable: "Machine-readable record (JSON)",
    verify_unknown: "No certificate has this verification code. Compare the address with the QR code or the link on the certificate.",

    not_found_title: "Not found",
    not_found_text: "There is nothing here, or it is not yours to see.",
    forbidden_title: "Not yours to see",
    forbidden_register: "This register belongs to another workshop's trainers.",
    form_expired_title: "Please try again",
    form_expired_text: "This form could not be accepted (it may have expired). Go back, reload the page and send it again.",
    too_many_title: "Too many attempts",
    too_many_text: |seconds| format!("Please wait {seconds} seconds and try again."),
    server_error_title: "Something went wrong",
    server_error_text: "The server could not finish this. Please try again in a moment.",
    go_home: "Back to the start",

    portal_title: "My workshops and certificates",
    portal_intro: "Enter the email address IWSD has for you. We will email you a link that signs you in — no password needed.",
    email_label: "Email address",
    send_link: "Email me a sign-in link",
    link_sent_title: "Check your email",
    link_sent_text: |email| {
        format!(
            "If {email} belongs to a participant, a sign-in link is on its way. It works once, for 30 minutes."
        )
    },
    link_invalid_title: "This link does not work",
    link_invalid_text: "The link was already used, has expired, or is not a sign-in link.",
    ask_again: "Ask for a new link",
    my_enrolments: "My workshops",
    no_enrolments: "You are not enrolled in any workshop.",
    status_enrolled: "Enrolled",
    status_waitlisted: "On the waitlist",
    waitlist_position: |n| format!("Number {n} on the waitlist"),
    status_withdrawn: "Withdrawn",
    schedule: "Day by day",
    day_label: |n| format!("Day {n}"),
    practice: "Practice and review",
    add_to_calendar: "Add to my calendar (.ics)",
    my_certificates: "My certificates",
    no_certificates: "No certificates yet.",
    download_pdf: "Download PDF",
    public_check: "Public check page",
    not_a_participant: "This account has no participant record, so it has no workshops or certificates of its own.",

    register_title: "Attendance register",
    register_intro: "Trainers: sign in with your email address and password.",
    password_label: "Password",
    sign_in: "Sign in",
    wrong_password: "The email address or password is wrong.",
    my_workshops: "My workshops",
    running_today: "Running today",
    coming_up: "Coming up",
    finished: "Finished",
    no_workshops: "You are not a trainer of any workshop.",
    enrolled_count: |n| format!("{n} enrolled"),
    day: "Day",
    people: "People",
    no_people: "Nobody is enrolled yet.",
    present: "Present",
    late: "Late",
    absent: "Absent",
    excused: "Excused",
    scores_title: "Assessment scores (out of 100)",
    pre_test: "Pre-test",
    post_test: "Post-test",
    practical: "Practical",
    save_scores: "Save scores",
    send_now: "Send now",
    sync_title: "On this phone",
    waiting: "Waiting to send",
    synced: "Sent",
    kept_by_server: "Kept by the server (a newer mark)",
    refused: "Refused by the server",
    offline: "Offline: marks stay on this phone until the connection returns.",
    online: "Online: marks are sent as you make them.",
    signed_out_waiting: "Your session has ended: sign in again to send the waiting marks.",
    completed_note: "This workshop is completed; only an administrator may correct its register.",
    future_day: "This day has not come yet.",
    needs_script: "Marking needs JavaScript; the register below is read-only without it.",
};

/// The words for a request (English until a translation is added).
pub fn strings() -> &'static Strings {
    &EN
}

#[cfg(test)]
mod tests {
    /// Every template, as compiled in.
    const TEMPLATES: [(&str, &str); 11] = [
        ("base", include_str!("../../assets/web/templates/base.html")),
        (
            "error",
            include_str!("../../assets/web/templates/error.html"),
        ),
        (
            "verify",
            include_str!("../../assets/web/templates/verify.html"),
        ),
        (
            "verify_unknown",
            include_str!("../../assets/web/templates/verify_unknown.html"),
        ),
        (
            "portal_sign_in",
            include_str!("../../assets/web/templates/portal_sign_in.html"),
        ),
        (
            "portal_link_sent",
            include_str!("../../assets/web/templates/portal_link_sent.html"),
        ),
        (
            "portal_link_invalid",
            include_str!("../../assets/web/templates/portal_link_invalid.html"),
        ),
        (
            "portal_home",
            include_str!("../../assets/web/templates/portal_home.html"),
        ),
        (
            "register_sign_in",
            include_str!("../../assets/web/templates/register_sign_in.html"),
        ),
        (
            "register_workshops",
            include_str!("../../assets/web/templates/register_workshops.html"),
        ),
        (
            "register_workshop",
            include_str!("../../assets/web/templates/register_workshop.html"),
        ),
    ];

    /// Removes everything between `open` and `close`.
    fn strip(text: &str, open: &str, close: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            out.push_str(&rest[..start]);
            rest = rest[start..]
                .find(close)
                .map_or("", |end| &rest[start + end + close.len()..]);
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn templates_hold_no_words_of_their_own() {
        for (name, template) in TEMPLATES {
            // Attributes the layout puts on <main> (data for the script, not words).
            let text = strip(template, "{% block main_attrs %}", "{% endblock %}");
            let text = strip(&text, "{%", "%}");
            let text = strip(&text, "{{", "}}");
            let text = strip(&text, "<", ">");
            let words: Vec<&str> = text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .collect();
            assert!(
                words.is_empty(),
                "template {name} has words outside i18n.rs: {words:?}"
            );
        }
    }

    #[test]
    fn the_register_script_holds_no_words_of_its_own() {
        let script = include_str!("../../assets/web/static/register.js");
        for word in ["Present", "Absent", "Waiting", "Offline", "Kept", "Sent"] {
            assert!(
                !script.contains(&format!("'{word}")) && !script.contains(&format!("\"{word}")),
                "register.js spells out {word:?}; it belongs in i18n.rs"
            );
        }
    }
}
