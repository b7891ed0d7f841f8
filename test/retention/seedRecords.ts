import { CheckStore, type FilterCheck } from '../../bot/filtering/filterCheck';
import type { FilterRequest, RequestStatus } from '../../bot/filtering/filterRequest';
import { RequestStore } from '../../bot/filtering/requestStore';
import { QuestionLog } from '../../bot/policy/questionLog';
import type { TableProvisioner } from '../../bot/storage/tableService';
import type { CallRecord } from '../../bot/calls/callRecord';
import { CallStore } from '../../bot/calls/callStore';
import type { TutorLog } from '../../bot/tutoring/tutorLog';
import { TutorLogStore } from '../../bot/tutoring/tutorLogStore';
import { weekStart } from '../../bot/calendar/schoolTime';

/**
 * Words and names put into seeded records: none of them may survive in an archive copy, a count
 * or an audit line the sweep writes.
 */
export const CONTENT = {
  website: 'jamie-example-blog.example.com',
  filterReason: 'Year 10 research on extremism for a history essay',
  declineReason: 'Not suitable for the whole year group',
  requester: 'Olivia Teacher',
  topic: 'Talked about exam stress and sleep',
  absentees: 'Alex Pupilname, Casey Pupilname',
  pupil: 'Morgan Pupilname',
  callReason: 'Worried about friendships at home',
  note: 'Morgan said things at home are hard since the move',
  question: 'Can I message Morgan Pupilname on WhatsApp?',
  tested: 'searched for gambling sites on the library PCs',
  followUp: 'Ask the vendor to block the new proxy list',
};

const person = { id: 'o.teacher@hollinspark.example.org', name: CONTENT.requester, aadObjectId: '11111111-1111-4111-8111-111111111111' };
const staff = { key: 'o.teacher@hollinspark.example.org', name: CONTENT.requester, email: 'o.teacher@hollinspark.example.org' };

/** A filter request as the request flow stores it, closed (`declined`/`ended`) on `closedAt`. */
export async function seedFilterRequest(tables: TableProvisioner, reference: string, status: RequestStatus, requestedAt: string, closedAt?: string): Promise<FilterRequest> {
  const request: FilterRequest = {
    reference,
    details: { targetKind: 'website', target: CONTENT.website, change: 'unblock', audience: 'year', audienceDetail: 'Year 10', duration: 'temporary', endDate: '2026-12-20', reason: CONTENT.filterReason, neededBy: requestedAt.slice(0, 10) },
    requestedBy: person,
    requestedAt,
    status,
    chain: ['sanction', 'authorise', 'make', 'confirm'],
    history:
      status === 'declined'
        ? [{ step: 'sanction', outcome: 'declined', by: { id: 'dkhan', name: 'Daniel Khan' }, at: closedAt!, reason: CONTENT.declineReason }]
        : [{ step: 'sanction', outcome: 'done', by: { id: 'dkhan', name: 'Daniel Khan' }, at: requestedAt }, { step: 'make', outcome: 'done', by: { id: 'swu', name: 'Sarah Wu' }, at: requestedAt, filterReference: 'SW-1234' }],
    reviews: status === 'ended' ? [{ kind: 'expiry', outcome: 'reverted', by: { id: 'mcole', name: 'Mark Cole' }, at: closedAt!, note: CONTENT.followUp }] : [],
  };
  await new RequestStore(tables).create(request);
  return request;
}

export async function seedFilterCheck(tables: TableProvisioner, date: string): Promise<string> {
  const check: FilterCheck = { date, by: person, tested: CONTENT.tested, devices: 'library PCs', userGroups: 'Year 9 pupils', result: 'partly', followUp: CONTENT.followUp, recordedAt: `${date}T10:00:00.000Z` };
  return new CheckStore(tables).add(check, new Date(`${date}T10:00:00Z`));
}

export async function seedTutorLog(tables: TableProvisioner, date: string, uniqueBy: string): Promise<TutorLog> {
  const week = weekStart(date);
  const log: TutorLog = { id: TutorLogStore.newId(week, uniqueBy), week, group: '9B', date, time: '08:40', mode: 'in-person', attended: 24, absentees: CONTENT.absentees, topic: CONTENT.topic, concern: true, loggedBy: staff, loggedAt: `${date}T09:00:00.000Z`, loggedOn: date };
  await new TutorLogStore(tables).create(log);
  return log;
}

/** A pastoral audio call that was held, with its secure note. */
export async function seedCall(tables: TableProvisioner, date: string, uniqueBy: string): Promise<CallRecord> {
  const store = new CallStore(tables);
  const call: CallRecord = {
    id: CallStore.newId(date, uniqueBy),
    kind: 'audio',
    purpose: 'pastoral-catch-up',
    purposeLabel: 'Pastoral catch-up',
    pupil: { name: CONTENT.pupil, year: 'Year 9' },
    section: 'Senior',
    date,
    time: '16:00',
    reason: CONTENT.callReason,
    pastoral: true,
    requirements: ['Book it in the Teams calendar'],
    teacher: staff,
    state: 'held',
    createdAt: `${date}T08:00:00.000Z`,
    permission: { role: 'deputy-head-pastoral', decision: 'approved', decidedBy: { key: 'efisher', name: 'Emma Fisher' }, decidedAt: `${date}T09:00:00.000Z`, comment: 'Fine, keep it short' },
    held: { date, time: '16:00', recordedAt: `${date}T16:30:00.000Z` },
  };
  await store.create(call);
  await store.addNote({ callId: call.id, author: staff, text: CONTENT.note, writtenAt: `${date}T16:40:00.000Z` });
  return call;
}

export async function seedQuestion(tables: TableProvisioner, at: string): Promise<string> {
  const log = new QuestionLog(tables);
  const id = log.newId(new Date(at));
  await log.record({ id, question: CONTENT.question, asker: { id: person.id, name: person.name }, at, found: true, source: 'policy', citation: '4.2', score: 3 });
  return id;
}
