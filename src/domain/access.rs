//! Who may do what: the role table of the contract as one function, [`Principal::may`].
//!
//! | who | may |
//! |---|---|
//! | admin | everything |
//! | trainer | read the catalogue (courses, organisations, workshops); read the enrolments, participants (with contact details), registers, results, rosters and evaluation summaries, record attendance, assessments and outreach — only of workshops they are assigned to ([`Principal::may_read_workshop`] and the workshop rules) |
//! | participant | their own enrolments and certificates; submit their own evaluations and outreach records |
//! | API key | what its scopes allow: `read`, `enrol`, `attendance`, `certificates`, `admin` |

use entity::app_user::Role;

/// A scope an API key can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Read the catalogue, participants and rosters.
    Read,
    /// Create participants and enrol or withdraw them.
    Enrol,
    /// Record attendance and assessments.
    Attendance,
    /// Issue, read, send and revoke certificates.
    Certificates,
    /// Everything an administrator may do.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::Read,
        Scope::Enrol,
        Scope::Attendance,
        Scope::Certificates,
        Scope::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Enrol => "enrol",
            Scope::Attendance => "attendance",
            Scope::Certificates => "certificates",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == s)
    }
}

/// Something an operation needs the caller to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read courses, organisations, workshops and their schedules.
    ReadCatalogue,
    /// Create or change courses, organisations and workshops.
    ManageCatalogue,
    /// Read participant records.
    ReadParticipants,
    /// Read a workshop's roster: its enrolments, attendance register and results.
    ReadRegister,
    /// Create and change participant records.
    ManageParticipants,
    /// Enrol participants in workshops and withdraw them.
    Enrol,
    /// Record attendance and assessments (trainers: only for their own workshops).
    RecordAttendance,
    /// Issue, list, send and revoke certificates, and download any certificate.
    ManageCertificates,
    /// Manage user accounts and API keys; read the audit log and the mail outbox.
    Administer,
    /// Submit a workshop evaluation (participants: their own, which the evaluation rules check).
    Evaluate,
    /// Read the summaries of workshop evaluations (trainers: of their own workshops).
    ReadEvaluations,
    /// Record outreach meetings (participants: their own; trainers: for their workshops).
    RecordOutreach,
}

impl Permission {
    /// What the permission lets one do, for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            Permission::ReadCatalogue => "read courses, organisations and workshops",
            Permission::ManageCatalogue => "create or change courses, organisations and workshops",
            Permission::ReadParticipants => "read participant records",
            Permission::ReadRegister => "read workshop rosters, registers and results",
            Permission::ManageParticipants => "create or change participants",
            Permission::Enrol => "enrol or withdraw participants",
            Permission::RecordAttendance => "record attendance and assessments",
            Permission::ManageCertificates => "issue, read or revoke certificates",
            Permission::Administer => "manage accounts and API keys or read the audit log",
            Permission::Evaluate => "submit workshop evaluations",
            Permission::ReadEvaluations => "read evaluation summaries",
            Permission::RecordOutreach => "record outreach meetings",
        }
    }
}

/// What is read of one workshop's people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkshopReading {
    /// Enrolments, the attendance register and results: names and marks.
    Register,
    /// The roster and participant records with email, phone and ward.
    ContactDetails,
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A person logged in with a session token.
    User {
        id: i64,
        name: String,
        email: String,
        role: Role,
        participant_id: Option<i64>,
    },
    /// A third-party client using an API key.
    ApiKey {
        id: i64,
        name: String,
        scopes: Vec<Scope>,
    },
}

impl Principal {
    /// Whether this caller may do what `permission` names (workshop assignment aside).
    pub fn may(&self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Principal::User {
                role: Role::Admin, ..
            } => true,
            Principal::User {
                role: Role::Trainer,
                ..
            } => {
                // Only for workshops they are assigned to: see `may_read_workshop` and the
                // attendance, evaluation and outreach rules.
                matches!(
                    permission,
                    ReadCatalogue
                        | ReadRegister
                        | RecordAttendance
                        | ReadEvaluations
                        | RecordOutreach
                )
            }
            Principal::User {
                role: Role::Participant,
                ..
            } => matches!(permission, Evaluate | RecordOutreach),
            Principal::ApiKey { scopes, .. } => scopes.iter().any(|scope| match scope {
                Scope::Admin => true,
                Scope::Read => {
                    matches!(permission, ReadCatalogue | ReadParticipants | ReadRegister)
                }
                Scope::Enrol => matches!(permission, Enrol | ManageParticipants),
                Scope::Attendance => matches!(permission, RecordAttendance | ReadRegister),
                Scope::Certificates => permission == ManageCertificates,
            }),
        }
    }

    /// Whether the caller may read `what` of one workshop, given whether they are one of its
    /// trainers. Trainers read only their own workshops; an `attendance` key reads registers
    /// but not contact details.
    pub fn may_read_workshop(&self, what: WorkshopReading, assigned: bool) -> bool {
        match self {
            Principal::User {
                role: Role::Trainer,
                ..
            } => assigned,
            _ => match what {
                WorkshopReading::Register => self.may(Permission::ReadRegister),
                WorkshopReading::ContactDetails => {
                    self.may(Permission::ReadRegister) && self.may(Permission::ReadParticipants)
                }
            },
        }
    }

    /// Whether this is a trainer's account (whose reads depend on their assignments).
    pub fn is_trainer(&self) -> bool {
        matches!(
            self,
            Principal::User {
                role: Role::Trainer,
                ..
            }
        )
    }

    /// Whether this is an administrator (a user, or a key with the `admin` scope).
    pub fn is_admin(&self) -> bool {
        self.may(Permission::Administer)
    }

    /// The user id, when the caller is a user.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Principal::User { id, .. } => Some(*id),
            Principal::ApiKey { .. } => None,
        }
    }

    /// Whether the caller may read a certificate held by participant `holder`: certificate
    /// managers read every one, a participant their own.
    pub fn may_read_certificate(&self, holder: i64) -> bool {
        self.may(Permission::ManageCertificates) || self.participant_id() == Some(holder)
    }

    /// The participant record of the caller, when it is a user linked to one.
    pub fn participant_id(&self) -> Option<i64> {
        match self {
            Principal::User { participant_id, .. } => *participant_id,
            Principal::ApiKey { .. } => None,
        }
    }

    /// How the caller is recorded in the audit log.
    pub fn actor(&self) -> Actor {
        match self {
            Principal::User { id, email, .. } => Actor {
                kind: "user",
                id: Some(*id),
                label: email.clone(),
            },
            Principal::ApiKey { id, name, .. } => Actor {
                kind: "api_key",
                id: Some(*id),
                label: name.clone(),
            },
        }
    }
}

/// Who made a change, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `user`, `api_key` or `system`.
    pub kind: &'static str,
    pub id: Option<i64>,
    pub label: String,
}

impl Actor {
    /// The service itself (start-up bootstrap, demo data, background work).
    pub fn system(label: &str) -> Self {
        Self {
            kind: "system",
            id: None,
            label: label.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    const EVERY_PERMISSION: [Permission; 9] = [
        ReadCatalogue,
        ManageCatalogue,
        ReadParticipants,
        ReadRegister,
        ManageParticipants,
        Enrol,
        RecordAttendance,
        ManageCertificates,
        Administer,
    ];

    fn user(role: Role) -> Principal {
        Principal::User {
            id: 1,
            name: "N".into(),
            email: "n@x.org".into(),
            role,
            participant_id: None,
        }
    }

    fn key(scopes: &[Scope]) -> Principal {
        Principal::ApiKey {
            id: 1,
            name: "k".into(),
            scopes: scopes.to_vec(),
        }
    }

    #[test]
    fn a_certificate_is_read_by_its_holder_and_by_certificate_managers_only() {
        let holder = Principal::User {
            id: 2,
            name: "P".into(),
            email: "p@x.org".into(),
            role: Role::Participant,
            participant_id: Some(9),
        };
        assert!(holder.may_read_certificate(9));
        assert!(!holder.may_read_certificate(10));
        assert!(user(Role::Admin).may_read_certificate(10));
        assert!(key(&[Scope::Certificates]).may_read_certificate(10));
        assert!(!key(&[Scope::Read]).may_read_certificate(10));
        assert!(!user(Role::Trainer).may_read_certificate(10));
    }

    #[test]
    fn an_admin_may_do_everything() {
        assert!(EVERY_PERMISSION.iter().all(|p| user(Role::Admin).may(*p)));
        assert!(
            EVERY_PERMISSION
                .iter()
                .all(|p| key(&[Scope::Admin]).may(*p))
        );
    }

    #[test]
    fn a_trainer_reads_and_marks_but_manages_nothing() {
        let trainer = user(Role::Trainer);
        let allowed: Vec<_> = EVERY_PERMISSION
            .into_iter()
            .filter(|p| trainer.may(*p))
            .collect();
        assert_eq!(allowed, [ReadCatalogue, ReadRegister, RecordAttendance]);
    }

    #[test]
    fn a_trainer_reads_only_the_workshops_they_are_assigned_to() {
        let trainer = user(Role::Trainer);
        for what in [WorkshopReading::Register, WorkshopReading::ContactDetails] {
            assert!(trainer.may_read_workshop(what, true));
            assert!(!trainer.may_read_workshop(what, false));
            assert!(user(Role::Admin).may_read_workshop(what, false));
            assert!(!user(Role::Participant).may_read_workshop(what, true));
        }
    }

    #[test]
    fn an_attendance_key_reads_registers_but_not_contact_details() {
        let key = key(&[Scope::Attendance]);
        assert!(key.may_read_workshop(WorkshopReading::Register, false));
        assert!(!key.may_read_workshop(WorkshopReading::ContactDetails, false));
        let reader = super::Principal::ApiKey {
            id: 2,
            name: "r".into(),
            scopes: vec![Scope::Read],
        };
        assert!(reader.may_read_workshop(WorkshopReading::ContactDetails, false));
    }

    #[test]
    fn a_participant_has_no_general_permission() {
        assert!(
            !EVERY_PERMISSION
                .iter()
                .any(|p| user(Role::Participant).may(*p))
        );
    }

    #[test]
    fn participants_evaluate_and_record_outreach_and_trainers_read_evaluations() {
        let participant = user(Role::Participant);
        assert!(participant.may(Evaluate) && participant.may(RecordOutreach));
        assert!(!participant.may(ReadEvaluations));
        let trainer = user(Role::Trainer);
        assert!(trainer.may(ReadEvaluations) && trainer.may(RecordOutreach));
        assert!(!trainer.may(Evaluate));
        for scope in [
            Scope::Read,
            Scope::Enrol,
            Scope::Attendance,
            Scope::Certificates,
        ] {
            let k = key(&[scope]);
            assert!(!k.may(Evaluate) && !k.may(ReadEvaluations) && !k.may(RecordOutreach));
        }
        assert!(key(&[Scope::Admin]).may(Evaluate));
    }

    #[test]
    fn key_scopes_grant_only_their_own_area() {
        assert!(key(&[Scope::Read]).may(ReadCatalogue));
        assert!(!key(&[Scope::Read]).may(Enrol));
        assert!(key(&[Scope::Enrol]).may(Enrol));
        assert!(!key(&[Scope::Enrol]).may(ReadCatalogue));
        assert!(key(&[Scope::Attendance]).may(RecordAttendance));
        assert!(key(&[Scope::Certificates]).may(ManageCertificates));
        assert!(!key(&[Scope::Certificates]).may(Administer));
        assert!(key(&[Scope::Read, Scope::Enrol]).may(ReadCatalogue));
    }

    #[test]
    fn scopes_round_trip_through_their_names() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(Scope::parse("write"), None);
    }
}
