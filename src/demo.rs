//! `--demo`: seeds the data a new user needs to see the API working. Idempotent: running it
//! again finds what it made before and adds nothing.

use sea_orm::ConnectionTrait;

use crate::{
    domain::{self, course::CourseChanges},
    services::{courses, organisations},
};
use entity::organisation::OrganisationKind;

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
pub async fn seed(db: &impl ConnectionTrait) -> domain::Result<()> {
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
            courses::create(db, changes).await?;
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
            organisations::create(db, name, kind).await?;
            tracing::info!(name, "demo: created organisation");
        }
    }
    Ok(())
}
