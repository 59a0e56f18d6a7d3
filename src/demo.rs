//! `--demo`: seeds the data a new user needs to see the API working. Idempotent: running it
//! again finds what it made before and adds nothing.

use sea_orm::DatabaseConnection;

use crate::{
    domain::{self, access::Actor, course::CourseChanges, participant::ParticipantText},
    services::{
        accounts::{self, NewUser},
        courses, organisations,
        participants::{self, ParticipantChanges},
    },
};
use entity::{
    app_user::Role,
    organisation::OrganisationKind,
    participant::{Gender, TargetGroup},
};

/// A demo account: who it is, how to log in, and the participant record behind it (if any).
pub struct DemoAccount {
    pub name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub role: Role,
    pub participant: Option<(Gender, TargetGroup)>,
}

/// The accounts `--demo` creates, so that every role can be tried from Swagger UI.
/// Demo only: never use these passwords for real data.
pub const DEMO_ACCOUNTS: [DemoAccount; 3] = [
    DemoAccount {
        name: "Demo Administrator",
        email: "admin@iwsd.demo",
        password: "demo-admin-2026",
        role: Role::Admin,
        participant: None,
    },
    DemoAccount {
        name: "Nomvula Ndlovu",
        email: "trainer@iwsd.demo",
        password: "demo-trainer-2026",
        role: Role::Trainer,
        participant: Some((Gender::Female, TargetGroup::Management)),
    },
    DemoAccount {
        name: "Tafadzwa Chikwanha",
        email: "participant@iwsd.demo",
        password: "demo-participant-2026",
        role: Role::Participant,
        participant: Some((Gender::Male, TargetGroup::CommunityChampion)),
    },
];

/// The topics of Community Support to Service Delivery, in teaching order.
pub const CSSD_TOPICS: [&str; 7] = [
    "Roles and responsibilities of council and residents",
    "Service delivery processes: water, wastewater and solid waste",
    "Engaging council: structures, channels and by-laws",
    "Building trust between council and communities",
    "Community champions: mobilising and representing constituencies",
    "Monitoring service delivery and reporting faults",
    "Action planning for the training cascade",
];

/// The topics of Customer Care, in teaching order.
pub const CC_TOPICS: [&str; 7] = [
    "The importance of good customer services",
    "Knowing your customers",
    "Good communication skills",
    "Handling customer complaints",
    "Customer feedback mechanisms",
    "Professionalism",
    "Customer care policy",
];

/// Creates the two IWSD courses and a few organisations unless they exist.
pub async fn seed(db: &DatabaseConnection) -> domain::Result<()> {
    let actor = Actor::system("demo");
    let courses = [
        (
            "CSSD",
            "Community Support to Service Delivery",
            "How council staff and residents work together so that water, sanitation and solid \
             waste services reach every ward: roles, processes, engagement and trust.",
            &CSSD_TOPICS,
        ),
        (
            "CC",
            "Customer Care",
            "Customer service skills for the staff of urban local authorities who deal with \
             residents and ratepayers.",
            &CC_TOPICS,
        ),
    ];
    for (code, title, description, topics) in courses {
        if courses::find_by_code(db, code).await?.is_none() {
            let changes = CourseChanges {
                code: Some(code.into()),
                title: Some(title.into()),
                description: Some(description.into()),
                duration_days: Some(5),
                topics: Some(topics.iter().map(|t| t.to_string()).collect()),
                pass_mark: Some(60),
                min_attendance_days: Some(4),
            };
            courses::create(db, &actor, changes).await?;
            tracing::info!(code, "demo: created course");
        }
    }
    let organisations_to_seed = [
        ("City of Harare", OrganisationKind::LocalAuthority),
        (
            "Combined Harare Residents Association",
            OrganisationKind::ResidentsAssociation,
        ),
        ("Harare Residents Trust", OrganisationKind::CivicSociety),
    ];
    for (name, kind) in organisations_to_seed {
        if organisations::find_by_name(db, name).await?.is_none() {
            organisations::create(db, &actor, name, kind).await?;
            tracing::info!(name, "demo: created organisation");
        }
    }
    seed_accounts(db, &actor).await
}

async fn seed_accounts(db: &DatabaseConnection, actor: &Actor) -> domain::Result<()> {
    let harare = organisations::find_by_name(db, "City of Harare")
        .await?
        .map(|o| o.id);
    for account in &DEMO_ACCOUNTS {
        if accounts::find_user_by_email(db, account.email)
            .await?
            .is_some()
        {
            continue;
        }
        if account.role == Role::Admin && accounts::admin_exists(db).await? {
            continue;
        }
        let participant_id = match account.participant {
            Some((gender, target_group)) => {
                let existing = participants::find_by_email(db, account.email).await?;
                let record = match existing {
                    Some(p) => p,
                    None => {
                        let changes = ParticipantChanges {
                            text: ParticipantText {
                                full_name: Some(account.name.into()),
                                email: Some(Some(account.email.into())),
                                phone: None,
                                ward: Some(Some("Ward 17".into())),
                            },
                            gender: Some(Some(gender)),
                            organisation_id: Some(harare),
                            target_group: Some(target_group),
                        };
                        participants::create(db, actor, changes).await?
                    }
                };
                Some(record.id)
            }
            None => None,
        };
        let new = NewUser {
            name: account.name.into(),
            email: account.email.into(),
            role: account.role,
            password: account.password.into(),
            participant_id,
        };
        accounts::create_user(db, actor, new).await?;
        tracing::info!(
            email = account.email,
            password = account.password,
            role = ?account.role,
            "demo: created account (demo credentials, shown once)"
        );
    }
    Ok(())
}
