import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { EXAMPLE_CONFIG, validateConfig } from '../../bot/config/loadSchoolConfig';
import { Roster } from '../../bot/config/roster';
import { CATEGORIES, categoryById, type Subject } from '../../bot/incidents/categories';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { concernedPerson } from '../../bot/incidents/reportForm';
import { assignable, canHandle, escalationTargets, routeFor } from '../../bot/incidents/routing';

const base = validateConfig(YAML.parse(readFileSync(EXAMPLE_CONFIG, 'utf8')), 'example', {}).school;
const roster = new Roster(base);
const awayDsl = roster.withAway(new Map([['dkhan', true]]));

function caseFrom(route: ReturnType<typeof routeFor>, section?: string): IncidentCase {
  return { ref: 'INC-2026-0001', category: 'other', subject: 'staff', section, urgency: 'P1', policeReferral: false, immediateDanger: false, reportedAt: '2026-11-20T10:00:00Z', reporter: { id: 't', name: 'T' }, facts: { occurredOn: '2026-11-20', place: 'on-site', description: 'x' }, route: route.kind, owners: route.owners, status: 'new', referrals: [], escalationLevel: 0, posts: [], concerned: route.concerned };
}

describe('a case never reaches the person it is about (routing rules)', () => {
  const everyone = base.people.map((p) => p.id);
  const subjects: Subject[] = ['pupil', 'staff', 'outside', 'unknown'];

  it('for every roster person, every category, subject and section: they are never an owner, told, escalated to, assignable or able to open it', () => {
    for (const r of [roster, awayDsl]) {
      for (const concerned of everyone) {
        for (const category of CATEGORIES) {
          for (const subject of subjects) {
            for (const section of [undefined, 'Senior', 'Prep', 'Pre-Prep']) {
              const route = routeFor(category, subject, section, r, concerned);
              const label = `${concerned} / ${category.id} / ${subject} / ${section}`;
              assert.ok(!route.owners.includes(concerned), `owner: ${label}`);
              assert.ok(!route.alsoTell.includes(concerned), `told: ${label}`);
              if (route.channel?.kind === 'dsl') assert.ok(!r.dslAndDeputies(route.channel.section).some((p) => p.id === concerned), `channel they are in: ${label}`);
              if (route.channel?.kind === 'dpo') assert.notEqual(concerned, 'adavies', label);
              const c = caseFrom(route, section);
              assert.equal(canHandle(c, concerned, r), false, `can open: ${label}`);
              assert.ok(!assignable(c, r).includes(concerned), `assignable: ${label}`);
              for (let level = 1; level <= 4; level++) assert.ok(!(escalationTargets(c, level, r) ?? []).includes(concerned), `escalation ${level}: ${label}`);
              if (concerned === 'hbrook') assert.deepEqual([route.kind, route.owners], ['chair', ['rowen']], `the Head concerned: ${label}`);
            }
          }
        }
      }
    }
  });

  it("routes past the DSL channel when the section's DSL is concerned, giving the case to the deputy 1:1", () => {
    const route = routeFor(categoryById('cyberbullying')!, 'pupil', 'Senior', roster, 'dkhan');
    assert.deepEqual(route, { kind: 'dsl', owners: ['lmorris'], alsoTell: [], concerned: 'dkhan' });
    const deputy = routeFor(categoryById('cyberbullying')!, 'pupil', 'Senior', roster, 'lmorris');
    assert.deepEqual(deputy, { kind: 'dsl', owners: ['dkhan'], alsoTell: [], concerned: 'lmorris' }, 'a deputy concerned: the channel (which they are in) is routed past too');
    const other = routeFor(categoryById('cyberbullying')!, 'pupil', 'Senior', roster, 'pgreen');
    assert.deepEqual(other.channel, { kind: 'dsl', section: 'Senior' }, "another section's DSL is not in the Senior channel");
  });

  it('leaves the IT manager out of a filter bypass about them, and gives a data breach about the DPO to the Head', () => {
    assert.deepEqual(routeFor(categoryById('filter-bypass')!, 'unknown', 'Prep', roster, 'mcole').alsoTell, []);
    const dpo = routeFor(categoryById('data-breach')!, 'unknown', undefined, roster, 'adavies');
    assert.deepEqual([dpo.kind, dpo.owners, dpo.channel], ['head', ['hbrook'], undefined]);
  });

  it('says who covers for an away DSL', () => {
    const route = routeFor(categoryById('cyberbullying')!, 'pupil', 'Senior', awayDsl);
    assert.deepEqual([route.owners, route.coveringFor], [['lmorris'], 'dkhan']);
    assert.equal(routeFor(categoryById('cyberbullying')!, 'pupil', 'Senior', roster).coveringFor, undefined);
  });

  it('resolves the member of staff on the server: a listed id, a typed roster name, never an unknown id', () => {
    assert.equal(concernedPerson({ subject: 'staff', staffId: 'dkhan' }, roster)?.id, 'dkhan');
    assert.equal(concernedPerson({ subject: 'staff', staffId: 'not-listed', staffName: 'daniel  KHAN' }, roster)?.id, 'dkhan');
    assert.equal(concernedPerson({ subject: 'staff', staffId: 'nobody', staffName: 'A. Colleague' }, roster), undefined);
    assert.equal(concernedPerson({ subject: 'head' }, roster)?.id, 'hbrook');
    assert.equal(concernedPerson({ subject: 'pupil', staffId: 'hbrook' }, roster), undefined, 'no staff question, no staff concerned');
    assert.equal(concernedPerson({ subject: 'pupil', category: 'staff-misuse', staffId: 'hbrook' }, roster)?.id, 'hbrook', 'staff misuse always asks which member of staff');
  });
});
