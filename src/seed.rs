//! `cssd seed --workshops N`: fills a database with a large, realistic dataset for benchmarks —
//! cascades of workshops (each ToT followed by 3 cascade and 9 community workshops) of the two
//! IWSD courses since 2020, 35 participants each with five days of attendance and pre- and
//! post-tests. Three seats of each community workshop go to people from its parent cascade
//! workshop, coming back (about 6 % of seats are people's second), so that people are not all
//! one seat each. Rows go in with multi-row INSERTs in large transactions.
//!
//! It issues no certificates: those carry a rendered PDF each (about 20 KB), which would make
//! the database hundreds of times larger without changing what the benchmarks measure.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::{
    assessment::{self, AssessmentKind},
    attendance::{self, AttendanceStatus},
    enrolment::{self, EnrolmentStatus},
    participant::{self, Gender, TargetGroup},
    workshop::{self, Level, Status},
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait};

use crate::{
    domain::{self, access::Actor},
    services::{courses, organisations},
};

/// Participants per generated workshop.
pub const SEATS: usize = 35;
/// Workshops per generated cascade: one ToT, three cascade, nine community.
pub const CASCADE_SIZE: usize = 13;
/// Seats of each community workshop taken by people from its parent cascade workshop.
pub const RETURNING: usize = 3;

const TARGET_GROUPS: [TargetGroup; 11] = [
    TargetGroup::WaterSupply,
    TargetGroup::Wastewater,
    TargetGroup::SolidWaste,
    TargetGroup::SocialServices,
    TargetGroup::Revenue,
    TargetGroup::Management,
    TargetGroup::CommunityChampion,
    TargetGroup::Councillor,
    TargetGroup::Ratepayer,
    TargetGroup::CivicSociety,
    TargetGroup::Other,
];
const FIRST: [&str; 12] = [
    "Tendai", "Rudo", "Farai", "Chipo", "Tatenda", "Nyasha", "Kuda", "Tafadzwa", "Rutendo",
    "Simba", "Nomvula", "Blessing",
];
const LAST: [&str; 12] = [
    "Moyo",
    "Dube",
    "Banda",
    "Ndlovu",
    "Sibanda",
    "Chikwanha",
    "Mapfumo",
    "Ncube",
    "Zhou",
    "Gumbo",
    "Hove",
    "Marufu",
];

/// What the generator made.
#[derive(Debug, Default, Clone, Copy)]
pub struct Generated {
    pub workshops: u64,
    pub participants: u64,
    pub enrolments: u64,
    pub attendance: u64,
}

/// The next free id of a table (the generator assigns ids itself, to link rows without
/// reading them back).
async fn next_id(db: &DatabaseConnection, table: &str) -> domain::Result<i64> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COALESCE(MAX(id), 0) FROM {table}"),
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0)
        + 1)
}

/// Generates `workshops` workshops (rounded up to whole cascades) with everything in them.
pub async fn generate(
    db: &DatabaseConnection,
    workshops: u64,
    seed: u64,
) -> domain::Result<Generated> {
    crate::demo::seed_catalogue(db).await?;
    let actor = Actor::system("seed");
    let mut org_ids = Vec::new();
    for i in 1..=30 {
        let name = format!("Local authority {i:02}");
        let org = match organisations::find_by_name(db, &name).await? {
            Some(o) => o,
            None => {
                use sea_orm::Iterable;
                let new = organisations::NewOrganisation {
                    name: name.clone(),
                    kind: entity::organisation::OrganisationKind::LocalAuthority,
                    // Spread over the ten provinces, so that the split by province has work.
                    province: entity::organisation::Province::iter().nth((i - 1) % 10),
                    district: None,
                    dhis2_org_unit: None,
                };
                organisations::create(db, &actor, new).await?
            }
        };
        org_ids.push(org.id);
    }
    let course_ids = [
        courses::find_by_code(db, "CSSD")
            .await?
            .map(|c| c.id)
            .unwrap_or(1),
        courses::find_by_code(db, "CC")
            .await?
            .map(|c| c.id)
            .unwrap_or(2),
    ];
    let mut rng = StdRng::seed_from_u64(seed);
    let mut workshop_id = next_id(db, "workshop").await?;
    let mut participant_id = next_id(db, "participant").await?;
    let mut enrolment_id = next_id(db, "enrolment").await?;
    let first_monday = NaiveDate::from_ymd_opt(2020, 1, 6).expect("valid date");
    let weeks = ((Utc::now().date_naive() - first_monday).num_days() / 7).max(1) as u64;
    let now = Utc::now();
    let cascades = workshops.div_ceil(CASCADE_SIZE as u64);
    let mut made = Generated::default();
    for cascade in 0..cascades {
        let txn = crate::db::begin_write(db).await?;
        let course_id = course_ids[usize::from(rng.random_bool(0.3))];
        let org = org_ids[rng.random_range(0..org_ids.len())];
        let tot_week = rng.random_range(0..weeks.saturating_sub(12).max(1));
        let (mut ws, mut ps, mut es, mut atts, mut scores) =
            (vec![], vec![], vec![], vec![], vec![]);
        let tot_id = workshop_id;
        // The people of each cascade workshop, some of whom come back to a community workshop.
        let mut people_of: HashMap<i64, Vec<i64>> = HashMap::new();
        for n in 0..CASCADE_SIZE {
            let (level, parent, week) = match n {
                0 => (Level::Tot, None, tot_week),
                1..=3 => (Level::Cascade, Some(tot_id), tot_week + 4 + n as u64),
                _ => (
                    Level::Community,
                    Some(tot_id + 1 + ((n as i64 - 4) / 3)),
                    tot_week + 10 + n as u64,
                ),
            };
            let start = first_monday + Days::new(week * 7);
            let end = start + Days::new(4);
            let past = end < Utc::now().date_naive();
            let id = workshop_id;
            workshop_id += 1;
            ws.push(workshop::ActiveModel {
                id: Set(id),
                course_id: Set(course_id),
                level: Set(level),
                parent_workshop_id: Set(parent),
                venue: Set(format!("Community hall {}", cascade % 97 + 1)),
                organisation_id: Set(Some(org)),
                ward: Set(Some(format!("Ward {}", rng.random_range(1..=46)))),
                start_date: Set(start),
                end_date: Set(end),
                duration_days: Set(5),
                // Generated weeks run Monday to Friday (the generator ignores holidays).
                day_dates: Set(workshop::Model::encode_dates(
                    &(0..5).map(|d| start + Days::new(d)).collect::<Vec<_>>(),
                )),
                capacity: Set(SEATS as i32),
                seats_taken: Set(SEATS as i32),
                waitlist_count: Set(0),
                status: Set(if past {
                    Status::Completed
                } else {
                    Status::Scheduled
                }),
                public: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
            });
            let returning: Vec<i64> = match (level, parent) {
                (Level::Community, Some(parent)) => {
                    let skip = (n - 4) % 3 * RETURNING;
                    people_of[&parent][skip..skip + RETURNING].to_vec()
                }
                _ => vec![],
            };
            for seat in 0..SEATS {
                let eid = enrolment_id;
                enrolment_id += 1;
                let pid = match returning.get(seat) {
                    Some(&pid) => pid,
                    None => {
                        let pid = participant_id;
                        participant_id += 1;
                        ps.push(new_participant(&mut rng, pid, org, now));
                        pid
                    }
                };
                people_of.entry(id).or_default().push(pid);
                es.push(enrolment::ActiveModel {
                    id: Set(eid),
                    workshop_id: Set(id),
                    participant_id: Set(pid),
                    status: Set(EnrolmentStatus::Enrolled),
                    queue_number: Set(seat as i64 + 1),
                    consent_given_at: Set(Some(now)),
                    consent_text_version: Set(Some(
                        crate::domain::consent::NOTICE_VERSION.to_owned(),
                    )),
                    counted_age_band: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
                if past {
                    for day in 1..=5 {
                        let status = match rng.random_range(0..100) {
                            0..85 => AttendanceStatus::Present,
                            85..92 => AttendanceStatus::Late,
                            92..97 => AttendanceStatus::Absent,
                            _ => AttendanceStatus::Excused,
                        };
                        atts.push(attendance::ActiveModel {
                            enrolment_id: Set(eid),
                            day: Set(day),
                            status: Set(status),
                            marked_at: Set(now),
                            recorded_by: Set("seed".into()),
                            updated_at: Set(now),
                        });
                    }
                    let pre = rng.random_range(20..60) as f64;
                    let post = (pre + rng.random_range(-5..45) as f64).clamp(0.0, 100.0);
                    for (kind, score) in [
                        (AssessmentKind::PreTest, pre),
                        (AssessmentKind::PostTest, post),
                    ] {
                        scores.push(assessment::ActiveModel {
                            enrolment_id: Set(eid),
                            kind: Set(kind),
                            score: Set(score),
                            max_score: Set(100.0),
                            recorded_by: Set("seed".into()),
                            updated_at: Set(now),
                        });
                    }
                }
            }
        }
        made.workshops += ws.len() as u64;
        made.participants += ps.len() as u64;
        made.enrolments += es.len() as u64;
        made.attendance += atts.len() as u64;
        workshop::Entity::insert_many(ws).exec(&txn).await?;
        for chunk in chunks(ps, 400) {
            participant::Entity::insert_many(chunk).exec(&txn).await?;
        }
        for chunk in chunks(es, 500) {
            enrolment::Entity::insert_many(chunk).exec(&txn).await?;
        }
        for chunk in chunks(atts, 800) {
            attendance::Entity::insert_many(chunk).exec(&txn).await?;
        }
        for chunk in chunks(scores, 800) {
            assessment::Entity::insert_many(chunk).exec(&txn).await?;
        }
        crate::services::tallies::refresh(&txn, crate::services::tallies::Scope::Missing).await?;
        txn.commit().await?;
        if cascade % 50 == 49 {
            tracing::info!(
                workshops = made.workshops,
                participants = made.participants,
                "seeding"
            );
        }
    }
    if db.get_database_backend() == DbBackend::Postgres {
        for table in ["workshop", "participant", "enrolment"] {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .await?;
        }
    }
    Ok(made)
}

/// A new participant of `org` with a random name, gender and target group.
fn new_participant(
    rng: &mut StdRng,
    id: i64,
    org: i64,
    now: DateTime<Utc>,
) -> participant::ActiveModel {
    let gender = match rng.random_range(0..100) {
        0..48 => Gender::Female,
        48..94 => Gender::Male,
        94..97 => Gender::Other,
        _ => Gender::Undisclosed,
    };
    participant::ActiveModel {
        id: Set(id),
        full_name: Set(format!(
            "{} {} {id}",
            FIRST[rng.random_range(0..12)],
            LAST[rng.random_range(0..12)]
        )),
        email: Set(None),
        phone: Set(None),
        gender: Set(Some(gender)),
        organisation_id: Set(Some(org)),
        target_group: Set(TARGET_GROUPS[rng.random_range(0..TARGET_GROUPS.len())]),
        ward: Set(None),
        national_id: Set(None),
        // From the id, not the generator: the rest of the data stays as it was.
        birth_year: Set(Some(1960 + (id % 46) as i32)),
        wg_seeing: Set(None),
        wg_hearing: Set(None),
        wg_walking: Set(None),
        wg_cognition: Set(None),
        wg_self_care: Set(None),
        wg_communication: Set(None),
        language: Set(participant::Language::En),
        contact_by: Set(participant::ContactBy::Email),
        erased_at: Set(None),
        counted_gender: Set(None),
        counted_disability: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn chunks<T>(items: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        out.push(items.by_ref().take(size).collect());
    }
    out
}
