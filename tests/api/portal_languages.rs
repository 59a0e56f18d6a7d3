//! The participant's pages in English, Shona and Ndebele (API.md, "Languages"), and the
//! evaluation form in the portal ("Evaluations from the portal"), over HTTP as a browser sees
//! them.

use entity::evaluation;
use reqwest::header;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    browser::{Browser, Page},
    helpers::{TestApp, future_monday, spawn_app},
    web::{give_email, issue, participant_browser},
};

/// GET with extra request headers (`Accept-Language`), keeping the browser's cookies.
async fn get_with(browser: &mut Browser<'_>, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut req = browser
        .client
        .get(format!("{}{path}", browser.app.base))
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, browser.cookie_header());
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.unwrap();
    browser.read(resp).await
}

#[track_caller]
fn assert_language(page: &Page, code: &str) {
    assert!(
        page.text.contains(&format!("<html lang=\"{code}\">")),
        "<html lang=\"{code}\"> in {}",
        page.text
    );
    assert_eq!(page.header("content-language"), code);
    let vary: Vec<&str> = page
        .headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        vary.iter()
            .any(|v| v.to_ascii_lowercase().contains("accept-language")),
        "Vary: {vary:?}"
    );
}

/// A completed workshop (2–6 March 2026) with a certified "Tendai Moyo" who attended every
/// day and "Rudo Dube" who came on one day; returns (workshop, [(participant, enrolment)],
/// certificates).
async fn workshop_with_people(app: &TestApp) -> (i64, Vec<(i64, i64)>, Vec<Value>) {
    let course = app.course("LNG", 5).await;
    let (w, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Tendai Moyo", Some(80.0)), ("Rudo Dube", None)],
        )
        .await;
    let issued = issue(app, w).await;
    (w, people, issued.as_array().unwrap().clone())
}

// --- Languages ------------------------------------------------------------------------------

#[tokio::test]
async fn the_certificate_check_speaks_shona_by_query_and_ndebele_by_browser() {
    let app = spawn_app().await;
    let (_, _, certs) = workshop_with_people(&app).await;
    let code = certs[0]["verification_code"].as_str().unwrap().to_owned();
    let mut browser = Browser::new(&app);

    let sn = browser.get(&format!("/verify/{code}?lang=sn")).await;
    sn.assert_html(200);
    assert_language(&sn, "sn");
    assert!(sn.text.contains("CHIRI PAMUTEMO"), "{}", sn.text);
    assert!(sn.text.contains("Muridzi"));
    assert!(sn.text.contains("2 – 6 Kurume 2026"), "{}", sn.text);

    let nd = get_with(
        &mut browser,
        &format!("/verify/{code}"),
        &[("accept-language", "nd-ZW, en;q=0.5")],
    )
    .await;
    nd.assert_html(200);
    assert_language(&nd, "nd");
    assert!(nd.text.contains("SISEMTHETHWENI"), "{}", nd.text);
    assert!(nd.text.contains("uMbimbitho"), "{}", nd.text);

    // `?lang=` wins over the browser's language; nothing asked: English.
    let query_wins = get_with(
        &mut browser,
        &format!("/verify/{code}?lang=sn"),
        &[("accept-language", "nd")],
    )
    .await;
    assert_language(&query_wins, "sn");
    let en = browser.get(&format!("/verify/{code}")).await;
    assert_language(&en, "en");
    assert!(en.text.contains("VALID") && en.text.contains("2 – 6 March 2026"));

    let unknown = browser.get("/verify/no-such-code?lang=nd").await;
    unknown.assert_html(404);
    assert_language(&unknown, "nd");
    assert!(
        unknown.text.contains("KASITHOLAKALANGA"),
        "{}",
        unknown.text
    );
    let unknown = get_with(
        &mut browser,
        "/verify/no-such-code",
        &[("accept-language", "sn")],
    )
    .await;
    unknown.assert_html(404);
    assert!(
        unknown.text.contains("HACHINA KUWANIKWA"),
        "{}",
        unknown.text
    );
}

#[tokio::test]
async fn every_participant_page_has_a_switch_to_the_same_address_in_each_language() {
    let app = spawn_app().await;
    let (_, _, certs) = workshop_with_people(&app).await;
    let code = certs[0]["verification_code"].as_str().unwrap().to_owned();
    let mut browser = Browser::new(&app);
    let page = browser.get(&format!("/verify/{code}?lang=nd")).await;
    for lang in ["en", "sn", "nd"] {
        assert!(
            page.text.contains(&format!(
                "href=\"/verify/{code}?lang={lang}\" hreflang=\"{lang}\""
            )),
            "switch to {lang} in {}",
            page.text
        );
    }
    assert!(
        page.text
            .contains("lang=\"nd\" aria-current=\"true\">isiNdebele</a>"),
        "{}",
        page.text
    );
    let switched = browser.get(&format!("/verify/{code}?lang=sn")).await;
    assert_language(&switched, "sn");

    // The portal's sign-in page, by the browser's language, switches too.
    let portal = get_with(&mut browser, "/portal", &[("accept-language", "sn")]).await;
    portal.assert_html(200);
    assert_language(&portal, "sn");
    assert!(portal.text.contains("Kero yeemail"), "{}", portal.text);
    assert!(
        portal.text.contains("href=\"/portal?lang=nd\""),
        "{}",
        portal.text
    );
    let portal = browser.get("/portal?lang=nd").await;
    assert_language(&portal, "nd");
    assert!(portal.text.contains("Ngithumelele ilinki yokungena"));
}

#[tokio::test]
async fn the_portals_sign_in_pages_and_errors_come_in_shona_and_ndebele() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let form = browser.get("/portal?lang=nd").await;
    let csrf = form.csrf();
    let resp = browser
        .client
        .post(format!("{}/portal/sign-in", app.base))
        .header(header::COOKIE, browser.cookie_header())
        .header("accept-language", "nd")
        .form(&[("csrf", csrf.as_str()), ("email", "nobody@example.org")])
        .send()
        .await
        .unwrap();
    let sent = browser.read(resp).await;
    sent.assert_html(200);
    assert_language(&sent, "nd");
    assert!(
        sent.text.contains("Khangela i-email yakho"),
        "{}",
        sent.text
    );
    assert!(sent.text.contains("Nxa nobody@example.org kungesomfundi"));
    // The switch of a page answering a form leads to the portal's start.
    assert!(
        sent.text.contains("href=\"/portal?lang=sn\""),
        "{}",
        sent.text
    );

    let invalid = get_with(
        &mut browser,
        "/portal/link/cssd_l_made-up",
        &[("accept-language", "sn")],
    )
    .await;
    invalid.assert_html(410);
    assert_language(&invalid, "sn");
    assert!(
        invalid.text.contains("Link iyi haishande"),
        "{}",
        invalid.text
    );

    // An error page in the asker's language, and a form without its token.
    let forged = Browser::new(&app)
        .post(
            "/portal/sign-in?lang=sn",
            &[("csrf", "made-up"), ("email", "nobody@example.org")],
        )
        .await;
    forged.assert_html(403);
    assert_language(&forged, "sn");
    assert!(forged.text.contains("Edza zvakare"), "{}", forged.text);
}

#[tokio::test]
async fn the_signed_in_portal_shows_workshops_dates_and_status_in_the_language_asked() {
    let app = spawn_app().await;
    let (_, people, _) = workshop_with_people(&app).await;
    give_email(&app, people[0].0, "tendai@example.org").await;
    let mut browser = participant_browser(&app, "tendai@example.org").await;
    let sn = browser.get("/portal?lang=sn").await;
    sn.assert_html(200);
    assert_language(&sn, "sn");
    assert!(sn.text.contains("Maworkshop angu"), "{}", sn.text);
    assert!(
        sn.text.contains("Zuva 1, 2 Kurume 2026: Roles"),
        "{}",
        sn.text
    );
    assert!(sn.text.contains("Wapinda: Tendai Moyo"), "{}", sn.text);
    // The participant's own language, once recorded, comes before the browser's.
    let resp = app
        .patch(
            &format!("/api/v1/participants/{}", people[0].0),
            json!({"language": "nd"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let nd = get_with(&mut browser, "/portal", &[("accept-language", "sn")]).await;
    assert_language(&nd, "nd");
    assert!(nd.text.contains("Izitifiketi zami"), "{}", nd.text);
    assert!(nd.text.contains("Hlola le-workshop"), "{}", nd.text);
    let missing = browser
        .get("/portal/workshops/999999/evaluation?lang=nd")
        .await;
    missing.assert_html(404);
    assert_language(&missing, "nd");
    assert!(missing.text.contains("Akutholakalanga"), "{}", missing.text);
}

// --- Evaluation from the portal ---------------------------------------------------------------

async fn evaluations_of(app: &TestApp, workshop: i64) -> Vec<evaluation::Model> {
    evaluation::Entity::find()
        .filter(evaluation::Column::WorkshopId.eq(workshop))
        .all(&app.state.db)
        .await
        .unwrap()
}

fn answers<'a>(csrf: &'a str, overall: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("overall", overall),
        ("trainers", "4"),
        ("venue", "3"),
        ("materials", "5"),
        ("topic-0", "5"),
        ("topic-1", "4"),
        ("topic-2", "4"),
        ("topic-3", "3"),
        // "Champions" left blank, as on a paper form.
        ("topic-4", ""),
        ("most_useful", "The role plays"),
        ("suggestions", ""),
    ]
}

#[tokio::test]
async fn a_participant_evaluates_from_the_portal_leaving_a_topic_unrated_once() {
    let app = spawn_app().await;
    let (w, people, _) = workshop_with_people(&app).await;
    give_email(&app, people[0].0, "tendai@example.org").await;
    let mut browser = participant_browser(&app, "tendai@example.org").await;

    let home = browser.get("/portal").await;
    let link = format!("href=\"/portal/workshops/{w}/evaluation?lang=en\"");
    assert!(home.text.contains(&link), "{}", home.text);
    assert!(home.text.contains("Evaluate this workshop"));

    let path = format!("/portal/workshops/{w}/evaluation");
    let form = browser.get(&path).await;
    form.assert_html(200);
    assert!(!form.text.contains("<script"), "works without script");
    assert!(form.text.contains("Topic: Champions"), "{}", form.text);
    assert!(form.text.contains("name=\"topic-4\" value=\"\" checked"));
    let csrf = form.csrf();

    let thanks = browser.post(&path, &answers(&csrf, "5")).await;
    thanks.assert_html(200);
    assert!(thanks.text.contains("Thank you"), "{}", thanks.text);
    let saved = evaluations_of(&app, w).await;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].participant_id, people[0].0);
    assert_eq!((saved[0].overall, saved[0].venue), (5, 3));
    let topics: serde_json::Map<String, Value> =
        serde_json::from_str(&saved[0].topic_ratings).unwrap();
    assert_eq!(topics.len(), 4, "{topics:?}");
    assert!(!topics.contains_key("Champions"));
    assert_eq!(topics["Roles"], 5);
    assert_eq!(saved[0].most_useful.as_deref(), Some("The role plays"));
    assert_eq!(saved[0].suggestions, None);

    let home = browser.get("/portal").await;
    assert!(!home.text.contains(&link), "{}", home.text);
    assert!(home.text.contains("You have evaluated this workshop."));

    // A second submission is refused clearly, as the API refuses it.
    let again = browser.post(&path, &answers(&csrf, "1")).await;
    again.assert_html(409);
    assert!(again.text.contains("already evaluated"), "{}", again.text);
    let again = browser.get(&format!("{path}?lang=sn")).await;
    again.assert_html(409);
    assert!(
        again.text.contains("Wakatoongorora workshop iyi"),
        "{}",
        again.text
    );
    assert_eq!(evaluations_of(&app, w).await.len(), 1);
    assert_eq!(evaluations_of(&app, w).await[0].overall, 5);
}

#[tokio::test]
async fn the_evaluation_form_comes_in_shona_and_ndebele() {
    let app = spawn_app().await;
    let (w, people, _) = workshop_with_people(&app).await;
    give_email(&app, people[0].0, "tendai@example.org").await;
    let mut browser = participant_browser(&app, "tendai@example.org").await;
    let path = format!("/portal/workshops/{w}/evaluation");
    let sn = browser.get(&format!("{path}?lang=sn")).await;
    sn.assert_html(200);
    assert_language(&sn, "sn");
    assert!(sn.text.contains("Ongorora workshop iyi"), "{}", sn.text);
    assert!(sn.text.contains("Musoro: Champions"));
    assert!(sn.text.contains("Hapana mamakisi"));
    assert!(sn.text.contains(&format!("href=\"{path}?lang=nd\"")));
    let resp = app
        .patch(
            &format!("/api/v1/participants/{}", people[0].0),
            json!({"language": "nd"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let nd = get_with(&mut browser, &path, &[("accept-language", "en")]).await;
    nd.assert_html(200);
    assert_language(&nd, "nd");
    assert!(nd.text.contains("Isihloko: Champions"), "{}", nd.text);
    assert!(nd.text.contains("Thumela ukuhlola kwami"));
}

#[tokio::test]
async fn a_rating_out_of_range_or_missing_is_shown_next_to_its_field_and_saves_nothing() {
    let app = spawn_app().await;
    let (w, people, _) = workshop_with_people(&app).await;
    give_email(&app, people[0].0, "tendai@example.org").await;
    let mut browser = participant_browser(&app, "tendai@example.org").await;
    let path = format!("/portal/workshops/{w}/evaluation");
    let csrf = browser.get(&path).await.csrf();

    let high = browser.post(&path, &answers(&csrf, "6")).await;
    high.assert_html(422);
    assert!(high.text.contains("Please check the answers marked below."));
    assert!(
        high.text.contains(
            "<p class=\"field-error\" id=\"err-overall\">Choose a rating from 1 to 5.</p>"
        ),
        "{}",
        high.text
    );
    assert!(!high.text.contains("id=\"err-trainers\""));
    // What was entered stays entered.
    assert!(
        high.text.contains("name=\"venue\" value=\"3\" checked"),
        "{}",
        high.text
    );
    assert!(high.text.contains(">The role plays</textarea>"));

    let mut bad_topic = answers(&csrf, "4");
    bad_topic[5] = ("topic-0", "9");
    let resp = browser.post(&path, &bad_topic).await;
    resp.assert_html(422);
    assert!(resp.text.contains("id=\"err-topic-0\""), "{}", resp.text);

    let missing: Vec<_> = answers(&csrf, "4")
        .into_iter()
        .filter(|(name, _)| *name != "overall")
        .collect();
    let resp = browser.post(&path, &missing).await;
    resp.assert_html(422);
    assert!(resp.text.contains("id=\"err-overall\""));

    let mut hidden = answers(&csrf, "4");
    hidden[10] = ("most_useful", "hidden\u{202E}text");
    let resp = browser.post(&path, &hidden).await;
    resp.assert_html(422);
    assert!(
        resp.text.contains("id=\"err-most_useful\""),
        "{}",
        resp.text
    );

    assert!(evaluations_of(&app, w).await.is_empty());
}

#[tokio::test]
async fn only_a_signed_in_participant_who_attended_their_own_workshop_may_evaluate_it() {
    let app = spawn_app().await;
    let (w, people, _) = workshop_with_people(&app).await;
    let path = format!("/portal/workshops/{w}/evaluation");

    // Not signed in: to the sign-in page.
    let mut anonymous = Browser::new(&app);
    let resp = anonymous.get(&path).await;
    assert_eq!(resp.status, 303);
    assert_eq!(resp.header("location"), "/portal");

    // Someone else's workshop: not found, and nothing saved by posting to it.
    let course = app.course("OTH", 5).await;
    let (other, _) = app
        .completed_workshop(course, "tot", None, &[], &[("Farai Ncube", Some(70.0))])
        .await;
    give_email(&app, people[0].0, "tendai@example.org").await;
    let mut tendai = participant_browser(&app, "tendai@example.org").await;
    let other_path = format!("/portal/workshops/{other}/evaluation");
    tendai.get(&other_path).await.assert_html(404);
    let csrf = tendai.get("/portal").await.csrf();
    tendai
        .post(&other_path, &answers(&csrf, "4"))
        .await
        .assert_html(404);
    assert!(evaluations_of(&app, other).await.is_empty());

    // A form without this browser's token changes nothing.
    let forged = Browser::new(&app).post(&path, &answers(&csrf, "4")).await;
    forged.assert_html(403);

    // A workshop still to come: it opens on its last day.
    let upcoming = app.workshop(course, &future_monday(), 35).await;
    let upcoming = upcoming["id"].as_i64().unwrap();
    let resp = app
        .post(
            &format!("/api/v1/workshops/{upcoming}/enrolments"),
            serde_json::json!({"participant_id": people[0].0}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    let not_yet = tendai
        .get(&format!("/portal/workshops/{upcoming}/evaluation"))
        .await;
    not_yet.assert_html(409);
    assert!(
        not_yet.text.contains("can be evaluated from its last day"),
        "{}",
        not_yet.text
    );
    let home = tendai.get("/portal").await;
    assert!(
        !home
            .text
            .contains(&format!("/portal/workshops/{upcoming}/evaluation"))
    );
    tendai
        .post(
            &format!("/portal/workshops/{upcoming}/evaluation"),
            &answers(&csrf, "4"),
        )
        .await
        .assert_html(409);
    assert_eq!(
        evaluation::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
}

// --- The paper evaluation form ----------------------------------------------------------------

#[tokio::test]
async fn the_paper_evaluation_form_prints_every_question_and_topic_for_trainers_and_admins_only() {
    let app = spawn_app().await;
    let (w, people, _) = workshop_with_people(&app).await;
    let path = format!("/api/v1/workshops/{w}/evaluation-form.pdf");
    let (status, content_type, pdf) = app.bytes(&path).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&pdf).expect("the PDF parses");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Workshop evaluation",
        "Course LNG (LNG)",
        "Town House, Harare",
        "The workshop overall",
        "The trainers",
        "The venue",
        "The materials",
        "Topic: Roles",
        "Topic: Processes",
        "Topic: Engagement",
        "Topic: Trust",
        "Topic: Champions",
        "What was most useful to you?",
        "What should IWSD do better?",
    ] {
        assert!(flat.contains(expected), "{expected:?} in {flat}");
    }

    // A participant may not have it; an unknown workshop is 404.
    let token = app
        .user_token("participant", "tendai@example.org", Some(people[0].0))
        .await;
    app.with_token(&token).get(&path).await.assert_problem(403);
    app.get("/api/v1/workshops/999999/evaluation-form.pdf")
        .await
        .assert_problem(404);
    app.anonymous().get(&path).await.assert_problem(401);
}

/// A participant page in Shona: `<html lang="sn">`, the site's name and footer in Shona (the
/// layout's, not English's), and none of the English sentences given.
#[track_caller]
fn assert_all_shona(page: &Page, english: &[&str]) {
    assert!(
        page.text.contains("<html lang=\"sn\">"),
        "<html lang=\"sn\"> in {}",
        page.text
    );
    assert!(!page.text.contains(" lang=\"en\">\n"), "{}", page.text);
    assert!(
        page.text
            .contains("<span class=\"brand\">Kudzidziswa neIWSD</span>"),
        "the site's name in Shona: {}",
        page.text
    );
    assert!(
        !page.text.contains(">IWSD Training<"),
        "no English site name: {}",
        page.text
    );
    assert!(
        page.text.contains(
            "<footer class=\"foot\">Institute of Water and Sanitation Development (IWSD)</footer>"
        ),
        "the footer: {}",
        page.text
    );
    for sentence in english {
        assert!(
            !page.text.contains(sentence),
            "{sentence:?} in {}",
            page.text
        );
    }
}

#[tokio::test]
async fn every_participant_page_in_shona_is_shona_from_html_lang_to_footer() {
    let app = spawn_app().await;
    let (w, people, certs) = workshop_with_people(&app).await;
    let code = certs[0]["verification_code"].as_str().unwrap().to_owned();
    let course = app.course("CAT", 3).await;
    let public = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "Mbare Hall",
                   "start_date": future_monday(), "public": true}),
        )
        .await;
    assert_eq!(public.status, 201, "{}", public.text);
    let public = public.body["id"].as_i64().unwrap();
    let mut browser = Browser::new(&app);
    let mut pages = vec![];
    for path in [
        format!("/verify/{code}?lang=sn"),
        "/portal?lang=sn".to_owned(),
        "/portal/phone?lang=sn".to_owned(),
        "/portal/link/cssd_l_made-up?lang=sn".to_owned(),
        "/catalogue?lang=sn".to_owned(),
        format!("/catalogue/{public}?lang=sn"),
    ] {
        pages.push((path.clone(), browser.get(&path).await));
    }
    // The code form answers the phone form, in the language the phone form was in.
    let form = browser.get("/portal/phone?lang=sn").await;
    let csrf = form.csrf();
    let code_page = browser
        .post(
            "/portal/phone",
            &[("csrf", &csrf), ("lang", "sn"), ("phone", "0771234567")],
        )
        .await;
    code_page.assert_html(200);
    pages.push(("the code form".to_owned(), code_page));
    // An application with its fields wrong: the service's rules said in Shona.
    let apply = browser.get(&format!("/catalogue/{public}?lang=sn")).await;
    let csrf = apply.csrf();
    let refused = browser
        .post(
            &format!("/catalogue/{public}/apply?lang=sn"),
            &[
                ("csrf", &csrf),
                ("full_name", ""),
                ("phone", "12"),
                ("target_group", "community_champion"),
            ],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.text);
    assert!(
        refused.text.contains("Iyi haisi nhamba yenhare"),
        "{}",
        refused.text
    );
    pages.push(("the refused application".to_owned(), refused));

    // Signed in: the portal (with a workshop that earned no certificate, and why) and the
    // evaluation form.
    give_email(&app, people[1].0, "rudo@example.org").await;
    let mut rudo = participant_browser(&app, "rudo@example.org").await;
    let home = rudo.get("/portal?lang=sn").await;
    assert!(
        home.text.contains("Wakapinda mazuva 1 pamazuva"),
        "{}",
        home.text
    );
    pages.push(("the portal".to_owned(), home));
    pages.push((
        "a workshop that is not there".to_owned(),
        rudo.get("/portal/workshops/999999/evaluation?lang=sn")
            .await,
    ));
    pages.push((
        "the evaluation form".to_owned(),
        rudo.get(&format!("/portal/workshops/{w}/evaluation?lang=sn"))
            .await,
    ));
    let english = [
        "attended 1 of",
        "no post-test recorded",
        "must be a valid phone number",
        "must not be empty",
        "give an email address",
        "must be true",
    ];
    for (what, page) in &pages {
        assert!(
            page.status.as_u16() < 500 && !page.text.is_empty(),
            "{what}: {} {}",
            page.status,
            page.text
        );
        assert_all_shona(page, &english);
    }
}

/// The stored mail of `kind` to `to`, newest last: (subject, plain text).
async fn mail_to(
    app: &TestApp,
    to: &str,
    kind: entity::email_outbox::EmailKind,
) -> Vec<(String, String)> {
    use entity::email_outbox;
    email_outbox::Entity::find()
        .filter(email_outbox::Column::Recipient.eq(to))
        .filter(email_outbox::Column::Kind.eq(kind))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.subject, m.body_text))
        .collect()
}

#[tokio::test]
async fn the_sign_in_link_and_the_certificate_are_mailed_in_the_participants_language() {
    use entity::email_outbox::EmailKind;
    let app = spawn_app().await;
    let course = app.course("MLS", 5).await;
    let (w, people) = app
        .completed_workshop(course, "tot", None, &[], &[("Tendai Moyo", Some(80.0))])
        .await;
    let resp = app
        .patch(
            &format!("/api/v1/participants/{}", people[0].0),
            json!({"email": "tendai@example.org", "language": "sn"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let issued = issue(&app, w).await;
    let certificate = &issued[0];
    let mailed = mail_to(&app, "tendai@example.org", EmailKind::Certificate).await;
    assert_eq!(mailed.len(), 1);
    let (subject, text) = &mailed[0];
    assert_eq!(subject, "Setifiketi yako: Course MLS (MLS)");
    assert!(text.starts_with("Mhoro Tendai Moyo,"), "{text}");
    assert!(
        text.contains(certificate["number"].as_str().unwrap()),
        "{text}"
    );
    assert!(
        text.contains(certificate["verification_url"].as_str().unwrap()),
        "{text}"
    );
    assert!(
        !text.contains("Congratulations") && !text.contains("Dear"),
        "{text}"
    );

    let resp = app
        .anonymous()
        .post(
            "/api/v1/auth/email-link",
            json!({"email": "tendai@example.org"}),
        )
        .await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    crate::helpers::eventually("the sign-in link is queued", || async {
        !mail_to(&app, "tendai@example.org", EmailKind::SignInLink)
            .await
            .is_empty()
    })
    .await;
    let mailed = mail_to(&app, "tendai@example.org", EmailKind::SignInLink).await;
    assert_eq!(mailed.len(), 1);
    let (subject, text) = &mailed[0];
    assert_eq!(subject, "Link yako yekupinda muIWSD Training");
    assert!(text.contains("/portal/link/"), "{text}");
    assert!(text.contains("maminitsi 30"), "{text}");

    // In Ndebele once the participant says so; a reissued certificate too.
    app.patch(
        &format!("/api/v1/participants/{}", people[0].0),
        json!({"language": "nd"}),
    )
    .await;
    let id = certificate["id"].as_i64().unwrap();
    let resp = app
        .post(
            &format!("/api/v1/certificates/{id}/reissue"),
            json!({"reason": "Igama lalibhalwe kubi"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    let mailed = mail_to(&app, "tendai@example.org", EmailKind::Certificate).await;
    assert_eq!(mailed.len(), 2);
    let (subject, text) = &mailed[1];
    assert_eq!(
        subject,
        "Isitifiketi sakho esilungisiweyo: Course MLS (MLS)"
    );
    assert!(text.starts_with("Sawubona Tendai Moyo,"), "{text}");
    assert!(text.contains("Isizatho: Igama lalibhalwe kubi"), "{text}");
    assert!(
        text.contains(resp.body["verification_url"].as_str().unwrap()),
        "{text}"
    );
}
