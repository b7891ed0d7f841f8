import assert from 'node:assert/strict';
import type { FilterRequest } from '../../bot/filtering/filterRequest';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { contentFreeCall, contentFreeCase, contentFreeFilterRequest, contentFreeHistory } from '../../bot/retention/contentFree';
import type { AuditEvent } from '../../bot/storage/auditLog';
import type { CallRecord } from '../../bot/calls/callRecord';

/** Every free-text or identifying field carries "SECRET": none may reach a copy. */
const fullCase: IncidentCase = {
  ref: 'INC-2026-0042',
  category: 'grooming',
  subject: 'pupil',
  section: 'Senior',
  urgency: 'P1',
  policeReferral: true,
  immediateDanger: true,
  reportedAt: '2026-11-20T10:00:00.000Z',
  reporter: { id: 'SECRET-reporter-id', name: 'SECRET reporter', aadObjectId: 'SECRET-aad' },
  source: 'policy-answer',
  context: 'SECRET question that started it',
  facts: {
    occurredOn: '2026-11-19',
    occurredAt: '21:30',
    place: 'online',
    device: 'SECRET device',
    url: 'https://SECRET.example.com/profile',
    pupilName: 'SECRET pupil',
    pupilYear: 'SECRET Year 8',
    staffName: 'SECRET staff',
    staffId: 'SECRET-staff-id',
    description: 'SECRET description',
    childsWords: 'SECRET words',
    actionTaken: 'SECRET action',
    preserved: { screenOff: true, urlNoted: false },
  },
  route: 'dsl',
  owners: ['SECRET-owner'],
  status: 'closed',
  assignee: { id: 'SECRET-assignee', name: 'SECRET assignee' },
  referrals: [{ agency: 'police', reference: 'SECRET-ref', at: '2026-11-20T11:00:00.000Z', by: { id: 'SECRET-by', name: 'SECRET by' } }],
  closeReason: 'SECRET close reason',
  escalationLevel: 1,
  posts: [{ conversationId: 'SECRET-conv', activityId: 'SECRET-act' } as never],
  urgentAlertAt: '2026-11-20T10:01:00.000Z',
  concerned: 'SECRET-concerned',
  legalHold: { reason: 'SECRET hold', by: { id: 'SECRET-holder', name: 'SECRET holder' }, at: '2026-11-21T10:00:00.000Z' },
};

describe('content-free copies of swept records', () => {
  it('keep what the report counts of a case and none of its words or people', () => {
    const copy = contentFreeCase(fullCase);
    assert.doesNotMatch(JSON.stringify(copy), /SECRET/);
    const kept = (c: IncidentCase) => [c.ref, c.category, c.subject, c.section, c.urgency, c.policeReferral, c.immediateDanger, c.reportedAt, c.source, c.facts.occurredOn, c.facts.occurredAt, c.facts.place, c.facts.preserved, c.route, c.status, c.escalationLevel, c.urgentAlertAt, c.referrals.map((r) => [r.agency, r.at])];
    assert.deepEqual(kept(copy), kept(fullCase));
  });

  it('keep a chronology as actions, times, status changes and agencies only', () => {
    const event = (action: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({ at: '2026-11-20T10:00:00.000Z', actor: { id: 'SECRET-id', name: 'SECRET name' }, action, entityType: 'incident', entityId: fullCase.ref, reason: 'SECRET reason', ...extra });
    const history = contentFreeHistory([
      event('case.claimed', { changes: { handler: { to: 'SECRET handler' }, status: { from: 'New', to: 'Acknowledged' } } }),
      event('case.note-added'),
      event('case.status-changed', { changes: { status: { from: 'Acknowledged', to: 'Referred' } }, detail: { agency: 'police', reference: 'SECRET-ref' } }),
      event('case.escalated', { detail: { level: 2 } }),
      event('incident.access-refused'),
    ]);
    assert.doesNotMatch(JSON.stringify(history), /SECRET/);
    assert.deepEqual(history.map((e) => [e.action, e.at, e.changes?.status?.to, e.detail]), [
      ['case.claimed', '2026-11-20T10:00:00.000Z', 'Acknowledged', undefined],
      ['case.status-changed', '2026-11-20T10:00:00.000Z', 'Referred', { agency: 'police' }],
      ['case.escalated', '2026-11-20T10:00:00.000Z', undefined, { level: 2 }],
    ]);
  });

  it('keep a category target of a filter request, not a website one', () => {
    const request = (targetKind: 'website' | 'category', target: string): FilterRequest => ({
      reference: 'FLT-2026-0009',
      details: { targetKind, target, change: 'block', audience: 'group', audienceDetail: 'SECRET group', duration: 'permanent', reason: 'SECRET reason', neededBy: '2026-11-30' },
      requestedBy: { id: 'SECRET', name: 'SECRET' },
      requestedAt: '2026-11-20T10:00:00.000Z',
      status: 'ended',
      chain: ['sanction', 'make'],
      history: [{ step: 'make', outcome: 'done', by: { id: 'SECRET', name: 'SECRET' }, at: '2026-11-21T10:00:00.000Z', reason: 'SECRET', filterReference: 'SECRET-filter-ref' }],
      reviews: [{ kind: 'review', outcome: 'reverted', by: { id: 'SECRET', name: 'SECRET' }, at: '2026-12-21T10:00:00.000Z', note: 'SECRET note' }],
    });
    assert.doesNotMatch(JSON.stringify(contentFreeFilterRequest(request('website', 'SECRET.example.com'))), /SECRET/);
    const category = contentFreeFilterRequest(request('category', 'Gambling'));
    assert.deepEqual([category.details.target, category.status, category.reviews.map((r) => [r.kind, r.outcome, r.at])], ['Gambling', 'ended', [['review', 'reverted', '2026-12-21T10:00:00.000Z']]]);
  });

  it('keep a call’s purpose, kind, section and decision, not the pupil, teacher or comment', () => {
    const call = {
      id: 'CALL-20261120-ABCDEF', kind: 'video', purpose: 'exceptional-pastoral', purposeLabel: 'Exceptional pastoral circumstances', pupil: { name: 'SECRET', year: 'SECRET' }, section: 'Senior', department: 'Maths',
      date: '2026-11-20', time: '16:00', reason: 'SECRET', pastoral: true, requirements: ['Book it in the Teams calendar'], teacher: { key: 'SECRET', name: 'SECRET' }, state: 'planned', createdAt: '2026-11-19T10:00:00.000Z',
      permission: { role: 'deputy-head-pastoral', decision: 'approved', decidedBy: { key: 'SECRET', name: 'SECRET' }, decidedAt: '2026-11-19T12:00:00.000Z', comment: 'SECRET' }, requestCards: [{ conversationId: 'SECRET', activityId: 'SECRET' } as never],
    } as CallRecord;
    const copy = contentFreeCall(call);
    assert.doesNotMatch(JSON.stringify(copy), /SECRET/);
    assert.deepEqual([copy.kind, copy.purpose, copy.section, copy.state, copy.permission], ['video', 'exceptional-pastoral', 'Senior', 'planned', { role: 'deputy-head-pastoral', decision: 'approved', decidedAt: '2026-11-19T12:00:00.000Z' }]);
  });
});
