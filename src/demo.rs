//! `--demo`: seeds the data a new user needs to see the API working. Idempotent: running it
//! again finds what it made before and adds nothing.

use chrono::{Datelike, Days, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    domain::{
        self,
        access::{Actor, Principal},
        course::CourseChanges,
        participant::ParticipantText,
        workshop::Transition,
    },
    services::{
        accounts::{self, NewUser},
        attendance::{self, MarkInput, ScoreInput},
        certificates::{self, IssueSettings},
        courses, enrolments, holidays, organisations,
        participants::{self, ParticipantChanges},
        workshops::{self, NewWorkshop},
    },
    state::AppState,
};
use entity::{
    app_user::Role,
    assessment::AssessmentKind,
    attendance::AttendanceStatus,
    organisation::{OrganisationKind, Province},
    participant::{ContactBy, Gender, Language, TargetGroup},
    workshop::Level,
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
pub const DEMO_ACCOUNTS: [DemoAccount; 4] = [
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
    DemoAccount {
        name: "Grace Mupfumira",
        email: "facilitator@iwsd.demo",
        password: "demo-facilitator-2026",
        role: Role::Trainer,
        participant: None,
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

/// How long a ToT certificate of the demo courses entitles its holder to train others.
pub const DEMO_TRAINER_CERTIFICATE_MONTHS: i32 = 24;

/// The demo's organisations: name, kind, province and district.
const DEMO_ORGANISATIONS: [(&str, OrganisationKind, Province, &str); 5] = [
    (
        "City of Harare",
        OrganisationKind::LocalAuthority,
        Province::Harare,
        "Harare",
    ),
    (
        "Combined Harare Residents Association",
        OrganisationKind::ResidentsAssociation,
        Province::Harare,
        "Harare",
    ),
    (
        "Harare Residents Trust",
        OrganisationKind::CivicSociety,
        Province::Harare,
        "Harare",
    ),
    (
        "Bulawayo City Council",
        OrganisationKind::LocalAuthority,
        Province::Bulawayo,
        "Bulawayo",
    ),
    (
        "Mutare City Council",
        OrganisationKind::LocalAuthority,
        Province::Manicaland,
        "Mutare",
    ),
];

/// Seeds the demo: the two IWSD courses, organisations, an account per role, and — on a
/// database without workshops — the whole story of one cascade (see [`seed_story`]).
pub async fn seed(state: &AppState) -> domain::Result<()> {
    seed_catalogue(&state.db).await?;
    let has_workshops = entity::workshop::Entity::find()
        .one(&state.db)
        .await?
        .is_some();
    if !has_workshops {
        seed_story(state).await?;
    }
    Ok(())
}

/// Creates the two IWSD courses, organisations and demo accounts unless they exist.
pub async fn seed_catalogue(db: &DatabaseConnection) -> domain::Result<()> {
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
                trainer_certificate_valid_months: Some(Some(DEMO_TRAINER_CERTIFICATE_MONTHS)),
            };
            courses::create(db, &actor, changes).await?;
            tracing::info!(code, "demo: created course");
        }
    }
    for (name, kind, province, district) in DEMO_ORGANISATIONS {
        match organisations::find_by_name(db, name).await? {
            None => {
                let new = organisations::NewOrganisation {
                    name: name.into(),
                    kind,
                    province: Some(province),
                    district: Some(district.into()),
                    dhis2_org_unit: None,
                };
                organisations::create(db, &actor, new).await?;
                tracing::info!(name, "demo: created organisation");
            }
            // Seeded before organisations had provinces.
            Some(existing) if existing.province.is_none() => {
                let changes = organisations::OrganisationChanges {
                    province: Some(province),
                    district: Some(district.into()),
                    ..Default::default()
                };
                organisations::update(db, &actor, existing.id, changes).await?;
            }
            Some(_) => {}
        }
    }
    seed_accounts(db, &actor).await
}

async fn seed_accounts(db: &DatabaseConnection, actor: &Actor) -> domain::Result<()> {
    // Seeding runs before (or beside) a server: it hashes with slots of its own.
    let hashing = crate::services::password_hashing::PasswordHashing::new(
        1,
        crate::services::password_hashing::DEFAULT_WAIT,
    );
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
                            national_id: None,
                            ..Default::default()
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
        accounts::create_user(db, &hashing, actor, new).await?;
        tracing::info!(
            email = account.email,
            password = account.password,
            role = ?account.role,
            "demo: created account (demo credentials, shown once)"
        );
    }
    Ok(())
}

/// The Monday `weeks` weeks before (negative: after) this week's Monday.
fn monday(weeks: i64) -> NaiveDate {
    let today = Utc::now().date_naive();
    let this_monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    if weeks >= 0 {
        this_monday - Days::new(7 * weeks as u64)
    } else {
        this_monday + Days::new(7 * weeks.unsigned_abs())
    }
}

/// The first working day on or after `date` (the story's Mondays may be public holidays).
async fn working_day_from(db: &DatabaseConnection, date: NaiveDate) -> domain::Result<NaiveDate> {
    let mut date = date;
    let holidays = holidays::between(db, date, date + Days::new(31)).await?;
    while matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
        || holidays.contains_key(&date)
    {
        date = date + Days::new(1);
    }
    Ok(date)
}

/// People of the story: (name, gender, target group).
const TOT_PEOPLE: [(&str, Gender, TargetGroup); 9] = [
    ("Tatenda Mushonga", Gender::Male, TargetGroup::WaterSupply),
    ("Rutendo Mapfumo", Gender::Female, TargetGroup::Wastewater),
    (
        "Kudakwashe Nyamadzawo",
        Gender::Male,
        TargetGroup::SolidWaste,
    ),
    (
        "Chipo Mutasa-Zvobgo",
        Gender::Female,
        TargetGroup::SocialServices,
    ),
    ("Farai Banda", Gender::Male, TargetGroup::Revenue),
    (
        "Zoë Müller-Øberg",
        Gender::Female,
        TargetGroup::CivicSociety,
    ),
    ("Blessing Chirwa", Gender::Female, TargetGroup::Councillor),
    ("Tinashe Gumbo", Gender::Male, TargetGroup::Management),
    (
        "Ngozi Okonkwo-Adébáyọ̀",
        Gender::Female,
        TargetGroup::CommunityChampion,
    ),
];

const CASCADE_PEOPLE: [(&str, Gender, TargetGroup); 11] = [
    ("Nyasha Moyo", Gender::Female, TargetGroup::Ratepayer),
    (
        "Simbarashe Dube",
        Gender::Male,
        TargetGroup::CommunityChampion,
    ),
    ("Tariro Chikore", Gender::Female, TargetGroup::Ratepayer),
    (
        "Takudzwa Sibanda",
        Gender::Male,
        TargetGroup::CommunityChampion,
    ),
    ("Memory Ncube", Gender::Female, TargetGroup::CivicSociety),
    ("Tapiwa Marufu", Gender::Male, TargetGroup::Ratepayer),
    (
        "Shamiso Zhou",
        Gender::Female,
        TargetGroup::CommunityChampion,
    ),
    ("Tonderai Makoni", Gender::Male, TargetGroup::Councillor),
    ("Vimbai Chinoda", Gender::Female, TargetGroup::Ratepayer),
    ("Kuda Mlambo", Gender::Undisclosed, TargetGroup::Other),
    ("Fadzai Hove", Gender::Female, TargetGroup::Ratepayer),
];

async fn person(
    db: &DatabaseConnection,
    actor: &Actor,
    (name, gender, group): (&str, Gender, TargetGroup),
    organisation: Option<i64>,
    ward: &str,
) -> domain::Result<i64> {
    let email = format!(
        "{}@example.org",
        name.split(' ')
            .next()
            .unwrap_or("someone")
            .to_lowercase()
            .replace(['ë', 'é'], "e")
    );
    let changes = ParticipantChanges {
        text: ParticipantText {
            full_name: Some(name.into()),
            email: Some(
                participants::find_by_email(db, &email)
                    .await?
                    .is_none()
                    .then_some(email),
            ),
            phone: None,
            ward: Some(Some(ward.into())),
        },
        gender: Some(Some(gender)),
        organisation_id: Some(organisation),
        target_group: Some(group),
        national_id: None,
        birth_year: Some(Some(demo_birth_year(name))),
        disability: Some(demo_disability(name)),
        language: None,
        contact_by: None,
    };
    Ok(participants::create(db, actor, changes).await?.id)
}

/// Enrols everyone, marks every day (the `weak` ones miss two days), records pre- and
/// post-tests (the `weak` ones fail), completes the workshop and issues its certificates.
async fn run_workshop(
    state: &AppState,
    admin: &Principal,
    workshop_id: i64,
    people: &[i64],
    weak: &[i64],
) -> domain::Result<()> {
    let db = &state.db;
    let actor = admin.actor();
    let mut marks = Vec::new();
    let mut scores = Vec::new();
    for (i, pid) in people.iter().enumerate() {
        let e = enrolments::enrol(
            db,
            &actor,
            workshop_id,
            *pid,
            state.config.public_url_trimmed(),
        )
        .await?
        .enrolment
        .id;
        let is_weak = weak.contains(pid);
        for day in 1..=5 {
            let status = match (is_weak, day, i % 4) {
                (true, 2 | 4, _) => AttendanceStatus::Absent,
                (false, 1, 0) => AttendanceStatus::Late,
                _ => AttendanceStatus::Present,
            };
            marks.push(MarkInput {
                enrolment_id: e,
                day,
                status,
                marked_at: None,
            });
        }
        let pre = 30.0 + (i % 5) as f64 * 5.0;
        let post = if is_weak {
            45.0
        } else {
            65.0 + (i % 4) as f64 * 8.0
        };
        scores.push(ScoreInput {
            enrolment_id: e,
            kind: AssessmentKind::PreTest,
            score: pre,
            max_score: 100.0,
        });
        scores.push(ScoreInput {
            enrolment_id: e,
            kind: AssessmentKind::PostTest,
            score: post,
            max_score: 100.0,
        });
    }
    attendance::mark(db, admin, workshop_id, marks).await?;
    attendance::record_scores(db, admin, workshop_id, scores).await?;
    workshops::change_status(
        db,
        &actor,
        workshop_id,
        Transition::Complete,
        state.config.public_url_trimmed(),
    )
    .await?;
    let settings = IssueSettings::from_config(&state.config);
    certificates::issue_for_workshop(
        db,
        &actor,
        state.renderer.clone(),
        &state.keyring,
        &settings,
        workshop_id,
    )
    .await?;
    Ok(())
}

/// The story of one cascade, so every endpoint shows real data: a completed CSSD ToT workshop
/// whose participants (among them the demo trainer) are certified; a completed cascade
/// workshop led by the demo trainer, with attendance, tests, certificates and their emails in
/// the outbox; and a scheduled community workshop with a waitlist.
pub async fn seed_story(state: &AppState) -> domain::Result<()> {
    let db = &state.db;
    let Some(cssd) = courses::find_by_code(db, "CSSD").await? else {
        return Ok(());
    };
    let Some(admin) = accounts::list_users(
        db,
        Some(Role::Admin),
        crate::services::PageRequest {
            limit: 1,
            offset: 0,
        },
    )
    .await?
    .items
    .into_iter()
    .next() else {
        return Ok(());
    };
    let admin = Principal::User {
        id: admin.id,
        name: admin.name,
        email: admin.email,
        role: Role::Admin,
        participant_id: None,
    };
    let actor = admin.actor();
    let harare = organisations::find_by_name(db, "City of Harare")
        .await?
        .map(|o| o.id);
    let residents = organisations::find_by_name(db, "Combined Harare Residents Association")
        .await?
        .map(|o| o.id);
    let trainer = accounts::find_user_by_email(db, "trainer@iwsd.demo").await?;
    let learner = accounts::find_user_by_email(db, "participant@iwsd.demo").await?;
    let facilitator = accounts::find_user_by_email(db, "facilitator@iwsd.demo").await?;

    // 1. The ToT workshop, twelve weeks ago, led by IWSD's facilitator.
    let tot = workshops::create(
        db,
        &actor,
        NewWorkshop {
            course_id: cssd.id,
            level: Level::Tot,
            parent_workshop_id: None,
            venue: "IWSD Training Centre, Harare".into(),
            organisation_id: harare,
            ward: None,
            start_date: working_day_from(db, monday(12)).await?,
            capacity: Some(35),
            trainer_ids: facilitator.iter().map(|f| f.id).collect(),
            public: false,
        },
    )
    .await?
    .workshop
    .id;
    let bulawayo = organisations::find_by_name(db, "Bulawayo City Council")
        .await?
        .map(|o| o.id);
    let mut tot_people: Vec<i64> = trainer.iter().filter_map(|t| t.participant_id).collect();
    // Six from Harare, three from Bulawayo: the report splits them by province.
    for (i, p) in TOT_PEOPLE.into_iter().enumerate() {
        let (organisation, ward) = if i < 6 {
            (harare, "Ward 17")
        } else {
            (bulawayo, "Ward 1")
        };
        tot_people.push(person(db, &actor, p, organisation, ward).await?);
    }
    let weak = [tot_people[tot_people.len() - 1]];
    run_workshop(state, &admin, tot, &tot_people, &weak).await?;

    // 2. The cascade workshop, six weeks ago, led by the newly certified demo trainer.
    let cascade = workshops::create(
        db,
        &actor,
        NewWorkshop {
            course_id: cssd.id,
            level: Level::Cascade,
            parent_workshop_id: Some(tot),
            venue: "Mbare Community Hall".into(),
            organisation_id: residents,
            ward: Some("Ward 3".into()),
            start_date: working_day_from(db, monday(6)).await?,
            capacity: Some(35),
            trainer_ids: trainer.iter().map(|t| t.id).collect(),
            public: false,
        },
    )
    .await?
    .workshop
    .id;
    let mut cascade_people: Vec<i64> = learner.iter().filter_map(|l| l.participant_id).collect();
    for p in CASCADE_PEOPLE {
        cascade_people.push(person(db, &actor, p, residents, "Ward 3").await?);
    }
    let weak = [cascade_people[3], cascade_people[7]];
    run_workshop(state, &admin, cascade, &cascade_people, &weak).await?;

    // 3. A community workshop in three weeks: 10 seats, 13 people, so a waitlist of 3.
    let community = workshops::create(
        db,
        &actor,
        NewWorkshop {
            course_id: cssd.id,
            level: Level::Community,
            parent_workshop_id: Some(cascade),
            venue: "Mbare Netball Complex Hall".into(),
            organisation_id: residents,
            ward: Some("Ward 3".into()),
            start_date: working_day_from(db, monday(-3)).await?,
            capacity: Some(10),
            trainer_ids: trainer.iter().map(|t| t.id).collect(),
            public: false,
        },
    )
    .await?
    .workshop
    .id;
    for i in 0..13 {
        let name = format!("Ward 3 Resident {}", i + 1);
        let p = person(
            db,
            &actor,
            (&name, Gender::Undisclosed, TargetGroup::Ratepayer),
            residents,
            "Ward 3",
        )
        .await?;
        // Three residents have a phone and no email: they hear by SMS, one in Shona and one
        // in Ndebele (the files appear under the outbox folder's `sms/`).
        if let Some(language) = [
            None,
            Some(Language::Sn),
            Some(Language::Nd),
            Some(Language::En),
        ]
        .get(i)
        .copied()
        .flatten()
        {
            let texted = ParticipantChanges {
                text: ParticipantText {
                    phone: Some(Some(format!("077 255 01{i:02}"))),
                    ..Default::default()
                },
                language: Some(language),
                contact_by: Some(ContactBy::Sms),
                ..Default::default()
            };
            participants::update(db, &actor, p, texted).await?;
        }
        enrolments::enrol(db, &actor, community, p, state.config.public_url_trimmed()).await?;
    }
    seed_feedback_and_outreach(state, &admin, tot, cascade, &learner).await?;
    tracing::info!(
        tot,
        cascade,
        community,
        "demo: seeded the cascade story (ToT → cascade → community)"
    );
    let over_holiday = seed_holiday_workshop(db, &actor, bulawayo).await?;
    seed_workshop_in_progress(state, &actor, cssd.id, cascade, residents, &trainer).await?;
    let simbarashe = cascade_people[cascade_people.len() - CASCADE_PEOPLE.len() + 1];
    seed_duplicate(
        db,
        &actor,
        simbarashe,
        residents,
        over_holiday,
        state.config.public_url_trimmed(),
    )
    .await?;
    Ok(())
}

/// A Customer Care workshop for Bulawayo's council staff over the next public holiday that
/// falls on a weekday at least two weeks ahead: its schedule steps over the holiday.
async fn seed_holiday_workshop(
    db: &DatabaseConnection,
    actor: &Actor,
    bulawayo: Option<i64>,
) -> domain::Result<i64> {
    let Some(cc) = courses::find_by_code(db, "CC").await? else {
        return Err(domain::Error::NotFound {
            entity: "course",
            id: 0,
        });
    };
    let from = Utc::now().date_naive() + Days::new(14);
    let upcoming = holidays::between(db, from, from + Days::new(366)).await?;
    let holiday = upcoming
        .keys()
        .copied()
        .find(|d| !matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun))
        .unwrap_or(from);
    // The working day before it.
    let mut start = holiday - Days::new(1);
    while matches!(start.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
        || holidays::between(db, start, start)
            .await?
            .contains_key(&start)
    {
        start = start - Days::new(1);
    }
    let view = workshops::create(
        db,
        actor,
        NewWorkshop {
            course_id: cc.id,
            level: Level::Tot,
            parent_workshop_id: None,
            venue: "Bulawayo City Hall".into(),
            organisation_id: bulawayo,
            ward: None,
            start_date: start,
            capacity: Some(35),
            trainer_ids: vec![],
            public: false,
        },
    )
    .await?;
    tracing::info!(
        workshop = view.workshop.id,
        %holiday,
        "demo: scheduled a workshop that steps over a public holiday"
    );
    Ok(view.workshop.id)
}

/// A community workshop in progress, led by the demo trainer, whose first day is today (or,
/// on a weekend or holiday, the last working day): the register has a real day to mark.
async fn seed_workshop_in_progress(
    state: &AppState,
    actor: &Actor,
    course_id: i64,
    cascade: i64,
    organisation: Option<i64>,
    trainer: &Option<entity::app_user::Model>,
) -> domain::Result<i64> {
    let db = &state.db;
    let start = last_working_day_until(db, Utc::now().date_naive()).await?;
    let id = workshops::create(
        db,
        actor,
        NewWorkshop {
            course_id,
            level: Level::Community,
            parent_workshop_id: Some(cascade),
            venue: "Mbare Flats Community Centre".into(),
            organisation_id: organisation,
            ward: Some("Ward 4".into()),
            start_date: start,
            capacity: Some(35),
            trainer_ids: trainer.iter().map(|t| t.id).collect(),
            public: false,
        },
    )
    .await?
    .workshop
    .id;
    for i in 0..8 {
        let name = format!("Ward 4 Resident {}", i + 1);
        let gender = if i % 2 == 0 {
            Gender::Female
        } else {
            Gender::Male
        };
        let p = person(
            db,
            actor,
            (&name, gender, TargetGroup::Ratepayer),
            organisation,
            "Ward 4",
        )
        .await?;
        enrolments::enrol(db, actor, id, p, state.config.public_url_trimmed()).await?;
    }
    workshops::change_status(
        db,
        actor,
        id,
        Transition::Start,
        state.config.public_url_trimmed(),
    )
    .await?;
    tracing::info!(workshop = id, %start, "demo: a community workshop in progress");
    Ok(id)
}

/// The last working day on or before `date`.
async fn last_working_day_until(
    db: &DatabaseConnection,
    date: NaiveDate,
) -> domain::Result<NaiveDate> {
    let mut date = date;
    let holidays = holidays::between(db, date - Days::new(31), date).await?;
    while matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
        || holidays.contains_key(&date)
    {
        date = date - Days::new(1);
    }
    Ok(date)
}

/// One person recorded twice: Simbarashe Dube of the cascade workshop, entered again (name in
/// capitals, same organisation, without the phone, which only one participant may hold) when
/// enrolling in the Customer Care workshop, so `GET /api/v1/participants/duplicates` pairs them.
async fn seed_duplicate(
    db: &DatabaseConnection,
    actor: &Actor,
    original: i64,
    organisation: Option<i64>,
    workshop_id: i64,
    public_url: &str,
) -> domain::Result<()> {
    let phone = ParticipantChanges {
        text: ParticipantText {
            phone: Some(Some("+263 77 555 0101".into())),
            ..Default::default()
        },
        national_id: Some(Some("63-123456A78".into())),
        ..Default::default()
    };
    participants::update(db, actor, original, phone).await?;
    let again = ParticipantChanges {
        text: ParticipantText {
            full_name: Some("SIMBARASHE  DUBE".into()),
            ..Default::default()
        },
        gender: Some(Some(Gender::Male)),
        organisation_id: Some(organisation),
        target_group: Some(TargetGroup::CommunityChampion),
        ..Default::default()
    };
    let duplicate = participants::create(db, actor, again).await?;
    enrolments::enrol(db, actor, workshop_id, duplicate.id, public_url).await?;
    tracing::info!(
        original,
        duplicate = duplicate.id,
        "demo: recorded one person twice (see /api/v1/participants/duplicates)"
    );
    Ok(())
}

/// Evaluations of the ToT and cascade workshops (typed in from paper forms; the demo
/// participant's own is left for them to submit), and outreach meetings held by certified
/// participants of both, so the ToT workshop's cascade shows the people it reached.
async fn seed_feedback_and_outreach(
    state: &AppState,
    admin: &Principal,
    tot: i64,
    cascade: i64,
    learner: &Option<entity::app_user::Model>,
) -> domain::Result<()> {
    use std::collections::BTreeMap;

    use crate::{
        domain::{
            evaluation::Ratings,
            outreach::{AgeBands, Attendees},
        },
        services::{
            PageRequest,
            certificates::CertificateFilter,
            evaluations::{self, NewEvaluation},
            outreach::{self, NewOutreach},
        },
    };
    let db = &state.db;
    let own = learner.as_ref().and_then(|l| l.participant_id);
    let useful = [
        Some("Mapping who does what in service delivery"),
        Some("The role plays on handling complaints"),
        None,
        Some("Meeting officials from other wards"),
    ];
    let suggestions = [
        None,
        Some("More time for the field visit"),
        Some("Hand-outs in Shona too"),
        None,
    ];
    for workshop_id in [tot, cascade] {
        let view = workshops::get(db, workshop_id).await?;
        let topics = view.course.topic_list();
        let holders = certificates::list(
            db,
            CertificateFilter {
                workshop_id: Some(workshop_id),
                ..Default::default()
            },
            PageRequest {
                limit: 50,
                offset: 0,
            },
        )
        .await?
        .items;
        let mut people: Vec<i64> = holders
            .iter()
            .map(|c| c.participant_id)
            .filter(|p| Some(*p) != own)
            .collect();
        people.sort_unstable();
        for (i, participant_id) in people.iter().take(4).enumerate() {
            let score = [5, 4, 4, 3][i];
            let ratings = Ratings {
                overall: score,
                trainers: 5,
                venue: [3, 4, 3, 4][i],
                materials: 4,
                topics: topics
                    .iter()
                    .enumerate()
                    .map(|(t, topic)| (topic.clone(), 3 + ((t + i) % 3) as i32))
                    .collect::<BTreeMap<_, _>>(),
            };
            evaluations::submit(
                db,
                admin,
                workshop_id,
                NewEvaluation {
                    participant_id: Some(*participant_id),
                    ratings,
                    most_useful: useful[i].map(str::to_owned),
                    suggestions: suggestions[i].map(str::to_owned),
                },
            )
            .await?;
        }
        // Certified participants share what they learnt in their wards.
        let today = crate::domain::schedule::local_today();
        for (i, participant_id) in people.iter().take(3).enumerate() {
            let female = 9 + 4 * i as i32;
            let male = 6 + 3 * i as i32;
            let bands = AgeBands {
                under_18: 2,
                age_18_35: female - 2,
                age_36_59: male - 1,
                age_60_plus: 1,
            };
            outreach::record(
                db,
                admin,
                NewOutreach {
                    participant_id: *participant_id,
                    workshop_id,
                    held_on: today - Days::new(3 + 4 * i as u64),
                    venue: [
                        "Mbare Community Hall",
                        "Matapi Flats courtyard",
                        "Ward 3 office",
                    ][i]
                        .into(),
                    ward: Some("Ward 3".into()),
                    topics: topics.iter().take(2 + i).cloned().collect(),
                    attendees: Attendees {
                        female,
                        male,
                        other: 0,
                        undisclosed: 0,
                    },
                    age_bands: Some(bands),
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// A birth year for a demo person, the same every run (spread over ages 19–66 in 2026).
fn demo_birth_year(name: &str) -> i32 {
    let seed: u32 = name.bytes().map(u32::from).sum();
    1960 + (seed % 48) as i32
}

/// Washington Group answers for a demo person, the same every run: most were asked, about one
/// in eight has a lot of difficulty in one domain, some were not asked.
fn demo_disability(name: &str) -> Option<crate::domain::demographics::WashingtonGroup> {
    use entity::participant::Difficulty::*;
    let seed: u32 = name.bytes().map(u32::from).sum();
    if seed.is_multiple_of(5) {
        return None;
    }
    let mut answers = crate::domain::demographics::WashingtonGroup {
        seeing: NoDifficulty,
        hearing: NoDifficulty,
        walking: NoDifficulty,
        cognition: NoDifficulty,
        self_care: NoDifficulty,
        communication: NoDifficulty,
    };
    match seed % 8 {
        0 => answers.walking = ALotOfDifficulty,
        1 | 2 => answers.seeing = SomeDifficulty,
        _ => {}
    }
    Some(answers)
}
