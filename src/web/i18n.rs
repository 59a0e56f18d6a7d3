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
    /// The pages' `<meta name="description">`.
    pub meta_description: &'static str,

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
    /// A reissued certificate's old code: "REPLACED".
    pub replaced: &'static str,
    pub replaced_explainer: &'static str,
    pub replaced_on: &'static str,
    /// The link to the certificate that replaced it.
    pub see_replacement: &'static str,
    pub revocation_reason: &'static str,
    pub add_to_linkedin: &'static str,
    pub download_badge: &'static str,

    // Errors
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_register: &'static str,
    pub form_expired_title: &'static str,
    pub form_expired_text: &'static str,
    pub too_many_title: &'static str,
    too_many_text: fn(u64) -> String,
    pub invalid_title: &'static str,
    pub busy_title: &'static str,
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
    /// An enrolment of a finished workshop.
    pub status_completed: &'static str,
    pub certificate_earned: &'static str,
    /// "No certificate:" before the reasons.
    pub no_certificate: &'static str,
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
    /// Where marks wait, and for how long.
    pub waiting_kept: &'static str,
    /// Marks everyone not yet marked on the chosen day present.
    pub mark_all_present: &'static str,
    pub dismiss: &'static str,
    /// "… more under “On this phone”" (`{n}` is the number).
    pub more_kept: &'static str,
    /// The register was wiped after sign-out (`{n}` marks wait).
    pub signed_out_cleared: &'static str,
    pub discard_marks: &'static str,
    /// Asked on sign-out with marks not sent (`{n}`).
    pub unsent_on_sign_out: &'static str,
    pub stay_and_send: &'static str,
    pub sign_out_keep: &'static str,
    pub sign_out_discard: &'static str,
    pub discarded: &'static str,
    pub completed_note: &'static str,
    pub future_day: &'static str,
    pub needs_script: &'static str,

    /// The administrator's console.
    pub admin: &'static AdminStrings,
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
    pub dismiss: &'static str,
    pub more_kept: &'static str,
    pub signed_out_cleared: &'static str,
    pub discard_marks: &'static str,
    pub unsent_on_sign_out: &'static str,
    pub stay_and_send: &'static str,
    pub sign_out_keep: &'static str,
    pub sign_out_discard: &'static str,
    pub discarded: &'static str,
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
            dismiss: self.dismiss,
            more_kept: self.more_kept,
            signed_out_cleared: self.signed_out_cleared,
            discard_marks: self.discard_marks,
            unsent_on_sign_out: self.unsent_on_sign_out,
            stay_and_send: self.stay_and_send,
            sign_out_keep: self.sign_out_keep,
            sign_out_discard: self.sign_out_discard,
            discarded: self.discarded,
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
    meta_description: "IWSD's training records: check a certificate, see your workshops and certificates, keep a workshop's register offline.",

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
    replaced: "REPLACED",
    replaced_explainer: "IWSD reissued this certificate to correct it; the new certificate is the one that stands.",
    replaced_on: "Replaced by",
    see_replacement: "Check the certificate that replaced it",
    revocation_reason: "Reason",
    add_to_linkedin: "Add to LinkedIn",
    download_badge: "Digital badge (PNG)",

    not_found_title: "Not found",
    not_found_text: "There is nothing here, or it is not yours to see.",
    forbidden_title: "Not yours to see",
    forbidden_register: "This register belongs to another workshop's trainers.",
    form_expired_title: "Please try again",
    form_expired_text: "This form could not be accepted (it may have expired). Go back, reload the page and send it again.",
    too_many_title: "Too many attempts",
    too_many_text: |seconds| format!("Please wait {seconds} seconds and try again."),
    invalid_title: "Please check what you entered",
    busy_title: "Busy right now",
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
    status_completed: "Completed",
    certificate_earned: "Certificate earned.",
    no_certificate: "No certificate:",
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
    waiting_kept: "Marks waiting to send stay on this phone until the server has them, or until you discard them.",
    mark_all_present: "Mark everyone not yet marked present",
    dismiss: "Dismiss",
    more_kept: "and {n} more under “On this phone” below",
    signed_out_cleared: "You are signed out, so the register was removed from this phone. {n} marks not yet sent stay here until you sign in again and they are sent, or until you discard them.",
    discard_marks: "Discard the marks not sent",
    unsent_on_sign_out: "{n} marks have not been sent yet.",
    stay_and_send: "Stay and send them",
    sign_out_keep: "Sign out, keep them on this phone",
    sign_out_discard: "Discard them and sign out",
    discarded: "Discarded.",
    completed_note: "This workshop is completed; only an administrator may correct its register.",
    future_day: "This day has not come yet.",
    needs_script: "Marking needs JavaScript; the register below is read-only without it.",

    admin: &ADMIN_EN,
};

/// The words for a request (English until a translation is added).
pub fn strings() -> &'static Strings {
    &EN
}

/// The words of the administrator's console (`/admin`).
#[derive(Debug)]
pub struct AdminStrings {
    pub console: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub forbidden: &'static str,
    pub nav_dashboard: &'static str,
    pub nav_workshops: &'static str,
    pub nav_participants: &'static str,
    pub nav_certificates: &'static str,
    pub nav_reports: &'static str,
    pub nav_outbox: &'static str,
    /// The SMS outbox page (title and menu entry).
    pub nav_sms: &'static str,
    pub nav_webhooks: &'static str,
    pub nav_audit: &'static str,
    pub nav_users: &'static str,
    pub nav_applications: &'static str,

    // Forms and lists
    pub whole_number: &'static str,
    pub date_format: &'static str,
    pub required: &'static str,
    pub choose: &'static str,
    pub choose_one: &'static str,
    pub birth_year_hint: &'static str,
    pub privacy_notice_title: &'static str,
    pub consent_on_paper: &'static str,
    pub all_six_or_none: &'static str,
    pub any: &'static str,
    pub none: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub filter: &'static str,
    pub search: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    page_of: fn(u64, u64, u64) -> String,
    page_number: fn(u64) -> String,
    showing_of: fn(usize, u64) -> String,
    pub unknown_action: &'static str,
    pub save: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub created: &'static str,

    // Workshops
    pub start: &'static str,
    pub course: &'static str,
    pub level: &'static str,
    pub level_tot: &'static str,
    pub level_cascade: &'static str,
    pub level_community: &'static str,
    pub venue: &'static str,
    pub organisation: &'static str,
    pub ward: &'static str,
    pub status: &'static str,
    pub status_scheduled: &'static str,
    pub status_in_progress: &'static str,
    pub status_completed: &'static str,
    pub status_cancelled: &'static str,
    pub seats: &'static str,
    pub seats_taken: &'static str,
    pub seats_left: &'static str,
    seats_summary: fn(i32, i32, i32) -> String,
    on_waitlist: fn(i32) -> String,
    pub waitlist: &'static str,
    pub trainers: &'static str,
    pub no_trainers: &'static str,
    pub capacity: &'static str,
    /// The schedule form's box that lists a workshop in the public catalogue.
    pub public_listing: &'static str,
    pub start_date: &'static str,
    pub starting_from: &'static str,
    pub starting_until: &'static str,
    pub parent_workshop: &'static str,
    pub parent_hint: &'static str,
    pub parent_link: &'static str,
    pub schedule_workshop: &'static str,
    pub preview_days: &'static str,
    pub save_workshop: &'static str,
    pub the_days: &'static str,
    pub no_days: &'static str,
    pub no_workshops_found: &'static str,
    pub start_workshop: &'static str,
    pub complete_workshop: &'static str,
    pub cancel_workshop: &'static str,
    pub cascade_tree: &'static str,
    pub open_register: &'static str,
    pub download_register: &'static str,
    pub download_roster: &'static str,
    pub download_zip: &'static str,
    pub history: &'static str,
    pub enrolments: &'static str,
    pub find_person: &'static str,
    pub nobody_found: &'static str,
    pub enrol: &'static str,
    pub choose_person: &'static str,
    /// Beside a search result already in the workshop.
    pub already_enrolled: &'static str,
    pub already_waitlisted: &'static str,
    /// "… is already in this workshop" (after the name).
    pub already_in_workshop: &'static str,

    // Confirmations of destructive actions.
    pub keep_as_is: &'static str,
    /// The heading of a table's column of buttons (read by screen readers only).
    pub actions_column: &'static str,
    pub venue_required: &'static str,
    /// The same file sent again.
    pub import_again: &'static str,
    /// (name, id, why).
    pub already_on_record: fn(&str, i64, &str) -> String,
    /// (line, why).
    pub same_as_line: fn(u64, &str) -> String,
    pub same_phone: &'static str,
    pub same_name_and_organisation: &'static str,
    pub confirm_title: &'static str,
    pub confirm_withdraw: fn(&str) -> String,
    /// (name of the first on the waitlist, whether they have an address).
    pub withdraw_promotes: fn(&str, bool) -> String,
    pub withdraw_seat_stays_free: &'static str,
    pub withdraw_from_waitlist: &'static str,
    pub confirm_cancel: &'static str,
    /// (mailed, without an address).
    pub cancel_mails: fn(usize, usize) -> String,
    pub cancel_final: &'static str,
    /// (number, holder).
    pub confirm_revoke_certificate: fn(&str, &str) -> String,
    pub revoke_certificate_effects: fn(&str) -> String,
    /// (name, email).
    pub confirm_deactivate: fn(&str, &str) -> String,
    pub deactivate_effects: &'static str,
    pub confirm_revoke_key: fn(&str) -> String,
    pub revoke_key_effects: &'static str,
    pub enrolled: &'static str,
    pub waitlisted: &'static str,
    pub withdrawn: &'static str,
    pub nobody_waiting: &'static str,
    pub withdraw: &'static str,
    pub results: &'static str,
    pub eligible: &'static str,
    pub days_attended: &'static str,
    pub reasons: &'static str,
    pub issue_certificates: &'static str,

    // Dashboard
    month_title: fn(chrono::NaiveDate) -> String,
    pub no_workshops_month: &'static str,
    pub ended_without_certificates: &'static str,
    pub none_ended: &'static str,
    pub failed_mail: &'static str,
    pub no_failed_mail: &'static str,
    pub attempts: &'static str,
    expiring_trainers: fn(u32) -> String,
    pub no_expiring: &'static str,
    pub valid_until: &'static str,

    // Participants
    pub new_participant: &'static str,
    pub search_people: &'static str,
    pub full_name: &'static str,
    pub phone: &'static str,
    /// The participant's language (the field's label) and the three choices.
    pub language: &'static str,
    pub languages: [(&'static str, &'static str); 3],
    /// How the participant is reached (the field's label), its blank choice and the choices.
    pub contact_by: &'static str,
    pub contact_by_default: &'static str,
    pub contact_by_choices: [(&'static str, &'static str); 3],
    pub gender: &'static str,
    pub target_group: &'static str,
    pub national_id: &'static str,
    pub birth_year: &'static str,
    /// The legend over the Washington Group questions.
    pub disability_legend: &'static str,
    /// The blank choice of a Washington Group question.
    pub not_asked: &'static str,
    /// The six domains (column suffix, question as the form shows it).
    pub wg_domains: [(&'static str, &'static str); 6],
    /// The answers (stored value, words).
    pub difficulties: [(&'static str, &'static str); 5],
    workshop_number: fn(i64) -> String,
    pub import_title: &'static str,
    pub import_hint: &'static str,
    pub csv_label: &'static str,
    pub import_button: &'static str,
    pub import_empty: &'static str,
    rows_kept: fn(usize) -> String,
    rows_refused: fn(usize) -> String,
    pub rows_not_imported: &'static str,
    pub rows_imported: &'static str,
    pub line: &'static str,
    pub row_as_sent: &'static str,
    pub problem: &'static str,
    /// Target groups by key, in words.
    pub target_groups: [(&'static str, &'static str); 11],
    /// Genders by key, in words.
    pub genders: [(&'static str, &'static str); 4],

    // Certificates
    pub search_certificates: &'static str,
    pub no_certificates_found: &'static str,
    pub download_certificates_csv: &'static str,
    pub email_again: &'static str,
    pub revoke_reason: &'static str,
    pub revoke: &'static str,
    pub reissue_title: &'static str,
    pub reissue_hint: &'static str,
    pub reissue_reason: &'static str,
    pub reissue_full_name: &'static str,
    pub reissue: &'static str,
    pub reissue_all_hint: &'static str,
    pub reissue_all: &'static str,
    pub replaced_by_label: &'static str,
    pub replaces_label: &'static str,

    // Reports
    pub certified: &'static str,
    pub reached: &'static str,
    pub people_distinct: &'static str,
    pub outreach_sessions: &'static str,
    pub certified_trainers: &'static str,
    pub reach_per_trainer: &'static str,
    pub reach_per_trainer_formula: &'static str,

    // Erasure
    pub erase_title: &'static str,
    pub erase_hint: &'static str,
    pub erase_reason: &'static str,
    pub erase: &'static str,
    pub erased_record: &'static str,
    pub confirm_erase: fn(&str) -> String,
    pub erase_effects: [&'static str; 4],
    pub erase_reason_recorded: fn(&str) -> String,
    pub chart_by_course: &'static str,
    pub chart_by_level: &'static str,
    pub chart_by_month: &'static str,
    pub chart_by_gender: &'static str,
    pub chart_by_target_group: &'static str,
    pub chart_by_organisation: &'static str,
    pub chart_by_province: &'static str,
    pub chart_by_age_band: &'static str,
    pub chart_by_disability: &'static str,
    pub no_figures: &'static str,
    pub the_figures: &'static str,
    pub download_csv: &'static str,
    cascade_of: fn(i64) -> String,
    pub back_to_workshop: &'static str,

    // Outbox and audit log
    pub kind: &'static str,
    pub recipient: &'static str,
    pub last_error: &'static str,
    pub send_again: &'static str,
    pub no_mail: &'static str,
    /// The SMS outbox: nothing listed, the text's and the segments' column headings, and
    /// the words of each status and kind.
    pub no_sms: &'static str,
    pub sms_text: &'static str,
    pub sms_segments: &'static str,
    pub sms_words: [(&'static str, &'static str); 13],
    /// Mail statuses and kinds by key, in words.
    pub mail_words: [(&'static str, &'static str); 10],
    pub entity: &'static str,
    pub entity_number: &'static str,
    pub no_entries: &'static str,
    pub before_after: &'static str,

    // Users and API keys
    pub users: &'static str,
    pub role: &'static str,
    /// Roles by key, in words.
    pub roles: [(&'static str, &'static str); 3],
    pub active: &'static str,
    pub deactivated: &'static str,
    pub deactivate: &'static str,
    pub reactivate: &'static str,
    pub new_user: &'static str,
    pub create_user: &'static str,
    pub api_keys: &'static str,
    pub no_keys: &'static str,
    pub scopes: &'static str,
    pub key_start: &'static str,
    pub revoked_key: &'static str,
    pub new_key: &'static str,
    pub create_key: &'static str,
    pub key_shown_once: &'static str,

    pub webhooks: &'static str,
    pub no_webhooks: &'static str,
    pub webhook_url: &'static str,
    pub webhook_events: &'static str,
    pub webhook_description: &'static str,
    pub new_webhook: &'static str,
    pub create_webhook: &'static str,
    pub secret_shown_once: &'static str,
    pub webhook_off: &'static str,
    pub turn_off: &'static str,
    pub turn_on: &'static str,
    pub deliveries_of: &'static str,
    pub no_deliveries: &'static str,
    pub event: &'static str,
    pub receiver_answer: &'static str,
    pub retry: &'static str,
    /// Where a delivery stands (`queued`, `delivered`, `failed`).
    pub delivery_words: [(&'static str, &'static str); 3],

    // Entering a paper evaluation (the questions are the paper form's own)
    /// The page's title and the workshop page's link to it.
    pub paper_evaluation: &'static str,
    pub paper_evaluation_intro: &'static str,
    /// The link to the printable form.
    pub paper_evaluation_print: &'static str,
    /// The label of the choice of participant.
    pub paper_evaluation_whose: &'static str,
    /// A topic left blank on paper.
    pub paper_evaluation_blank: &'static str,
    pub paper_evaluation_save: &'static str,

    // What an action did
    notice: fn(&str, u64) -> Option<String>,
}

impl AdminStrings {
    /// "Page 2 of 7 (312 in all)".
    pub fn page_of(&self, page: &u64, pages: &u64, total: &u64) -> String {
        (self.page_of)(*page, *pages, *total)
    }

    /// "Page 2".
    pub fn page_number(&self, page: &u64) -> String {
        (self.page_number)(*page)
    }

    /// "Showing 10 of 42".
    pub fn showing_of(&self, shown: usize, total: &u64) -> String {
        (self.showing_of)(shown, *total)
    }

    /// "12 of 35 taken, 23 left".
    pub fn seats_summary(&self, taken: &i32, capacity: &i32, left: &i32) -> String {
        (self.seats_summary)(*taken, *capacity, *left)
    }

    /// "3 on the waitlist".
    pub fn on_waitlist(&self, count: &i32) -> String {
        (self.on_waitlist)(*count)
    }

    /// "November 2026".
    pub fn month_title(&self, first_day: chrono::NaiveDate) -> String {
        (self.month_title)(first_day)
    }

    /// "Trainers whose ToT certification runs out within 90 days".
    pub fn expiring_trainers(&self, days: &u32) -> String {
        (self.expiring_trainers)(*days)
    }

    /// "Workshop 12".
    pub fn workshop_number(&self, id: &i64) -> String {
        (self.workshop_number)(*id)
    }

    /// "3 rows imported".
    pub fn rows_kept(&self, n: usize) -> String {
        (self.rows_kept)(n)
    }

    /// "1 row refused".
    pub fn rows_refused(&self, n: usize) -> String {
        (self.rows_refused)(n)
    }

    /// "The cascade of workshop 1".
    pub fn cascade_of(&self, id: i64) -> String {
        (self.cascade_of)(id)
    }

    /// What the action named `key` did (`n`: a count or position), or nothing for an
    /// unknown key.
    pub fn notice(&self, key: &str, n: u64) -> Option<String> {
        (self.notice)(key, n)
    }
}

/// The console in English.
pub static ADMIN_EN: AdminStrings = AdminStrings {
    console: "Administrator's console",
    sign_in_title: "Administrator's console",
    sign_in_intro: "Administrators: sign in with your email address and password.",
    forbidden: "The administrator's console is for IWSD administrators only.",
    nav_dashboard: "Dashboard",
    nav_workshops: "Workshops",
    nav_participants: "Participants",
    nav_certificates: "Certificates",
    nav_reports: "Reports",
    nav_outbox: "Outbox",
    nav_sms: "SMS",
    nav_webhooks: "Webhooks",
    nav_audit: "Audit log",
    nav_users: "Users and keys",
    nav_applications: "Applications",

    whole_number: "must be a whole number",
    date_format: "must be a date (YYYY-MM-DD)",
    required: "is required",
    choose: "Choose…",
    choose_one: "choose one",
    birth_year_hint: "must be a year such as 1985",
    privacy_notice_title: "The privacy notice people consent to",
    consent_on_paper: "consent signed on the form",
    all_six_or_none: "answer all six questions, or none if they were not asked",
    any: "Any",
    none: "None",
    yes: "Yes",
    no: "No",
    filter: "Show",
    search: "Search",
    previous_page: "Previous",
    next_page: "Next",
    page_of: |page, pages, total| format!("Page {page} of {pages} ({total} in all)"),
    page_number: |page| format!("Page {page}"),
    showing_of: |shown, total| format!("Showing {shown} of {total}"),
    unknown_action: "This action is not known; reload the page and try again.",
    save: "Save",
    name: "Name",
    email: "Email",
    created: "Created",

    start: "Start",
    course: "Course",
    level: "Level",
    level_tot: "ToT",
    level_cascade: "Cascade",
    level_community: "Community",
    venue: "Venue",
    organisation: "Organisation",
    ward: "Ward",
    status: "Status",
    status_scheduled: "Scheduled",
    status_in_progress: "In progress",
    status_completed: "Completed",
    status_cancelled: "Cancelled",
    seats: "Seats",
    seats_taken: "Taken",
    seats_left: "Left",
    seats_summary: |taken, capacity, left| format!("{taken} of {capacity} taken, {left} left"),
    on_waitlist: |n| format!("{n} on the waitlist"),
    waitlist: "Waitlist",
    trainers: "Trainers",
    no_trainers: "There are no trainer accounts yet.",
    capacity: "Seats (1–35)",
    public_listing: "List in the public catalogue, where people can apply for a place",
    start_date: "First day",
    starting_from: "Starting from",
    starting_until: "Starting until",
    parent_workshop: "Parent workshop (number)",
    parent_link: "its parent workshop",
    parent_hint: "For a cascade workshop: the completed ToT workshop it follows; for a community workshop: the completed cascade workshop. Leave empty for a ToT workshop.",
    schedule_workshop: "Schedule a workshop",
    preview_days: "Show the days",
    save_workshop: "Schedule it",
    the_days: "The days",
    no_days: "No days can be laid out from this first day.",
    no_workshops_found: "No workshops match.",
    start_workshop: "Start",
    complete_workshop: "Complete",
    cancel_workshop: "Cancel the workshop",
    cascade_tree: "Cascade tree",
    open_register: "Attendance register",
    download_register: "Register (CSV)",
    download_roster: "Roster (CSV)",
    download_zip: "Certificates (ZIP)",
    history: "History",
    enrolments: "People",
    find_person: "Find a person to enrol (name, or email address with @)",
    nobody_found: "Nobody found.",
    enrol: "Enrol",
    choose_person: "Choose a person to enrol.",
    already_enrolled: "Already enrolled",
    already_waitlisted: "Already on the waitlist",
    already_in_workshop: "is already in this workshop (enrolled or on the waitlist): nothing was changed.",
    keep_as_is: "No, keep it as it is",
    actions_column: "Actions",
    venue_required: "Enter where the workshop takes place.",
    import_again: "This file was imported from this browser within the last hour: nothing was imported again. To add more people, paste only the new rows.",
    already_on_record: |name, id, why| {
        format!("already on record as {name} (participant {id}): {why}")
    },
    same_as_line: |line, why| format!("the same person as line {line}: {why}"),
    same_phone: "the same phone number",
    same_name_and_organisation: "the same name in the same organisation",
    confirm_title: "Please confirm",
    confirm_withdraw: |name| format!("Withdraw {name} from this workshop?"),
    withdraw_promotes: |name, mailed| {
        if mailed {
            format!("{name}, first on the waitlist, takes the seat and is emailed to say so.")
        } else {
            format!(
                "{name}, first on the waitlist, takes the seat (no email address, so nobody is mailed)."
            )
        }
    },
    withdraw_seat_stays_free: "Nobody is on the waitlist: the seat stays free. Nobody is mailed.",
    withdraw_from_waitlist: "They leave the waitlist and everyone behind them moves up one place. Nobody is mailed.",
    confirm_cancel: "Cancel this workshop?",
    cancel_mails: |mailed, without| {
        let mut text = format!(
            "{mailed} people enrolled or on the waitlist are emailed that it is cancelled."
        );
        if without > 0 {
            text.push_str(&format!(
                " {without} have no email address and are not told by mail."
            ));
        }
        text
    },
    cancel_final: "A cancelled workshop cannot be started again; its enrolments become final.",
    confirm_revoke_certificate: |number, holder| {
        format!("Revoke certificate {number} of {holder}?")
    },
    revoke_certificate_effects: |reason| {
        format!(
            "From now on its check page and its digital credential say it is revoked, with the reason “{reason}”. This cannot be undone."
        )
    },
    confirm_deactivate: |name, email| format!("Deactivate {name} ({email})?"),
    deactivate_effects: "Every session of theirs ends at once, and they cannot sign in until they are reactivated.",
    confirm_revoke_key: |name| format!("Revoke the API key “{name}”?"),
    revoke_key_effects: "Anything using it is refused from now on; a revoked key cannot be brought back.",
    enrolled: "Enrolled",
    waitlisted: "On the waitlist",
    withdrawn: "Withdrawn",
    nobody_waiting: "Nobody is waiting.",
    withdraw: "Withdraw",
    results: "Results",
    eligible: "Certificate earned",
    days_attended: "Days attended",
    reasons: "Why not",
    issue_certificates: "Issue certificates",

    month_title: |first| first.format("%B %Y").to_string(),
    no_workshops_month: "No workshops this month.",
    ended_without_certificates: "Completed workshops without certificates",
    none_ended: "Every completed workshop has its certificates.",
    failed_mail: "Mail that failed",
    no_failed_mail: "No mail has failed.",
    attempts: "attempts",
    expiring_trainers: |days| {
        format!("Trainers whose ToT certification runs out within {days} days")
    },
    no_expiring: "No trainer's certification runs out soon.",
    valid_until: "valid until",

    new_participant: "Record a participant",
    search_people: "Search by name, or by email address (with @)",
    full_name: "Full name (as it is to be printed)",
    phone: "Phone",
    language: "Language",
    languages: [("en", "English"), ("sn", "Shona"), ("nd", "Ndebele")],
    contact_by: "Reach by",
    contact_by_default: "Email if recorded, else SMS",
    contact_by_choices: [
        ("email", "Email"),
        ("sms", "SMS"),
        ("both", "Email and SMS"),
    ],
    gender: "Gender",
    target_group: "Target group",
    national_id: "National ID number",
    birth_year: "Year of birth",
    disability_legend: "Washington Group questions (all six, or none if not asked)",
    not_asked: "Not asked",
    wg_domains: [
        ("seeing", "Difficulty seeing, even if wearing glasses"),
        ("hearing", "Difficulty hearing, even if using a hearing aid"),
        ("walking", "Difficulty walking or climbing steps"),
        ("cognition", "Difficulty remembering or concentrating"),
        (
            "self_care",
            "Difficulty with self-care, such as washing all over or dressing",
        ),
        (
            "communication",
            "Difficulty communicating in the usual language",
        ),
    ],
    difficulties: [
        ("no_difficulty", "No difficulty"),
        ("some_difficulty", "Some difficulty"),
        ("a_lot_of_difficulty", "A lot of difficulty"),
        ("cannot_do_at_all", "Cannot do at all"),
        ("declined", "Declined to answer"),
    ],
    workshop_number: |id| format!("Workshop {id}"),
    import_title: "Import participants from CSV",
    import_hint: "Paste the CSV with a header row. Columns: full_name, target_group (both required), email, phone, gender, organisation_id, ward, national_id, birth_year, disability_seeing, disability_hearing, disability_walking, disability_cognition, disability_self_care, disability_communication (the six answers all or none). Valid rows are kept; refused rows are listed with their line.",
    csv_label: "CSV",
    import_button: "Import",
    import_empty: "The CSV has a header but no rows.",
    rows_kept: |n| {
        if n == 1 {
            "1 row imported".to_owned()
        } else {
            format!("{n} rows imported")
        }
    },
    rows_refused: |n| {
        if n == 1 {
            "1 row refused".to_owned()
        } else {
            format!("{n} rows refused")
        }
    },
    rows_not_imported: "Rows not imported",
    rows_imported: "Rows imported",
    line: "Line",
    row_as_sent: "The row as sent",
    problem: "What is wrong",
    target_groups: [
        ("water_supply", "Water supply staff"),
        ("wastewater", "Wastewater staff"),
        ("solid_waste", "Solid waste staff"),
        ("social_services", "Social services staff"),
        ("revenue", "Revenue staff"),
        ("management", "Management"),
        ("community_champion", "Community champion"),
        ("councillor", "Councillor"),
        ("ratepayer", "Ratepayer"),
        ("civic_society", "Civic society"),
        ("other", "Other"),
    ],
    genders: [
        ("female", "Female"),
        ("male", "Male"),
        ("other", "Other"),
        ("undisclosed", "Undisclosed"),
    ],

    search_certificates: "Search by certificate number or holder's name",
    no_certificates_found: "No certificates match.",
    download_certificates_csv: "All certificates (CSV)",
    email_again: "Email it again",
    revoke_reason: "Reason for revoking (shown on the check page)",
    revoke: "Revoke",
    reissue_title: "Correct and reissue",
    reissue_hint: "A new certificate with a new number replaces this one; this one stays as issued and its check page says it was replaced. The holder is emailed the new one.",
    reissue_reason: "What was wrong (the holder is told)",
    reissue_full_name: "Corrected name (leave empty to keep the participant's name)",
    reissue: "Reissue",
    reissue_all_hint: "After correcting the workshop's dates or venue, or a change of signatory: every valid certificate of this workshop is replaced by a new one.",
    reissue_all: "Reissue all certificates",
    replaced_by_label: "Replaced by",
    replaces_label: "Replaces",

    certified: "Certified",
    reached: "People reached",
    people_distinct: "People (each counted once)",
    outreach_sessions: "Outreach meetings",
    certified_trainers: "Certified trainers (ToT)",
    reach_per_trainer: "Reached per certified trainer",
    reach_per_trainer_formula: "Reached per certified trainer = (seats in cascade and community workshops + people reached by outreach) ÷ certificates earned in ToT workshops.",

    erase_title: "Erase personal data",
    erase_hint: "At the person's request (their right to erasure): their name, contact details, national ID, gender, birth year and disability answers are removed for good. Reports keep counting them as before.",
    erase_reason: "Reason for erasing (kept in the audit log)",
    erase: "Erase personal data",
    erased_record: "This person's personal data was erased: the record stays only as the reports count it.",
    confirm_erase: |name| format!("Erase all personal data of {name}?"),
    erase_effects: [
        "Their name becomes “Erased participant #…”; email, phone, national ID, gender, birth year and disability answers are removed.",
        "Their sign-in links and sessions end, and mail and SMS held for them are blanked and never sent.",
        "Their certificates are withdrawn: the check page says only “withdrawn at the holder's request”, and the PDFs are deleted.",
        "Every report keeps its figures. This cannot be undone.",
    ],
    erase_reason_recorded: |reason| {
        format!("The audit log records who erased the record and why: “{reason}”.")
    },
    chart_by_course: "Enrolled and certified by course",
    chart_by_level: "Enrolled and certified by level",
    chart_by_month: "By month of the workshop's start",
    chart_by_gender: "Enrolled and certified by gender",
    chart_by_target_group: "Enrolled and certified by target group",
    chart_by_organisation: "Enrolled and certified by organisation",
    chart_by_province: "Enrolled and certified by province",
    chart_by_age_band: "Enrolled and certified by age band",
    chart_by_disability: "Enrolled and certified by disability (Washington Group)",
    no_figures: "Nothing to show for this selection.",
    the_figures: "The figures",
    download_csv: "Download the figures (CSV)",
    cascade_of: |id| format!("The cascade of workshop {id}"),
    back_to_workshop: "Back to the workshop",

    kind: "Kind",
    recipient: "To",
    last_error: "Last error",
    send_again: "Send again",
    no_mail: "No messages match.",
    no_sms: "No SMS match.",
    sms_text: "Text",
    sms_segments: "Segments",
    sms_words: [
        ("queued", "Queued"),
        ("sent", "Sent"),
        ("failed", "Failed"),
        ("sign_in_code", "Sign-in code"),
        ("enrolment_confirmation", "Seat confirmed"),
        ("waitlist", "Waitlist place"),
        ("promotion", "Seat came free"),
        ("reminder", "Reminder"),
        ("cancellation", "Cancellation"),
        ("evaluation_request", "Evaluation request"),
        ("certificate", "Certificate ready"),
        ("application_accepted", "Application accepted"),
        ("application_declined", "Application declined"),
    ],
    mail_words: [
        ("queued", "Waiting to be sent"),
        ("sent", "Sent"),
        ("failed", "Failed"),
        ("certificate", "Certificate"),
        ("enrolment_confirmation", "Enrolment confirmation"),
        ("waitlist_notice", "Waitlist notice"),
        ("promotion", "Seat from the waitlist"),
        ("reminder", "Reminder"),
        ("cancellation", "Cancellation"),
        ("evaluation_request", "Evaluation request"),
    ],
    entity: "Kind of record (e.g. workshop, participant, certificate)",
    entity_number: "Record number",
    no_entries: "No changes recorded for this selection.",
    before_after: "Before and after",

    users: "Users",
    role: "Role",
    roles: [
        ("admin", "Administrator"),
        ("trainer", "Trainer"),
        ("participant", "Participant"),
    ],
    active: "Active",
    deactivated: "Deactivated",
    deactivate: "Deactivate",
    reactivate: "Reactivate",
    new_user: "New user",
    create_user: "Create the user",
    api_keys: "API keys",
    no_keys: "No API keys yet.",
    scopes: "Scopes",
    key_start: "Starts with",
    revoked_key: "Revoked",
    new_key: "New API key",
    create_key: "Create the key",
    webhooks: "Webhooks",
    no_webhooks: "No webhooks yet: other systems hear about changes only by asking.",
    webhook_url: "Receiver address (https://)",
    webhook_events: "Events to send",
    webhook_description: "What it is for",
    new_webhook: "New webhook",
    create_webhook: "Create the webhook",
    secret_shown_once: "The signing secret, shown this once: give it to the receiving system now.",
    webhook_off: "Turned off",
    turn_off: "Turn off",
    turn_on: "Turn on",
    deliveries_of: "Deliveries",
    no_deliveries: "Nothing delivered yet.",
    event: "Event",
    receiver_answer: "Receiver's answer",
    retry: "Send again",
    delivery_words: [
        ("queued", "Waiting to be sent"),
        ("delivered", "Delivered"),
        ("failed", "Failed"),
    ],
    key_shown_once: "The new key is shown this once; copy it now. Only its fingerprint is kept.",

    paper_evaluation: "Enter a paper evaluation",
    paper_evaluation_intro: "Type in one participant's paper form as they filled it in: the questions are the printed form's, in its order. A topic they left blank stays blank; so does a comment.",
    paper_evaluation_print: "Print the paper form (PDF)",
    paper_evaluation_whose: "Whose form",
    paper_evaluation_blank: "Blank",
    paper_evaluation_save: "Save this evaluation",

    notice: |key, n| {
        Some(match key {
            "scheduled" => "The workshop is scheduled.".to_owned(),
            "started" => "The workshop has started.".to_owned(),
            "completed" => "The workshop is completed.".to_owned(),
            "cancelled" => {
                "The workshop is cancelled; everyone enrolled is told by email.".to_owned()
            }
            "enrolled" => "Enrolled: the person has a seat.".to_owned(),
            "waitlisted" => {
                format!("The workshop is full: the person is number {n} on the waitlist.")
            }
            "withdrawn" => {
                "Withdrawn; the first person on the waitlist, if any, has the seat.".to_owned()
            }
            "issued" => format!("{n} certificates issued."),
            "saved" => "Saved.".to_owned(),
            "revoked" => "The certificate is revoked; its check page says so.".to_owned(),
            "erased" => {
                "The personal data is erased; the reports count the person as before.".to_owned()
            }
            "reissued" => {
                "Reissued: this is the new certificate; the old one shows as replaced.".to_owned()
            }
            "reissued_all" => format!("Certificates reissued: {n}. The old ones show as replaced."),
            "emailed" => "A copy is on its way to the holder.".to_owned(),
            "requeued" => "The message is queued to be sent again.".to_owned(),
            "user_created" => "The user is created.".to_owned(),
            "deactivated" => "The account is deactivated; its sessions have ended.".to_owned(),
            "reactivated" => "The account is active again.".to_owned(),
            "key_created" => "The API key is created.".to_owned(),
            "key_revoked" => "The API key is revoked.".to_owned(),
            "webhook_on" => "The webhook is on; deliveries that waited go out now.".to_owned(),
            "webhook_off" => "The webhook is off: nothing is sent to it.".to_owned(),
            "delivery_requeued" => "The delivery is queued to be sent again.".to_owned(),
            "evaluation_entered" => {
                "The evaluation is saved; the next form can be entered below.".to_owned()
            }
            _ => return None,
        })
    },
};

/// The console's words for reviewing applications for public workshops (`/admin/applications`
/// and the dashboard's count).
#[derive(Debug)]
pub struct ApplicationWords {
    pub title: &'static str,
    pub awaiting_review: &'static str,
    pub none_awaiting: &'static str,
    pub review: &'static str,
    pub workshop_number: &'static str,
    pub any_status: &'static str,
    pub no_applications: &'static str,
    pub reference: &'static str,
    pub contact: &'static str,
    pub target_group: &'static str,
    pub received: &'static str,
    pub declined_because: &'static str,
    pub may_be: &'static str,
    pub no_candidates: &'static str,
    pub accept_as_new: &'static str,
    pub accept_as: &'static str,
    pub accept: &'static str,
    pub decline_reason: &'static str,
    pub decline: &'static str,
    pub select: &'static str,
    pub accept_selected: &'static str,
    pub accept_selected_hint: &'static str,
    pub select_one: &'static str,
    /// Where an application stands, by key.
    pub statuses: [(&'static str, &'static str); 5],
    /// Why a participant may be the applicant, by reason.
    pub reasons: [(&'static str, &'static str); 4],
    /// "Accept Chipo Moyo into workshop 12 (CSSD, 2027-01-04 to 2027-01-08)?"
    pub confirm_accept: fn(&str, i64, &str) -> String,
    pub creates_participant: &'static str,
    pub links_participant: fn(&str, i64) -> String,
    pub takes_seat: fn(i32) -> String,
    pub joins_waitlist: &'static str,
    pub told_by: fn(bool) -> &'static str,
    pub confirm_decline: fn(&str) -> String,
    pub decline_effects: fn(&str) -> String,
    pub confirm_accept_many: fn(usize) -> String,
    pub accept_many_effects: &'static str,
    /// "3 awaiting review".
    pub pending_count: fn(u64) -> String,
    /// "Workshop 12: 3 awaiting review".
    pub workshop_pending: fn(i64, u64) -> String,
    /// "Application A-XXXX: …" for one refused in a batch.
    pub refused: fn(&str, &str) -> String,
    notice: fn(&str, u64) -> Option<String>,
}

impl ApplicationWords {
    /// The words for a status key.
    pub fn status(&self, key: &str) -> &'static str {
        self.statuses
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, w)| w)
    }

    /// What the action named `key` did (`n`: a count or a waitlist place).
    pub fn notice(&self, key: &str, n: u64) -> Option<String> {
        (self.notice)(key, n)
    }

    /// "3 applications awaiting review".
    pub fn pending_of(&self, n: &u64) -> String {
        (self.pending_count)(*n)
    }

    /// "Workshop 12: 3 awaiting review".
    pub fn workshop_pending_of(&self, id: &i64, n: &u64) -> String {
        (self.workshop_pending)(*id, *n)
    }
}

/// The application review in English.
pub static APPLICATION_WORDS: ApplicationWords = ApplicationWords {
    title: "Applications",
    awaiting_review: "Applications awaiting review",
    none_awaiting: "No applications are waiting for an answer.",
    review: "Review them",
    workshop_number: "Workshop number",
    any_status: "Any status",
    no_applications: "No applications match.",
    reference: "Reference",
    contact: "Contact",
    target_group: "Target group",
    received: "Received",
    declined_because: "Declined because",
    may_be: "May already be on record as",
    no_candidates: "Nobody on record looks like this applicant.",
    accept_as_new: "A new participant, from the application",
    accept_as: "Accept as",
    accept: "Accept",
    decline_reason: "Reason for declining (the applicant is told)",
    decline: "Decline",
    select: "Select to accept together",
    accept_selected: "Accept the selected",
    accept_selected_hint: "Accepting together (a council's nominees) creates a new participant from each selected application, in the order listed.",
    select_one: "Select at least one application to accept.",
    statuses: [
        ("unconfirmed", "Not yet confirmed by the applicant"),
        ("pending", "Awaiting review"),
        ("accepted", "Accepted"),
        ("declined", "Declined"),
        ("lapsed", "Lapsed (never confirmed)"),
    ],
    reasons: [
        ("national_id", "the same national ID"),
        ("email", "the same email"),
        ("phone", "the same phone"),
        (
            "name_and_organisation",
            "the same name in the same organisation",
        ),
    ],
    confirm_accept: |name, workshop, about| {
        format!("Accept {name} into workshop {workshop} ({about})?")
    },
    creates_participant: "A new participant is created from the application.",
    links_participant: |name, id| {
        format!("The application is linked to {name} (participant {id}); no one new is created.")
    },
    takes_seat: |left| format!("They take a seat ({left} left now)."),
    joins_waitlist: "The workshop is full: they join the end of the waitlist.",
    told_by: |by_mail| {
        if by_mail {
            "The applicant is told by email."
        } else {
            "The applicant is told by SMS."
        }
    },
    confirm_decline: |name| format!("Decline the application of {name}?"),
    decline_effects: |reason| format!("The applicant is told, with the reason: “{reason}”"),
    confirm_accept_many: |n| {
        if n == 1 {
            "Accept the selected application?".to_owned()
        } else {
            format!("Accept the {n} selected applications?")
        }
    },
    accept_many_effects: "Each becomes a new participant and takes a seat while there is one, else a waitlist place, in the order listed; each applicant is told.",
    pending_count: |n| match n {
        1 => "1 application awaiting review".to_owned(),
        n => format!("{n} applications awaiting review"),
    },
    workshop_pending: |id, n| format!("Workshop {id}: {n} awaiting review"),
    refused: |reference, why| format!("Application {reference}: {why}"),
    notice: |key, n| {
        Some(match key {
            "accepted" => "Accepted: the applicant has a seat and is told so.".to_owned(),
            "waitlisted" => format!(
                "Accepted: the workshop is full, the applicant is number {n} on the waitlist and is told so."
            ),
            "declined" => "Declined: the applicant is told, with the reason.".to_owned(),
            "accepted_many" => format!("Accepted: {n}."),
            _ => return None,
        })
    },
};

#[cfg(test)]
mod tests {
    /// Every template, as compiled in.
    const TEMPLATES: [(&str, &str); 38] = [
        (
            "admin_paper_evaluation",
            include_str!("../../assets/web/templates/admin_paper_evaluation.html"),
        ),
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
        (
            "admin_audit",
            include_str!("../../assets/web/templates/admin_audit.html"),
        ),
        (
            "admin_base",
            include_str!("../../assets/web/templates/admin_base.html"),
        ),
        (
            "admin_cascade",
            include_str!("../../assets/web/templates/admin_cascade.html"),
        ),
        (
            "admin_certificate",
            include_str!("../../assets/web/templates/admin_certificate.html"),
        ),
        (
            "admin_certificates",
            include_str!("../../assets/web/templates/admin_certificates.html"),
        ),
        (
            "admin_dashboard",
            include_str!("../../assets/web/templates/admin_dashboard.html"),
        ),
        (
            "admin_enrolment_line",
            include_str!("../../assets/web/templates/admin_enrolment_line.html"),
        ),
        (
            "admin_field_error",
            include_str!("../../assets/web/templates/admin_field_error.html"),
        ),
        (
            "admin_form_errors",
            include_str!("../../assets/web/templates/admin_form_errors.html"),
        ),
        (
            "admin_outbox",
            include_str!("../../assets/web/templates/admin_outbox.html"),
        ),
        (
            "admin_pager",
            include_str!("../../assets/web/templates/admin_pager.html"),
        ),
        (
            "admin_participant",
            include_str!("../../assets/web/templates/admin_participant.html"),
        ),
        (
            "admin_participants",
            include_str!("../../assets/web/templates/admin_participants.html"),
        ),
        (
            "admin_reports",
            include_str!("../../assets/web/templates/admin_reports.html"),
        ),
        (
            "admin_sign_in",
            include_str!("../../assets/web/templates/admin_sign_in.html"),
        ),
        (
            "admin_users",
            include_str!("../../assets/web/templates/admin_users.html"),
        ),
        (
            "admin_workshop",
            include_str!("../../assets/web/templates/admin_workshop.html"),
        ),
        (
            "admin_workshop_new",
            include_str!("../../assets/web/templates/admin_workshop_new.html"),
        ),
        (
            "admin_workshop_rows",
            include_str!("../../assets/web/templates/admin_workshop_rows.html"),
        ),
        (
            "admin_workshops",
            include_str!("../../assets/web/templates/admin_workshops.html"),
        ),
        (
            "admin_webhooks",
            include_str!("../../assets/web/templates/admin_webhooks.html"),
        ),
        (
            "admin_applications",
            include_str!("../../assets/web/templates/admin_applications.html"),
        ),
        (
            "catalogue_base",
            include_str!("../../assets/web/templates/catalogue_base.html"),
        ),
        (
            "catalogue_list",
            include_str!("../../assets/web/templates/catalogue_list.html"),
        ),
        (
            "catalogue_workshop",
            include_str!("../../assets/web/templates/catalogue_workshop.html"),
        ),
        (
            "catalogue_message",
            include_str!("../../assets/web/templates/catalogue_message.html"),
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
