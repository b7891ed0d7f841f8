import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { EXAMPLE_CONFIG, validateConfig } from '../../bot/config/loadSchoolConfig';
import { Roster } from '../../bot/config/roster';
import { ConfigError } from '../../bot/config/configErrors';
import { categoryById } from '../../bot/incidents/categories';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { chronologyCsv } from '../../bot/incidents/caseExport';
import { checkStatusChange } from '../../bot/incidents/caseStatus';
import { parseRef } from '../../bot/incidents/caseStore';
import { nextStep, previousStep, resolveSection, urlProblem, validateStep } from '../../bot/incidents/reportForm';
import { assignable, canHandle, escalationTargets, routeFor } from '../../bot/incidents/routing';
import { incidentSettingsSchema } from '../../bot/incidents/settings';
import { acknowledgeBy, addWorkingDays, urgencyOf } from '../../bot/incidents/triage';

const raw = YAML.parse(readFileSync(EXAMPLE_CONFIG, 'utf8'));
const roster = new Roster(validateConfig(raw, 'example', {}).school);
const cat = (id: string) => categoryById(id)!;

function aCase(over: Partial<IncidentCase> = {}): IncidentCase {
  return {
    ref: 'INC-2026-0001', category: 'cyberbullying', subject: 'pupil', section: 'Senior', urgency: 'P2', policeReferral: false, immediateDanger: false,
    reportedAt: '2026-11-20T10:00:00.000Z', reporter: { id: 't', name: 'T' }, facts: { occurredOn: '2026-11-20', place: 'online', description: 'x' },
    route: 'dsl', owners: ['dkhan'], status: 'new', referrals: [], escalationLevel: 0, posts: [], ...over,
  };
}

describe('incident routing rules', () => {
  it('routes a pupil case to the section DSL, or to the deputy when the DSL is away', () => {
    assert.deepEqual(routeFor(cat('cyberbullying'), 'pupil', 'Senior', roster), { kind: 'dsl', owners: ['dkhan'], channel: { kind: 'dsl', section: 'Senior' }, alsoTell: [] });
    const away = roster.withAway(new Map([['dkhan', true]]));
    assert.deepEqual(routeFor(cat('cyberbullying'), 'pupil', 'Senior', away).owners, ['lmorris']);
  });

  it('routes staff to the Head, the Head to the Chair, data breaches to the DPL and filter bypasses to DSL plus IT', () => {
    assert.equal(routeFor(cat('staff-misuse'), 'pupil', 'Senior', roster).kind, 'head');
    assert.deepEqual(routeFor(cat('cyberbullying'), 'staff', 'Senior', roster).owners, ['hbrook']);
    const chair = routeFor(cat('staff-misuse'), 'head', 'Senior', roster);
    assert.deepEqual([chair.kind, chair.owners, chair.channel], ['chair', ['rowen'], undefined]);
    assert.deepEqual(routeFor(cat('data-breach'), 'unknown', undefined, roster).owners, ['adavies']);
    assert.deepEqual(routeFor(cat('filter-bypass'), 'pupil', 'Prep', roster).alsoTell, ['mcole']);
  });

  it('never lets the Head handle, be assigned or be escalated to a case about the Head', () => {
    const c = aCase({ route: 'chair', subject: 'head', owners: ['rowen'], section: undefined });
    assert.equal(canHandle(c, 'hbrook', roster), false);
    assert.equal(canHandle({ ...c, assignee: { id: 'hbrook', name: 'Helen Brook' } }, 'hbrook', roster), false);
    assert.equal(canHandle(c, 'rowen', roster), true);
    assert.ok(!assignable(c, roster).includes('hbrook'));
    for (let level = 1; level <= 3; level++) assert.ok(!(escalationTargets(c, level, roster) ?? []).includes('hbrook'));
  });

  it('escalates a DSL case to the deputies, then the Head, then stops', () => {
    const c = aCase();
    assert.deepEqual(escalationTargets(c, 1, roster), ['lmorris']);
    assert.deepEqual(escalationTargets(c, 2, roster), ['hbrook']);
    assert.equal(escalationTargets(c, 3, roster), undefined);
    const deputyHolds = aCase({ owners: ['lmorris'] });
    assert.deepEqual(escalationTargets(deputyHolds, 1, roster), ['hbrook'], 'a deputy already holding the case is not escalated to');
  });

  it('lets the section team and the Head handle a DSL case, not another section\'s DSL or staff', () => {
    const c = aCase();
    assert.deepEqual(['dkhan', 'lmorris', 'hbrook', 'pgreen', 'mcole', 'cshaw'].map((id) => canHandle(c, id, roster)), [true, true, true, false, false, false]);
    assert.equal(canHandle({ ...c, route: 'dsl-and-it' }, 'mcole', roster), true);
    assert.equal(canHandle(c, undefined, roster), false);
  });
});

describe('incident triage', () => {
  it('grades urgency P0–P3', () => {
    assert.equal(urgencyOf(cat('other'), 'pupil', true), 'P0');
    assert.equal(urgencyOf(cat('grooming'), 'pupil', false), 'P1');
    assert.equal(urgencyOf(cat('other'), 'staff', false), 'P1');
    assert.equal(urgencyOf(cat('cyberbullying'), 'pupil', false), 'P2');
    assert.equal(urgencyOf(cat('inappropriate-accidental'), 'pupil', false), 'P3');
  });

  it('sets acknowledgement targets from settings and counts working days over a weekend', () => {
    const settings = incidentSettingsSchema.parse({ acknowledgeWithinMinutes: { P0: 10 } });
    assert.equal(acknowledgeBy(new Date('2026-11-20T10:00:00Z'), 'P0', settings).toISOString(), '2026-11-20T10:10:00.000Z');
    assert.equal(acknowledgeBy(new Date('2026-11-20T10:00:00Z'), 'P1', settings).toISOString(), '2026-11-20T11:00:00.000Z');
    assert.equal(addWorkingDays(new Date('2026-11-20T16:00:00Z'), 1).toISOString(), '2026-11-23T16:00:00.000Z', 'Friday → Monday');
  });

  it('rejects bad settings naming the field', () => {
    const bad = { ...raw, incidents: { acknowledgeWithinMinutes: { P1: 0 }, referencePrefix: 'inc' } };
    assert.throws(() => validateConfig(bad, 'school.yaml', { incidents: incidentSettingsSchema }), (err: unknown) => {
      const text = String((err as ConfigError).message);
      return err instanceof ConfigError && /incidents\.acknowledgeWithinMinutes\.P1/.test(text) && /incidents\.referencePrefix/.test(text);
    });
  });
});

describe('incident report form', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  it('goes through the illegal-content step only for illegal categories, and back again', () => {
    assert.equal(nextStep('category', { category: 'indecent-image' }), 'illegal');
    assert.equal(nextStep('category', { category: 'cyberbullying' }), 'details');
    assert.equal(nextStep('safety', { immediateDanger: true }), 'danger');
    assert.equal(previousStep('details', { category: 'grooming' }), 'illegal');
    assert.equal(previousStep('details', { category: 'other' }), 'category');
  });

  it('validates details: required fields, future dates, times, URLs, lengths and the section', () => {
    const errors = validateStep('details', { category: 'other', subject: 'pupil', occurredOn: '2026-12-01', occurredAt: '25:00', place: 'moon', description: 'x'.repeat(2001) }, roster, now);
    assert.deepEqual(Object.keys(errors).sort(), ['description', 'occurredAt', 'occurredOn', 'place', 'pupilName', 'pupilYear', 'section'].sort());
    assert.match(errors.occurredOn, /cannot be in the future/);
    assert.deepEqual(validateStep('details', { category: 'data-breach', subject: 'unknown', occurredOn: '2026-11-20', place: 'online', description: 'lost laptop' }, roster, now), {}, 'a data breach needs no section');
    assert.equal(urlProblem('https://example.com/a?b=c'), undefined);
    assert.match(urlProblem('ftp://example.com')!, /http:\/\/ or https:\/\//);
    assert.match(urlProblem('http://localhost')!, /no proper site name/);
    assert.equal(resolveSection({ pupilYear: 'year 4' }, roster), 'Prep');
    assert.equal(resolveSection({ pupilYear: 'Year 4', section: 'Senior' }, roster), 'Senior');
  });
});

describe('incident case status and export', () => {
  it('allows only the listed moves and asks for agency, reference and reasons', () => {
    assert.deepEqual(checkStatusChange('new', { to: 'acknowledged' }), {});
    assert.deepEqual(Object.keys(checkStatusChange('new', { to: 'referred' })), ['agency', 'reference']);
    assert.deepEqual(Object.keys(checkStatusChange('in-progress', { to: 'closed' })), ['reason']);
    assert.deepEqual(Object.keys(checkStatusChange('closed', { to: 'in-progress' })), ['reason']);
    assert.deepEqual(Object.keys(checkStatusChange('closed', { to: 'referred', agency: 'police', reference: 'x' })), ['status']);
    assert.deepEqual(Object.keys(checkStatusChange('acknowledged', { to: 'new' })), ['status']);
  });

  it('writes CSV with quoting and neutralised formulas, and parses references strictly', () => {
    const csv = chronologyCsv(aCase(), [{ at: '2026-11-20T10:00:00.000Z', actor: { id: 'x', name: 'A "B"' }, action: 'case.note-added', entityType: 'incident', entityId: 'INC-2026-0001', reason: '=HYPERLINK("x")' }]);
    assert.match(csv, /"A ""B"""/);
    assert.match(csv, /"'=HYPERLINK\(""x""\)"\r\n$/);
    assert.equal(parseRef(' inc-2026-0007 '), 'INC-2026-0007');
    assert.equal(parseRef('INC-2026-0007/../x'), undefined);
    assert.equal(parseRef(42), undefined);
  });
});
