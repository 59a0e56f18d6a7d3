/**
 * A whole workshop through the TypeScript client generated from openapi/openapi.json with
 * @hey-api/openapi-ts (fetch client, zod schemas, SDK validators on).
 *
 * Run by scripts/generated-client-ts.sh, compiled with `tsc --strict` next to the generated
 * client (`./client/`), against a server started there with the demo data:
 *
 *     node journey.js <base-url>
 *
 * Every call goes through the generated SDK, which validates each request and each JSON answer
 * with the generated zod schemas; this script parses every answer again with the schema of the
 * resource it expects (and counts it): organisation, participants (one form, three from a CSV
 * import), a ToT workshop, enrolments, five days of attendance, pre- and post-tests, completion,
 * certificates, a certificate's PDF and its signed credential, the summary report, a cascade
 * workshop under the ToT and the cascade tree, and a webhook subscription whose deliveries a
 * receiver here verifies with the published `standardwebhooks` library, parsing each event's
 * `data` with the schema of the resource. Exits non-zero on the first answer that is not what
 * the spec promises.
 */

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Webhook } from 'standardwebhooks';
import type { z } from 'zod';

import { createClient } from './client/client/index.js';
import {
  completeWorkshop, createEnrolment, createOrganisation, createParticipant, createWebhook,
  createWorkshop, getCertificateCredential, getCertificatePdf, getMe, getSummaryReport,
  getWorkshopCascade, importParticipants, issueCertificates, listCourses, listEnrolments, login,
  markAttendance, recordAssessments,
} from './client/sdk.gen.js';
import {
  zAssessmentOutcome, zAttendanceOutcome, zCascade, zCertificate, zCoursePage, zCreatedWebhook,
  zCreateOrganisation, zEnrolment, zEnrolmentPage, zImportReport, zIssueReport, zLoginResponse,
  zMe, zOrganisation, zParticipant, zSummaryReport, zWorkshop,
} from './client/zod.gen.js';

const baseUrl = process.argv[2];
assert.ok(baseUrl, 'usage: node journey.js <base-url>');
const steps: string[] = [];
const started = performance.now();

/** The answer is a success, and its body parses with `schema` (the resource expected). */
function ok<S extends z.ZodType>(
  result: { data?: unknown; error?: unknown; response?: Response },
  schema: S,
  name: string,
): z.infer<S> {
  const status = result.response?.status ?? 0;
  assert.ok(status >= 200 && status < 300, `${name}: ${status} ${JSON.stringify(result.error)}`);
  const parsed = schema.safeParse(result.data);
  assert.ok(parsed.success, `${name}: ${parsed.error?.message} in ${JSON.stringify(result.data)}`);
  steps.push(name);
  return parsed.data;
}

/** The answer is a success with a body of this media type. */
function okBody(result: { data?: unknown; response?: Response }, type: string, name: string) {
  assert.equal(result.response?.status, 200, name);
  assert.ok(result.response?.headers.get('content-type')?.startsWith(type), name);
  steps.push(name);
  return result.data;
}

// A receiver for the webhook deliveries, on a port of its own.
const received: { headers: Record<string, string>; body: string }[] = [];
const receiver = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers[key] = value;
    }
    received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

const anonymous = createClient({ baseUrl });
const session = ok(
  await login({ client: anonymous, body: { email: 'admin@iwsd.demo', password: 'demo-admin-2026' } }),
  zLoginResponse, 'LoginResponse',
);
const client = createClient({ baseUrl, auth: session.token });
const me = ok(await getMe({ client }), zMe, 'Me');
assert.equal(me.email, 'admin@iwsd.demo');

const hook = ok(
  await createWebhook({
    client,
    body: {
      url: receiverUrl,
      events: ['enrolment.created', 'certificate.issued'],
      description: "The TypeScript client's journey",
    },
  }),
  zCreatedWebhook, 'CreatedWebhook',
);

const courses = ok(await listCourses({ client }), zCoursePage, 'CoursePage');
const course = courses.items.find((c) => c.code === 'CSSD');
assert.ok(course, 'the demo data has the CSSD course');

// The generated schemas refuse what the server refuses, before anything is sent: a name
// with a line separator (U+2028) or a right-to-left override.
for (const bad of ['Ward\u2028Council', 'Ward \u202Efdp.exe']) {
  const draft = { name: bad, kind: 'local_authority' as const };
  assert.ok(!zCreateOrganisation.safeParse(draft).success, JSON.stringify(bad));
}
assert.ok(zCreateOrganisation.safeParse({ name: 'Mutasa\u00A0RDC', kind: 'local_authority' }).success);

const council = ok(
  await createOrganisation({
    client,
    body: {
      name: 'TypeScript Client Rural District Council',
      kind: 'local_authority',
      province: 'manicaland',
      district: 'Mutasa',
    },
  }),
  zOrganisation, 'Organisation',
);

const people: number[] = [];
for (const name of ['Tendai Moyo', 'Rudo Chikomo']) {
  const person = ok(
    await createParticipant({
      client,
      body: {
        full_name: name,
        target_group: 'councillor',
        organisation_id: council.id,
        email: `${name.split(' ')[0].toLowerCase()}@ts-journey.example`,
      },
    }),
    zParticipant, 'Participant',
  );
  people.push(person.id);
}
const csv =
  'full_name,target_group,email\n' +
  'Nyasha Dube,revenue,nyasha@ts-journey.example\n' +
  'Sipho Ncube,community_champion,\n' +
  'Chipo Mlambo,ratepayer,chipo@ts-journey.example\n';
const imported = ok(
  await importParticipants({ client, body: new Blob([csv], { type: 'text/csv' }) }),
  zImportReport, 'ImportReport',
);
assert.equal(imported.created, 3, JSON.stringify(imported));
assert.equal(imported.errors.length, 0, JSON.stringify(imported));
people.push(...imported.participant_ids);

// A ToT workshop that ran in the past, so each of its five days can be marked: the Monday of
// the week five weeks ago.
const isoDay = (day: Date) => day.toISOString().slice(0, 10);
const today = new Date();
const monday = new Date(today);
monday.setUTCDate(today.getUTCDate() - ((today.getUTCDay() + 6) % 7) - 35);
const tot = ok(
  await createWorkshop({
    client,
    body: {
      course_id: course.id,
      level: 'tot',
      start_date: isoDay(monday),
      venue: 'Mutare Civic Centre',
      organisation_id: council.id,
    },
  }),
  zWorkshop, 'Workshop',
);

const enrolments = [];
for (const participant of people) {
  enrolments.push(
    ok(
      await createEnrolment({ client, path: { id: tot.id }, body: { participant_id: participant, consent: true } }),
      zEnrolment, 'Enrolment',
    ),
  );
}
assert.ok(enrolments.every((e) => e.status === 'enrolled'));
const listed = ok(await listEnrolments({ client, path: { id: tot.id } }), zEnrolmentPage, 'EnrolmentPage');
assert.equal(listed.total, people.length);

const marks = ok(
  await markAttendance({
    client,
    path: { id: tot.id },
    body: {
      records: enrolments.flatMap((e) =>
        [1, 2, 3, 4, 5].map((day) => ({ enrolment_id: e.id, day, status: 'present' as const })),
      ),
    },
  }),
  zAttendanceOutcome, 'AttendanceOutcome',
);
assert.equal(marks.applied, 5 * enrolments.length);

ok(
  await recordAssessments({
    client,
    path: { id: tot.id },
    body: {
      records: enrolments.flatMap((e) => [
        { enrolment_id: e.id, kind: 'pre_test' as const, score: 45, max_score: 100 },
        { enrolment_id: e.id, kind: 'post_test' as const, score: 82, max_score: 100 },
      ]),
    },
  }),
  zAssessmentOutcome, 'AssessmentOutcome',
);

const completed = ok(await completeWorkshop({ client, path: { id: tot.id } }), zWorkshop, 'Workshop');
assert.equal(completed.status, 'completed');

const issued = ok(await issueCertificates({ client, path: { id: tot.id } }), zIssueReport, 'IssueReport');
assert.equal(issued.issued.length, people.length);
const certificate = issued.issued[0];

const pdf = okBody(
  await getCertificatePdf({ client, path: { id: certificate.id }, parseAs: 'blob' }),
  'application/pdf', 'PDF',
) as Blob;
assert.equal(await pdf.slice(0, 5).text(), '%PDF-', 'a certificate is a PDF');
const credential = okBody(
  await getCertificateCredential({ client, path: { id: certificate.id }, parseAs: 'text' }),
  'application/vc+jwt', 'VC-JWT',
) as string;
assert.equal(credential.split('.').length, 3, 'the default credential is a compact VC-JWT');

// A cascade workshop led by the ToT's graduates, and the tree it makes.
const cascadeStart = new Date(monday);
cascadeStart.setUTCDate(monday.getUTCDate() + 14);
const cascadeWorkshop = ok(
  await createWorkshop({
    client,
    body: {
      course_id: course.id,
      level: 'cascade',
      parent_workshop_id: tot.id,
      start_date: isoDay(cascadeStart),
      venue: 'Mutasa Ward 4 Hall',
      organisation_id: council.id,
    },
  }),
  zWorkshop, 'Workshop',
);
const tree = ok(await getWorkshopCascade({ client, path: { id: tot.id } }), zCascade, 'Cascade');
assert.equal(tree.totals.workshops, 2);
assert.equal(tree.totals.certified, people.length);
assert.equal(tree.root.children[0].workshop_id, cascadeWorkshop.id);

const summary = ok(
  await getSummaryReport({ client, query: { organisation_id: council.id } }),
  zSummaryReport, 'SummaryReport',
);
assert.equal(summary.distinct_participants, people.length);

// The deliveries: one `enrolment.created` per enrolment and one `certificate.issued` per
// certificate, each verified with the published library, its `data` parsed by the schema of
// the resource and equal to what the API answered.
const expected = enrolments.length + issued.issued.length;
const deadline = Date.now() + 60_000;
while (received.length < expected && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
assert.equal(received.length, expected, `${received.length} of ${expected} deliveries arrived`);
const verifier = new Webhook(hook.secret);
const seen = new Set<string>();
for (const { headers, body } of received) {
  const event = verifier.verify(body, headers) as { type: string; data: unknown };
  assert.ok(!seen.has(headers['webhook-id']), 'a delivery arrived twice');
  seen.add(headers['webhook-id']);
  if (event.type === 'enrolment.created') {
    const data = ok({ data: event.data, response: new Response(null, { status: 200 }) }, zEnrolment, 'webhook enrolment.created');
    assert.deepEqual(data, enrolments.find((e) => e.id === data.id));
  } else {
    assert.equal(event.type, 'certificate.issued');
    const data = ok({ data: event.data, response: new Response(null, { status: 200 }) }, zCertificate, 'webhook certificate.issued');
    assert.deepEqual(data, issued.issued.find((c) => c.id === data.id));
  }
}

receiver.close();
console.log(
  `generated TypeScript client journey: ${steps.length} steps (${received.length} webhook deliveries verified) ` +
    `in ${((performance.now() - started) / 1000).toFixed(2)} s`,
);
