#!/usr/bin/env python3
"""Writes openapi/examples.json: a request and response example for the API's main operations,
each captured from a real server started here on a fresh SQLite database with the demo data.

    python3 scripts/capture-examples.py [target/debug/cssd] > openapi/examples.json

The spec (`src/api/spec.rs`) puts them on the operations; a test checks each still fits its
schema. Run it again when a schema changes. Standard library only.
"""
import datetime, json, os, shutil, subprocess, sys, tempfile, time, urllib.request, urllib.error

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/debug/cssd"
PORT = 18282
API = f"http://127.0.0.1:{PORT}"
work = tempfile.mkdtemp(prefix="cssd-examples.")
env = dict(os.environ, DATABASE_URL=f"sqlite://{work}/cssd.db?mode=rwc", CSSD_BIND=f"127.0.0.1:{PORT}",
           CSSD_PUBLIC_URL="https://training.iwsd.co.zw", CSSD_OUTBOX_DIR=f"{work}/outbox", RUST_LOG="warn")
server = subprocess.Popen([BIN, "--demo"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
examples = {}


def call(method, path, body=None, token=None, content_type="application/json"):
    data = None
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    req = urllib.request.Request(API + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req) as resp:
            text = resp.read().decode()
            return resp.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {path}: {e.code} {e.read().decode()}")


def shorten(value):
    """Lists cut to two entries: an example shows the shape, not the whole demo."""
    if isinstance(value, dict):
        return {k: shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shorten(v) for v in value[:2]]
    return value


def record(operation_id, method, path, body=None, token=None, content_type="application/json"):
    status, response = call(method, path, body, token, content_type)
    entry = {}
    if body is not None:
        entry["request"] = body
    if response is not None:
        entry["response"] = shorten(response)
    examples[operation_id] = entry
    return response


try:
    for _ in range(300):
        try:
            urllib.request.urlopen(API + "/health")
            break
        except Exception:
            time.sleep(0.2)
    login = {"email": "admin@iwsd.demo", "password": "demo-admin-2026"}
    admin = record("login", "POST", "/api/v1/auth/login", login)["token"]
    examples["login"]["response"]["token"] = "q8VbW0t3XyR2sPz7Lk4mNc1HdA9eFgJi"
    record("get_health", "GET", "/health")
    record("get_me", "GET", "/api/v1/me", token=admin)
    record("list_courses", "GET", "/api/v1/courses?limit=2", token=admin)
    record("get_course", "GET", "/api/v1/courses/1", token=admin)
    record("list_organisations", "GET", "/api/v1/organisations?limit=2", token=admin)
    record("list_participants", "GET", "/api/v1/participants?limit=2", token=admin)
    record("get_participant", "GET", "/api/v1/participants/2", token=admin)
    record("list_workshops", "GET", "/api/v1/workshops?level=cascade&limit=2", token=admin)
    record("get_workshop", "GET", "/api/v1/workshops/3", token=admin)
    record("get_workshop_schedule", "GET", "/api/v1/workshops/2/schedule", token=admin)
    record("get_workshop_cascade", "GET", "/api/v1/workshops/1/cascade", token=admin)
    record("list_enrolments", "GET", "/api/v1/workshops/3/enrolments?limit=2", token=admin)
    record("get_attendance", "GET", "/api/v1/workshops/2/attendance?limit=2", token=admin)
    record("get_results", "GET", "/api/v1/workshops/2/results", token=admin)
    cert = record("list_certificates", "GET", "/api/v1/certificates?workshop_id=2&limit=2", token=admin)
    cert_id = cert["items"][0]["id"]
    code = record("get_certificate", "GET", f"/api/v1/certificates/{cert_id}", token=admin)["verification_code"]
    record("verify_certificate", "GET", f"/api/v1/verify/{code}")
    record("list_emails", "GET", "/api/v1/emails?limit=2", token=admin)
    record("list_holidays", "GET", "/api/v1/holidays?from=2026-12-01&to=2026-12-31", token=admin)
    record("get_summary_report", "GET", "/api/v1/reports/summary", token=admin)
    record("list_trainers", "GET", "/api/v1/trainers", token=admin)
    record("list_users", "GET", "/api/v1/users?limit=2", token=admin)
    record("list_duplicate_participants", "GET", "/api/v1/participants/duplicates", token=admin)
    record("get_evaluation_summary", "GET", "/api/v1/workshops/2/evaluations/summary", token=admin)
    record("list_outreach", "GET", "/api/v1/outreach?workshop_id=2&limit=2", token=admin)

    org = record("create_organisation", "POST", "/api/v1/organisations",
                 {"name": "Epworth Local Board", "kind": "local_authority", "province": "harare",
                  "district": "Harare"}, admin)["id"]
    record("update_organisation", "PATCH", f"/api/v1/organisations/{org}",
           {"name": "Epworth Local Board (Ward offices)"}, admin)
    course = record("create_course", "POST", "/api/v1/courses",
                    {"code": "WASH", "title": "Water, Sanitation and Hygiene in the Community",
                     "description": "Household water treatment, sanitation and hygiene promotion.",
                     "duration_days": 5, "min_attendance_days": 4, "pass_mark": 60,
                     "topics": ["Safe water at home", "Sanitation options", "Hygiene promotion"]},
                    admin)["id"]
    record("update_course", "PATCH", f"/api/v1/courses/{course}", {"pass_mark": 65}, admin)
    person = record("create_participant", "POST", "/api/v1/participants",
                    {"full_name": "Rumbidzai Chari", "email": "rumbidzai.chari@example.org",
                     "phone": "+263 77 123 4567", "gender": "female", "organisation_id": org,
                     "target_group": "ratepayer", "ward": "Ward 7"}, admin)["id"]
    record("update_participant", "PATCH", f"/api/v1/participants/{person}",
           {"phone": "+263 71 765 4321", "ward": "Ward 8"}, admin)
    start = datetime.date.today() + datetime.timedelta(weeks=8)
    start -= datetime.timedelta(days=start.weekday())  # a Monday
    trainer = [u for u in call("GET", "/api/v1/users?role=trainer", token=admin)[1]["items"]
               if u["email"] == "trainer@iwsd.demo"][0]["id"]
    workshop = record("create_workshop", "POST", "/api/v1/workshops",
                      {"course_id": 1, "level": "community", "parent_workshop_id": 2,
                       "venue": "Epworth Community Hall", "organisation_id": org, "ward": "Ward 7",
                       "start_date": start.isoformat(), "capacity": 30, "trainer_ids": [trainer]},
                      admin)["id"]
    record("update_workshop", "PATCH", f"/api/v1/workshops/{workshop}", {"capacity": 35}, admin)
    record("create_enrolment", "POST", f"/api/v1/workshops/{workshop}/enrolments",
           {"participant_id": person}, admin)
    running = [w for w in call("GET", "/api/v1/workshops?status=in_progress", token=admin)[1]["items"]][0]["id"]
    enrolment = call("GET", f"/api/v1/workshops/{running}/enrolments?limit=1", token=admin)[1]["items"][0]["id"]
    record("mark_attendance", "PUT", f"/api/v1/workshops/{running}/attendance",
           {"records": [{"enrolment_id": enrolment, "day": 1, "status": "present",
                         "marked_at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")}]},
           admin)
    record("record_assessments", "PUT", f"/api/v1/workshops/{running}/assessments",
           {"records": [{"enrolment_id": enrolment, "kind": "pre_test", "score": 12, "max_score": 20}]}, admin)
    topics = call("GET", "/api/v1/courses/1", token=admin)[1]["topics"]
    learner = call("GET", "/api/v1/participants?q=Tafadzwa", token=admin)[1]["items"][0]["id"]
    record("create_evaluation", "POST", "/api/v1/workshops/2/evaluations",
           {"participant_id": learner,
            "ratings": {"overall": 5, "trainers": 5, "venue": 3, "materials": 4,
                        "topics": {t: 4 for t in topics}},
            "most_useful": "How to report a burst pipe and follow it up.",
            "suggestions": "More time for the action plan."}, admin)
    record("create_outreach", "POST", "/api/v1/outreach",
           {"participant_id": learner, "workshop_id": 2, "held_on": datetime.date.today().isoformat(),
            "venue": "Mbare Flats, Block 4", "ward": "Ward 3",
            "topics": topics[5:7],
            "attendees": {"female": 14, "male": 9, "other": 0, "undisclosed": 1}}, admin)
    record("create_holiday", "POST", "/api/v1/holidays",
           {"date": "2027-03-03", "name": "National day of mourning"}, admin)
    record("create_api_key", "POST", "/api/v1/api-keys",
           {"name": "Harare records office", "scopes": ["read", "enrol"]}, admin)
    examples["create_api_key"]["response"]["key"] = "cssd_live_8rT1kP0aZq3Vx6YwN2mB5cLd"
    user = record("create_user", "POST", "/api/v1/users",
                  {"name": "Tendai Moyo", "email": "tendai.moyo@iwsd.co.zw", "role": "trainer",
                   "password": "kariba-sunrise-2027"}, admin)["id"]
    record("update_user", "PATCH", f"/api/v1/users/{user}", {"name": "Tendai S. Moyo"}, admin)
    pair = call("GET", "/api/v1/participants/duplicates", token=admin)[1]["items"][0]["participants"]
    ids = sorted(p["id"] for p in pair)
    record("merge_participant", "POST", f"/api/v1/participants/{ids[1]}/merge", {"into_id": ids[0]}, admin)
    csv = ("full_name,email,phone,gender,organisation_id,target_group,ward\r\n"
           "Chiedza Mhike,chiedza@example.org,+263 77 000 1111,female,1,water_supply,Ward 17\r\n"
           "Brighton Sithole,,,male,1,wastewater,Ward 17\r\n")
    record("import_participants", "POST", "/api/v1/participants/import", csv, admin, "text/csv")
    record("revoke_certificate", "POST", f"/api/v1/certificates/{cert_id}/revoke",
           {"reason": "Issued in error: the participant missed two days."}, admin)
finally:
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)

json.dump(examples, sys.stdout, indent=2, ensure_ascii=False, sort_keys=True)
sys.stdout.write("\n")
