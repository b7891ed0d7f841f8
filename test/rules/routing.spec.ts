import assert from 'node:assert/strict';
import { CATEGORIES, categoryById, SUBJECTS, type Subject } from '../../bot/incidents/categories';
import type { IncidentCase, RouteKind } from '../../bot/incidents/caseRecord';
import { assignable, canHandle, escalationTargets, needsSection, routeFor, type Route } from '../../bot/incidents/routing';
import { EVERYONE, exampleRoster, smallRoster } from './school';

// Who may and may not get, open or be escalated each kind of case, for every role in the example
// school: Head hbrook, Chair rowen, DSLs dkhan (Senior), pgreen (Prep), tjones (Pre-Prep), deputies
// lmorris (Senior) and kpatel (Prep and Pre-Prep), IT manager mcole, technicians swu and jboateng,
// deputy heads efisher and ngrant, data-protection lead adavies, head of maths cshaw, and a teacher
// the roster does not list.

const roster = exampleRoster();
const cat = (id: string) => categoryById(id)!;
const SECTIONS = ['Senior', 'Prep', 'Pre-Prep', undefined] as const;
const NOT_ABOUT_STAFF: Subject[] = ['pupil', 'outside', 'unknown'];
const DSL_CATEGORIES = CATEGORIES.filter((c) => !['filter-bypass', 'staff-misuse', 'data-breach'].includes(c.id));
const SECTION_DSL = { Senior: 'dkhan', Prep: 'pgreen', 'Pre-Prep': 'tjones' } as const;

/** Everyone a route reaches: owners and people told 1:1 (the channel is checked separately). */
const reached = (r: Route) => [...r.owners, ...r.alsoTell];
const notReached = (r: Route) => EVERYONE.filter((id) => !reached(r).includes(id));

function aCase(route: RouteKind, over: Partial<IncidentCase> = {}): IncidentCase {
  return {
    ref: 'INC-2026-0001', category: 'other', subject: 'pupil', section: 'Senior', urgency: 'P3', policeReferral: false, immediateDanger: false,
    reportedAt: '2026-11-20T10:00:00.000Z', reporter: { id: 'teacher', name: 'Olivia Teacher' }, facts: { occurredOn: '2026-11-20', place: 'online', description: 'x' },
    route, owners: [], status: 'new', referrals: [], escalationLevel: 0, posts: [], ...over,
  };
}

/** Who in the example school may open the case, in roster order. */
const openers = (c: IncidentCase, r = roster) => EVERYONE.filter((id) => canHandle(c, id, r));

describe('rules: where each report is routed, and who it must not reach', () => {
  it('sends every category about the Head to the Chair alone, in every section: no Head, no DSL, no channel', () => {
    for (const category of CATEGORIES) {
      for (const section of SECTIONS) {
        const route = routeFor(category, 'head', section, roster);
        assert.deepEqual(route, { kind: 'chair', owners: ['rowen'], alsoTell: [], concerned: 'hbrook' }, `${category.id} / ${section}`);
        assert.deepEqual(notReached(route), EVERYONE.filter((id) => id !== 'rowen'));
        assert.equal('channel' in route, false, 'a Chair case is never posted in a channel');
      }
    }
  });

  it('sends every category about a member of staff to the Head alone, with no channel', () => {
    for (const category of CATEGORIES) {
      for (const section of SECTIONS) {
        const route = routeFor(category, 'staff', section, roster);
        assert.deepEqual(route, { kind: 'head', owners: ['hbrook'], alsoTell: [] }, `${category.id} / ${section}`);
        assert.ok(!reached(route).includes('rowen') && !reached(route).includes('dkhan'));
      }
    }
  });

  it('sends staff misuse of ICT to the Head whoever the report says it is about (other than the Head)', () => {
    for (const subject of NOT_ABOUT_STAFF) {
      for (const section of SECTIONS) assert.deepEqual(routeFor(cat('staff-misuse'), subject, section, roster), { kind: 'head', owners: ['hbrook'], alsoTell: [] }, `${subject} / ${section}`);
    }
  });

  it('sends a data breach to the data-protection lead and the DPO channel, never to a DSL', () => {
    for (const subject of NOT_ABOUT_STAFF) {
      for (const section of SECTIONS) {
        const route = routeFor(cat('data-breach'), subject, section, roster);
        assert.deepEqual(route, { kind: 'dpo', owners: ['adavies'], channel: { kind: 'dpo' }, alsoTell: [] }, `${subject} / ${section}`);
      }
    }
  });

  it('sends a safeguarding report to the section DSL and channel only: not the other sections, the Head, the Chair or IT', () => {
    for (const category of DSL_CATEGORIES) {
      for (const subject of NOT_ABOUT_STAFF) {
        for (const section of ['Senior', 'Prep', 'Pre-Prep'] as const) {
          const route = routeFor(category, subject, section, roster);
          assert.deepEqual(route, { kind: 'dsl', owners: [SECTION_DSL[section]], channel: { kind: 'dsl', section }, alsoTell: [] }, `${category.id} / ${subject} / ${section}`);
          assert.deepEqual(notReached(route), EVERYONE.filter((id) => id !== SECTION_DSL[section]));
        }
      }
    }
  });

  it('tells the IT manager, and no technician, about a filter bypass', () => {
    for (const subject of NOT_ABOUT_STAFF) {
      assert.deepEqual(routeFor(cat('filter-bypass'), subject, 'Prep', roster), { kind: 'dsl-and-it', owners: ['pgreen'], channel: { kind: 'dsl', section: 'Prep' }, alsoTell: ['mcole'] });
    }
    const route = routeFor(cat('filter-bypass'), 'pupil', 'Senior', roster);
    assert.deepEqual(reached(route), ['dkhan', 'mcole']);
  });

  it('has no owner and no channel for a safeguarding report without a section', () => {
    assert.deepEqual(routeFor(cat('grooming'), 'pupil', undefined, roster), { kind: 'dsl', owners: [], alsoTell: [] });
    assert.deepEqual(routeFor(cat('filter-bypass'), 'unknown', undefined, roster), { kind: 'dsl-and-it', owners: [], alsoTell: ['mcole'] });
    assert.deepEqual(routeFor(cat('other'), 'pupil', 'Sixth Form', roster).owners, [], 'a section the school does not have has nobody on duty');
  });

  it('routes to whoever is on duty when the DSL is away, and never to the away DSL while a deputy is in', () => {
    const away = roster.withAway(new Map([['dkhan', true], ['pgreen', true]]));
    assert.deepEqual(routeFor(cat('cyberbullying'), 'pupil', 'Senior', away).owners, ['lmorris']);
    assert.deepEqual(routeFor(cat('cyberbullying'), 'pupil', 'Prep', away).owners, ['kpatel']);
    assert.deepEqual(routeFor(cat('cyberbullying'), 'pupil', 'Pre-Prep', away).owners, ['tjones']);
  });

  it('reaches nobody rather than someone else when a role has no holder in the roster', () => {
    const bare = smallRoster({ people: ['dsl'], sections: [{ name: 'Main', dsl: 'dsl' }] });
    assert.deepEqual(routeFor(cat('other'), 'head', 'Main', bare), { kind: 'chair', owners: [], alsoTell: [] });
    assert.deepEqual(routeFor(cat('other'), 'staff', 'Main', bare), { kind: 'head', owners: [], alsoTell: [] });
    // No data-protection lead: the Head takes a breach rather than nobody.
    assert.deepEqual(routeFor(cat('data-breach'), 'pupil', 'Main', bare), { kind: 'head', owners: [], alsoTell: [] });
    assert.deepEqual(routeFor(cat('filter-bypass'), 'pupil', 'Main', bare), { kind: 'dsl-and-it', owners: ['dsl'], channel: { kind: 'dsl', section: 'Main' }, alsoTell: [] });
  });

  it('asks for a section only for reports a section DSL handles', () => {
    for (const category of CATEGORIES) {
      for (const { id: subject } of SUBJECTS) {
        const expected = subject !== 'head' && subject !== 'staff' && !['staff-misuse', 'data-breach'].includes(category.id);
        assert.equal(needsSection(category, subject), expected, `${category.id} / ${subject}`);
      }
    }
  });
});

describe('rules: who may open a case, and who may not', () => {
  it('opens a Chair case to the Chair alone: never the Head, a DSL, a deputy or IT', () => {
    assert.deepEqual(openers(aCase('chair', { subject: 'head', section: undefined, owners: ['rowen'] })), ['rowen']);
    assert.deepEqual(openers(aCase('chair', { subject: 'head', section: 'Senior', owners: ['rowen'] })), ['rowen'], 'a section on the case opens it to nobody else');
  });

  it('never opens a Chair case to the Head even when assigned to them, but does to another assignee', () => {
    assert.deepEqual(openers(aCase('chair', { subject: 'head', owners: ['rowen'], assignee: { id: 'hbrook', name: 'Helen Brook' } })), ['rowen']);
    assert.deepEqual(openers(aCase('chair', { subject: 'head', owners: ['rowen'], assignee: { id: 'cshaw', name: 'Chris Shaw' } })), ['rowen', 'cshaw']);
  });

  it('opens a Head case to the Head alone, a DPO case to the data-protection lead alone', () => {
    assert.deepEqual(openers(aCase('head', { subject: 'staff', owners: ['hbrook'] })), ['hbrook']);
    assert.deepEqual(openers(aCase('dpo', { category: 'data-breach', section: undefined, owners: ['adavies'] })), ['adavies']);
  });

  it('opens a Head or DPO case to its assignee too', () => {
    assert.deepEqual(openers(aCase('head', { owners: ['hbrook'], assignee: { id: 'efisher', name: 'Emma Fisher' } })), ['hbrook', 'efisher']);
    assert.deepEqual(openers(aCase('dpo', { owners: ['adavies'], assignee: { id: 'mcole', name: 'Mark Cole' } })), ['mcole', 'adavies']);
  });

  it('opens a DSL case to that section\'s DSL and deputies and the Head; not other sections\' DSLs, IT or staff', () => {
    assert.deepEqual(openers(aCase('dsl', { section: 'Senior' })), ['hbrook', 'dkhan', 'lmorris']);
    assert.deepEqual(openers(aCase('dsl', { section: 'Prep' })), ['hbrook', 'pgreen', 'kpatel']);
    assert.deepEqual(openers(aCase('dsl', { section: 'Pre-Prep' })), ['hbrook', 'tjones', 'kpatel']);
    assert.deepEqual(openers(aCase('dsl', { section: 'senior' })), ['hbrook', 'dkhan', 'lmorris'], 'the section name is matched as the roster matches it');
    assert.deepEqual(openers(aCase('dsl', { section: undefined })), ['hbrook']);
    assert.deepEqual(openers(aCase('dsl', { section: 'Senior', assignee: { id: 'cshaw', name: 'Chris Shaw' } })), ['hbrook', 'dkhan', 'lmorris', 'cshaw']);
  });

  it('opens a filter-bypass case to the IT manager as well, but not to technicians', () => {
    assert.deepEqual(openers(aCase('dsl-and-it', { category: 'filter-bypass', section: 'Senior' })), ['hbrook', 'dkhan', 'lmorris', 'mcole']);
    assert.deepEqual(openers(aCase('dsl-and-it', { category: 'filter-bypass', section: undefined })), ['hbrook', 'mcole']);
  });

  it('opens nothing to someone not identified, even on a case with no assignee', () => {
    for (const route of ['chair', 'head', 'dpo', 'dsl', 'dsl-and-it'] as const) {
      assert.equal(canHandle(aCase(route), undefined, roster), false, route);
      assert.equal(canHandle(aCase(route, { assignee: { id: '', name: 'nobody' } }), '', roster), false, route);
    }
  });

  it('opens cases to the Chair and the DSL team of a roster that has no Head in people', () => {
    const headless = smallRoster({ people: ['chair', 'dsl'], sections: [{ name: 'Main', dsl: 'dsl' }] });
    assert.equal(canHandle(aCase('chair', { section: 'Main' }), 'chair', headless), true);
    assert.equal(canHandle(aCase('dsl', { section: 'Main' }), 'dsl', headless), true);
    assert.equal(canHandle(aCase('dsl', { section: 'Main' }), 'chair', headless), false);
  });

  it('keeps a Chair case from a Head who somehow also chairs the governors', () => {
    const both = smallRoster({ people: ['head', 'dsl'], sections: [{ name: 'Main', dsl: 'dsl' }], roles: { chairOfGovernors: 'head' } });
    assert.equal(canHandle(aCase('chair', { section: 'Main' }), 'head', both), false);
    assert.equal(canHandle(aCase('dsl', { section: 'Main' }), 'head', both), true);
  });

  it('offers for assignment only people who may open the case, never the Head for a Chair case', () => {
    assert.deepEqual(assignable(aCase('chair', { owners: ['rowen'] }), roster), ['rowen']);
    assert.deepEqual(assignable(aCase('chair', { owners: ['rowen'], assignee: { id: 'cshaw', name: 'Chris Shaw' } }), roster), ['rowen'], 'the current assignee is not offered on that account');
    assert.deepEqual(assignable(aCase('head'), roster), ['hbrook']);
    assert.deepEqual(assignable(aCase('dpo'), roster), ['adavies']);
    assert.deepEqual(assignable(aCase('dsl', { section: 'Senior' }), roster), ['hbrook', 'dkhan', 'lmorris']);
    assert.deepEqual(assignable(aCase('dsl', { section: 'Prep', assignee: { id: 'cshaw', name: 'Chris Shaw' } }), roster), ['hbrook', 'pgreen', 'kpatel']);
    assert.deepEqual(assignable(aCase('dsl-and-it', { section: 'Senior' }), roster), ['hbrook', 'dkhan', 'lmorris', 'mcole']);
  });
});

describe('rules: escalation of an unacknowledged case, at every level', () => {
  const levels = (c: IncidentCase, r = roster) => [1, 2, 3, 4].map((level) => escalationTargets(c, level, r));

  it('escalates a Senior DSL case to the deputy, then the Head, then stops', () => {
    assert.deepEqual(levels(aCase('dsl', { section: 'Senior', owners: ['dkhan'] })), [['lmorris'], ['hbrook'], undefined, undefined]);
    assert.deepEqual(levels(aCase('dsl-and-it', { section: 'Senior', owners: ['dkhan'] })), [['lmorris'], ['hbrook'], undefined, undefined], 'IT is never escalated to');
  });

  it('escalates a Prep or Pre-Prep case to their shared deputy, never to another section\'s DSL', () => {
    assert.deepEqual(levels(aCase('dsl', { section: 'Prep', owners: ['pgreen'] })), [['kpatel'], ['hbrook'], undefined, undefined]);
    assert.deepEqual(levels(aCase('dsl', { section: 'pre-prep', owners: ['tjones'] })), [['kpatel'], ['hbrook'], undefined, undefined]);
  });

  it('goes straight to the Head when the deputy already holds the case or is away', () => {
    assert.deepEqual(levels(aCase('dsl', { section: 'Senior', owners: ['lmorris'] })), [['hbrook'], undefined, undefined, undefined]);
    const deputyAway = roster.withAway(new Map([['lmorris', true]]));
    assert.deepEqual(levels(aCase('dsl', { section: 'Senior', owners: ['dkhan'] }), deputyAway), [['hbrook'], undefined, undefined, undefined]);
  });

  it('goes straight to the Head for a DSL case without a section or with one the school does not have', () => {
    assert.deepEqual(levels(aCase('dsl', { section: undefined })), [['hbrook'], undefined, undefined, undefined]);
    assert.deepEqual(levels(aCase('dsl', { section: 'Sixth Form' })), [['hbrook'], undefined, undefined, undefined]);
  });

  it('escalates to the deputies who are in, and is exhausted at once when there is nobody to escalate to', () => {
    const school = smallRoster({ people: ['dsl', 'd1', { id: 'd2', away: true }, 'd3'], sections: [{ name: 'Main', dsl: 'dsl', deputies: ['d1', 'd2', 'd3'] }] });
    assert.deepEqual(levels(aCase('dsl', { section: 'Main', owners: ['dsl'] }), school), [['d1', 'd3'], undefined, undefined, undefined], 'no Head in the roster: the chain ends after the deputies');
    const alone = smallRoster({ people: ['dsl'], sections: [{ name: 'Main', dsl: 'dsl' }] });
    assert.deepEqual(levels(aCase('dsl', { section: 'Main', owners: ['dsl'] }), alone), [undefined, undefined, undefined, undefined]);
  });

  it('reminds only the owner of a Chair or Head case, twice, and never leaves the route', () => {
    assert.deepEqual(levels(aCase('chair', { owners: ['rowen'] })), [['rowen'], ['rowen'], undefined, undefined], 'a Chair case never reaches the Head');
    assert.deepEqual(levels(aCase('head', { owners: ['hbrook'] })), [['hbrook'], ['hbrook'], undefined, undefined]);
  });

  it('a data breach: one reminder to the data-protection lead, then the Head (never the DSLs); a Head who is the lead is reminded', () => {
    assert.deepEqual(levels(aCase('dpo', { owners: ['adavies'] })), [['adavies'], ['hbrook'], undefined, undefined]);
    assert.deepEqual(levels(aCase('dpo', { owners: ['hbrook'] })), [['hbrook'], ['hbrook'], undefined, undefined]);
    const c = aCase('dpo', { owners: ['adavies'] });
    assert.equal(canHandle(c, 'hbrook', roster), false, 'the Head opens a breach only once it was escalated to them');
    assert.equal(canHandle({ ...c, escalatedTo: ['hbrook'] }, 'hbrook', roster), true);
  });
});

describe('rules: a report about a member of the section\'s DSL team, or about someone with no section', () => {
  // Main's DSL is dsl, its deputies d1 and d2 (unless a test gives others); other is staff outside the team.
  const main = (away: string[] = [], deputies = ['d1', 'd2']) =>
    smallRoster({ people: ['head', 'itm', 'dsl', ...deputies, 'other'], sections: [{ name: 'Main', dsl: 'dsl', deputies }] }, new Map(away.map((id) => [id, true])));
  const route = (r: ReturnType<typeof main>, concerned?: string, section = 'Main') => routeFor(cat('cyberbullying'), 'pupil', section, r, concerned);
  const noSection = (r: ReturnType<typeof main>, concerned: string) => routeFor(cat('cyberbullying'), 'pupil', undefined, r, concerned);

  it('gives a report about the on-duty DSL to the deputies who are in, 1:1 and past the channel', () => {
    assert.deepEqual(route(main(), 'dsl'), { kind: 'dsl', owners: ['d1', 'd2'], alsoTell: [], concerned: 'dsl' });
    assert.deepEqual(route(main(['d2']), 'dsl'), { kind: 'dsl', owners: ['d1'], alsoTell: [], concerned: 'dsl' }, 'an away deputy is skipped');
    assert.deepEqual(route(main(['d1']), 'dsl'), { kind: 'dsl', owners: ['d2'], alsoTell: [], concerned: 'dsl' });
    assert.deepEqual(routeFor(cat('filter-bypass'), 'unknown', 'Main', main(['d2']), 'dsl'), { kind: 'dsl-and-it', owners: ['d1'], alsoTell: ['itm'], concerned: 'dsl' });
  });

  it('gives it to every deputy when all of them are away, rather than to nobody', () => {
    assert.deepEqual(route(main(['d1', 'd2']), 'dsl'), { kind: 'dsl', owners: ['d1', 'd2'], alsoTell: [], concerned: 'dsl' });
  });

  it('gives it to the Head when the DSL concerned has no deputy', () => {
    assert.deepEqual(route(main([], []), 'dsl'), { kind: 'head', owners: ['head'], alsoTell: [], concerned: 'dsl' });
    assert.deepEqual(route(main(['dsl'], []), 'dsl'), { kind: 'head', owners: ['head'], alsoTell: [], concerned: 'dsl' }, 'away or not');
  });

  it('does not say the deputies cover for an away DSL the report is about', () => {
    assert.deepEqual(route(main(['dsl']), 'dsl'), { kind: 'dsl', owners: ['d1', 'd2'], alsoTell: [], concerned: 'dsl' });
    assert.deepEqual(route(main(['dsl', 'd1']), 'dsl'), { kind: 'dsl', owners: ['d2'], alsoTell: [], concerned: 'dsl' });
  });

  it('gives a report about a deputy to the DSL alone while the DSL is in, not to the other deputies', () => {
    assert.deepEqual(route(main(), 'd1'), { kind: 'dsl', owners: ['dsl'], alsoTell: [], concerned: 'd1' });
    assert.deepEqual(route(main(['d2']), 'd1'), { kind: 'dsl', owners: ['dsl'], alsoTell: [], concerned: 'd1' });
  });

  it('gives a report about a deputy to the other deputies covering for an away DSL', () => {
    assert.deepEqual(route(main(['dsl']), 'd1'), { kind: 'dsl', owners: ['d2'], alsoTell: [], concerned: 'd1', coveringFor: 'dsl' });
    assert.deepEqual(route(main(['dsl'], ['d1', 'd2', 'd3']), 'd2'), { kind: 'dsl', owners: ['d1', 'd3'], alsoTell: [], concerned: 'd2', coveringFor: 'dsl' });
    // With every deputy away the roster keeps the away DSL on duty: no cover to name.
    assert.deepEqual(route(main(['dsl', 'd1', 'd2']), 'd1'), { kind: 'dsl', owners: ['dsl'], alsoTell: [], concerned: 'd1' });
  });

  it('gives a report about the only member of the team who is in to everyone else in the team, away or not, rather than to nobody', () => {
    assert.deepEqual(route(main(['dsl'], ['d1']), 'd1'), { kind: 'dsl', owners: ['dsl'], alsoTell: [], concerned: 'd1' });
    assert.deepEqual(route(main(['dsl', 'd2']), 'd1'), { kind: 'dsl', owners: ['dsl', 'd2'], alsoTell: [], concerned: 'd1' }, 'the away DSL among the owners is covered for by nobody');
  });

  it('keeps the channel when the person concerned is outside the section\'s team', () => {
    assert.deepEqual(route(main(), 'other'), { kind: 'dsl', owners: ['dsl'], channel: { kind: 'dsl', section: 'Main' }, alsoTell: [], concerned: 'other' });
    assert.deepEqual(route(main(['dsl']), 'other'), { kind: 'dsl', owners: ['d1', 'd2'], channel: { kind: 'dsl', section: 'Main' }, alsoTell: [], concerned: 'other', coveringFor: 'dsl' });
    assert.deepEqual(route(main(), 'itm'), { kind: 'dsl', owners: ['dsl'], channel: { kind: 'dsl', section: 'Main' }, alsoTell: [], concerned: 'itm' });
  });

  it('has no owner and no channel for a report about someone with no section, and the Head takes one for a section the school does not have', () => {
    assert.deepEqual(noSection(main(), 'd1'), { kind: 'dsl', owners: [], alsoTell: [], concerned: 'd1' });
    assert.deepEqual(noSection(main(), 'other'), { kind: 'dsl', owners: [], alsoTell: [], concerned: 'other' });
    assert.deepEqual(routeFor(cat('filter-bypass'), 'unknown', undefined, main(), 'itm'), { kind: 'dsl-and-it', owners: [], alsoTell: [], concerned: 'itm' });
    assert.deepEqual(route(main(), 'other', 'Elsewhere'), { kind: 'head', owners: ['head'], alsoTell: [], concerned: 'other' });
  });

  it('opens a case with no section about a team member to the Head alone, and escalates it only to the Head', () => {
    const r = main();
    const c = aCase('dsl', { section: undefined, owners: [], concerned: 'd1' });
    assert.deepEqual(['head', 'itm', 'dsl', 'd1', 'd2', 'other'].filter((id) => canHandle(c, id, r)), ['head']);
    assert.deepEqual([1, 2, 3].map((level) => escalationTargets(c, level, r)), [['head'], undefined, undefined]);
    const it = aCase('dsl-and-it', { category: 'filter-bypass', section: undefined, owners: [], concerned: 'itm' });
    assert.deepEqual(['head', 'itm', 'dsl', 'd1', 'd2', 'other'].filter((id) => canHandle(it, id, r)), ['head'], 'the IT manager concerned cannot open their own filter bypass');
    assert.deepEqual(openers(aCase('dsl', { section: undefined, concerned: 'lmorris' })), ['hbrook']);
  });
});
