"""A whole workshop through the Python client generated from openapi/openapi.json.

Run by scripts/generated-client.sh against a server started there with the demo data:

    python3 scripts/generated_client_journey.py <base-url> <generated-client-dir>

Every call goes through the generated client and every answer is parsed by its generated models
(the script asserts the model type): organisation, participants (one form, three from a CSV
import), a ToT workshop, enrolments, five days of attendance, pre- and post-tests, completion,
certificates, a certificate's PDF and its signed credential, the summary report, a cascade
workshop under the ToT and the cascade tree, and a webhook subscription whose deliveries a
receiver here gets and verifies with the published `standardwebhooks` library. Exits non-zero
(an AssertionError) on the first answer that is not what the spec promises.
"""

from __future__ import annotations

import datetime
import http.server
import io
import json
import sys
import threading
import time

base_url, client_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, client_dir)

from cssd_client import AuthenticatedClient, Client  # noqa: E402
from cssd_client.api.attendance import mark_attendance, record_assessments  # noqa: E402
from cssd_client.api.auth import get_me, login  # noqa: E402
from cssd_client.api.certificates import (  # noqa: E402
    get_certificate_pdf,
    get_workshop_cascade,
    issue_certificates,
)
from cssd_client.api.courses import list_courses  # noqa: E402
from cssd_client.api.credentials import get_certificate_credential  # noqa: E402
from cssd_client.api.enrolments import create_enrolment, list_enrolments  # noqa: E402
from cssd_client.api.organisations import create_organisation  # noqa: E402
from cssd_client.api.participants import create_participant, import_participants  # noqa: E402
from cssd_client.api.reports import get_summary_report  # noqa: E402
from cssd_client.api.webhooks import create_webhook  # noqa: E402
from cssd_client.api.workshops import complete_workshop, create_workshop  # noqa: E402
from cssd_client.models import (  # noqa: E402
    AssessmentBatch,
    AssessmentKind,
    AssessmentOutcome,
    AssessmentRecord,
    AttendanceBatch,
    AttendanceOutcome,
    AttendanceRecord,
    AttendanceStatus,
    Cascade,
    Certificate,
    CoursePage,
    CreateEnrolment,
    CreateOrganisation,
    CreateParticipant,
    CreateWebhook,
    CreateWorkshop,
    CreatedWebhook,
    Enrolment,
    EnrolmentPage,
    EnrolmentStatus,
    ImportReport,
    IssueReport,
    Level,
    LoginRequest,
    LoginResponse,
    Me,
    Organisation,
    OrganisationKind,
    Participant,
    Province,
    SummaryReport,
    TargetGroup,
    WebhookEvent,
    Workshop,
)
from cssd_client.types import File  # noqa: E402
from standardwebhooks.webhooks import Webhook  # noqa: E402

steps: list[str] = []


def ok(response, model):
    """The answer's status is a success and the generated client parsed it as `model`."""
    assert 200 <= int(response.status_code) < 300, (
        f"{response.status_code}: {response.content[:500]!r}"
    )
    assert isinstance(response.parsed, model), (
        f"expected {model.__name__}, parsed {type(response.parsed).__name__}: "
        f"{response.content[:500]!r}"
    )
    steps.append(model.__name__)
    return response.parsed


# A receiver for the webhook deliveries, on a port of its own.
received: list[tuple[dict[str, str], bytes]] = []


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (the standard library's name)
        body = self.rfile.read(int(self.headers["content-length"]))
        received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=receiver.serve_forever, daemon=True).start()
receiver_url = f"http://127.0.0.1:{receiver.server_address[1]}/hooks"

started = time.monotonic()

session = ok(
    login.sync_detailed(
        client=Client(base_url=base_url),
        body=LoginRequest(email="admin@iwsd.demo", password="demo-admin-2026"),
    ),
    LoginResponse,
)
api = AuthenticatedClient(base_url=base_url, token=session.token)
me = ok(get_me.sync_detailed(client=api), Me)
assert me.email == "admin@iwsd.demo", me

hook = ok(
    create_webhook.sync_detailed(
        client=api,
        body=CreateWebhook(
            url=receiver_url,
            events=[WebhookEvent.ENROLMENT_CREATED, WebhookEvent.CERTIFICATE_ISSUED],
            description="The generated client's journey",
        ),
    ),
    CreatedWebhook,
)

courses = ok(list_courses.sync_detailed(client=api), CoursePage)
course = next(c for c in courses.items if c.code == "CSSD")

council = ok(
    create_organisation.sync_detailed(
        client=api,
        body=CreateOrganisation(
            name="Generated Client Rural District Council",
            kind=OrganisationKind.LOCAL_AUTHORITY,
            province=Province.MANICALAND,
            district="Mutasa",
        ),
    ),
    Organisation,
)

people = [
    ok(
        create_participant.sync_detailed(
            client=api,
            body=CreateParticipant(
                full_name=name,
                target_group=TargetGroup.COUNCILLOR,
                organisation_id=council.id,
                email=f"{name.split()[0].lower()}@journey.example",
            ),
        ),
        Participant,
    ).id
    for name in ["Tendai Moyo", "Rudo Chikomo"]
]
imported = ok(
    import_participants.sync_detailed(
        client=api,
        body=File(
            payload=io.BytesIO(
                b"full_name,target_group,email\n"
                b"Nyasha Dube,revenue,nyasha@journey.example\n"
                b"Sipho Ncube,community_champion,\n"
                b"Chipo Mlambo,ratepayer,chipo@journey.example\n"
            ),
            file_name="participants.csv",
            mime_type="text/csv",
        ),
    ),
    ImportReport,
)
assert imported.created == 3 and not imported.errors, imported
people += imported.participant_ids

# A ToT workshop that ran in the past, so each of its five days can be marked: the Monday of
# the week five weeks ago.
today = datetime.date.today()
monday = today - datetime.timedelta(days=today.weekday() + 35)
tot = ok(
    create_workshop.sync_detailed(
        client=api,
        body=CreateWorkshop(
            course_id=course.id,
            level=Level.TOT,
            start_date=monday,
            venue="Mutare Civic Centre",
            organisation_id=council.id,
        ),
    ),
    Workshop,
)

enrolments = [
    ok(
        create_enrolment.sync_detailed(
            tot.id, client=api, body=CreateEnrolment(participant_id=p, consent=True)
        ),
        Enrolment,
    )
    for p in people
]
assert all(e.status == EnrolmentStatus.ENROLLED for e in enrolments), enrolments
listed = ok(list_enrolments.sync_detailed(tot.id, client=api), EnrolmentPage)
assert listed.total == len(people), listed

marks = ok(
    mark_attendance.sync_detailed(
        tot.id,
        client=api,
        body=AttendanceBatch(
            records=[
                AttendanceRecord(enrolment_id=e.id, day=day, status=AttendanceStatus.PRESENT)
                for e in enrolments
                for day in range(1, 6)
            ]
        ),
    ),
    AttendanceOutcome,
)
assert marks.applied == 5 * len(enrolments), marks

scores = ok(
    record_assessments.sync_detailed(
        tot.id,
        client=api,
        body=AssessmentBatch(
            records=[
                AssessmentRecord(enrolment_id=e.id, kind=kind, score=score, max_score=100.0)
                for e in enrolments
                for kind, score in [(AssessmentKind.PRE_TEST, 45.0), (AssessmentKind.POST_TEST, 82.0)]
            ]
        ),
    ),
    AssessmentOutcome,
)

completed = ok(complete_workshop.sync_detailed(tot.id, client=api), Workshop)
assert completed.status.value == "completed", completed.status

issued = ok(issue_certificates.sync_detailed(tot.id, client=api), IssueReport)
assert len(issued.issued) == len(people), issued
certificate = issued.issued[0]

pdf = ok(get_certificate_pdf.sync_detailed(certificate.id, client=api), File)
assert pdf.payload.read(5) == b"%PDF-", "a certificate is a PDF"
credential = ok(get_certificate_credential.sync_detailed(certificate.id, client=api), str)
assert credential.count(".") == 2, "the default credential is a compact VC-JWT"

# A cascade workshop led by the ToT's graduates, and the tree it makes.
cascade_workshop = ok(
    create_workshop.sync_detailed(
        client=api,
        body=CreateWorkshop(
            course_id=course.id,
            level=Level.CASCADE,
            parent_workshop_id=tot.id,
            start_date=monday + datetime.timedelta(days=14),
            venue="Mutasa Ward 4 Hall",
            organisation_id=council.id,
        ),
    ),
    Workshop,
)
tree = ok(get_workshop_cascade.sync_detailed(tot.id, client=api), Cascade)
assert tree.totals.workshops == 2, tree.totals
assert tree.totals.certified == len(people), tree.totals
assert tree.root.children[0].workshop_id == cascade_workshop.id, tree.root

summary = ok(
    get_summary_report.sync_detailed(client=api, organisation_id=council.id), SummaryReport
)
assert summary.distinct_participants == len(people), summary.distinct_participants

# The deliveries: one `enrolment.created` per enrolment and one `certificate.issued` per
# certificate, each verified with the published library and its `data` read by the models.
verifier = Webhook(hook.secret)
expected = len(enrolments) + len(issued.issued)
deadline = time.monotonic() + 60
while len(received) < expected and time.monotonic() < deadline:
    time.sleep(0.1)
assert len(received) == expected, f"{len(received)} of {expected} deliveries arrived"
seen_ids = set()
for headers, body in received:
    event = verifier.verify(body, headers)
    assert headers["webhook-id"] not in seen_ids, "a delivery arrived twice"
    seen_ids.add(headers["webhook-id"])
    assert event == json.loads(body)
    if event["type"] == "enrolment.created":
        data = Enrolment.from_dict(event["data"])
        assert data.to_dict() == next(e for e in enrolments if e.id == data.id).to_dict(), data
    else:
        data = Certificate.from_dict(event["data"])
        assert data.to_dict() in [c.to_dict() for c in issued.issued], data
    steps.append(f"webhook {event['type']}")
types = sorted(json.loads(body)["type"] for _, body in received)
assert types.count("enrolment.created") == len(enrolments), types
assert types.count("certificate.issued") == len(issued.issued), types

receiver.shutdown()
print(
    f"generated-client journey: {len(steps)} steps "
    f"({len(received)} webhook deliveries verified) in {time.monotonic() - started:.2f} s"
)
