import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cardOf, cardText, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { shown } from '../incidents/reportSteps';
import { startHarness, type Harness } from '../support/harness';
import { SCHOOLS, TWOFOLD, other, writeVisibilityTrust, type RoleKey, type SchoolFixture } from './visibilityTrust';
import { SCRIPTS, runScript } from './visibilityScripts';
import { chooseSchool, seedSchool, type Seeded } from './visibilitySeed';
import { SURFACES, leakIn, markOf, seenSince, withoutEcho, type Viewer } from './visibilitySurfaces';

const ROLE_NAMES: Record<Viewer, string> = {
  dsl: 'DSL',
  deputy: 'deputy DSL',
  head: 'head',
  chair: 'chair of governors',
  it: 'IT manager',
  tech: 'IT technician',
  pastoral: 'deputy head (pastoral)',
  dpl: 'data-protection lead',
  admin: 'admin',
  staff: 'ordinary staff (in no roster)',
  twofold: 'listed in both schools',
};

/** Every viewer of the matrix: each school role of each school, and the person in both (once per school). */
const VIEWERS: Array<{ school: SchoolFixture; role: Viewer; who: Member }> = SCHOOLS.flatMap((school) => [
  ...(Object.keys(school.people) as RoleKey[]).map((role) => ({ school, role: role as Viewer, who: school.people[role] })),
  { school, role: 'twofold' as Viewer, who: TWOFOLD },
]);

describe('visibility by school: no role of one school sees anything of another (trust of two, e2e over HTTP)', function () {
  this.timeout(300_000);
  let h: Harness;
  const seeded = {} as Record<string, Seeded>;

  before(async () => {
    h = await startHarness({ env: { SCHOOL_CONFIG: await writeVisibilityTrust() } });
    const everyone = [TWOFOLD, ...SCHOOLS.flatMap((s) => Object.values(s.people))];
    for (const m of everyone) h.connector.addMember(m);
    for (const m of everyone) await h.say(m, 'help');
    // Different numbers of filter requests, so a count taken across schools shows.
    seeded[SCHOOLS[0].id] = await seedSchool(h, SCHOOLS[0], 1);
    seeded[SCHOOLS[1].id] = await seedSchool(h, SCHOOLS[1], 2);
  });
  after(async () => h?.stop());

  for (const { school, role, who } of VIEWERS) {
    it(`${ROLE_NAMES[role]} of ${school.name}: ${SURFACES.length} surfaces show nothing of ${other(school).name}`, async () => {
      if (role === 'twofold') await chooseSchool(h, school);
      const look = { h, who, own: school, ownSeed: seeded[school.id], other: other(school), otherSeed: seeded[other(school).id] };
      const problems: string[] = [];
      for (const surface of SURFACES) {
        const mark = markOf(h);
        const seen = withoutEcho(await seenSince(h, who, mark, await surface.run(look)), surface.echo?.(look));
        const leak = leakIn(seen, other(school).leaks);
        if (leak) problems.push(`${surface.name}: shows ${leak}`);
        if (surface.shows?.roles.includes(role) && !surface.shows.what(school, look.ownSeed).test(seen)) problems.push(`${surface.name}: expected ${surface.shows.what(school, look.ownSeed)} in: ${seen.slice(0, 300)}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  for (const school of SCHOOLS) {
    it(`tutor logs per school: ${school.name}'s weekly record holds only its own sessions, though a tutor works in both schools`, async () => {
      const pastoral = school.people.pastoral;
      const seed = seeded[school.id];
      const own = new RegExp(`2 sessions logged for 2 tutor groups[^]*${school.groups.shared}\\*{0,2} · ${TWOFOLD.name}[^]*08:45 ${TWOFOLD.name}[^]*${school.groups.own}`);
      const mark = markOf(h);
      await h.say(pastoral, `tutor log week ${seed.week}`);
      await h.say(pastoral, `export tutor log ${seed.week}`);
      const tutoring = h.lantern.schools.find((s) => s.id === school.id)!.capabilities.find((c) => c.name === 'tutoring')!;
      await tutoring.jobs!['tutoring.weekly-summary']({ id: 'tutoring-weekly-summary', payload: {}, due: new Date().toISOString() });
      const seen = await seenSince(h, pastoral, mark);
      assert.match(seen, own, 'the week card, the export and the weekly summary');
      assert.equal(seen.match(/Weekly tutor record, week of/g)?.length, 1, 'the Friday summary reached the deputy head (pastoral)');
      assert.match(seen, new RegExp(`${school.marker} assembly practice`), 'the exported sessions');
      assert.equal(leakIn(seen, other(school).leaks), undefined);

      // The tutor of both, in a chat chosen for this school: only this school's groups and logs.
      await chooseSchool(h, school);
      const mine = (await h.say(TWOFOLD, 'my tutor logs')).map((a) => a.activity.text ?? '').join('\n') + (await seenSince(h, TWOFOLD, markOf(h), await h.click(TWOFOLD, 'tutor.start')));
      assert.equal(leakIn(mine, other(school).leaks), undefined);
      // A log for the other school's group, sent in this school's chat, is refused and stored nowhere.
      const wrong = await h.click(TWOFOLD, 'tutor.save', { id: '', group: other(school).groups.shared, date: seed.week, time: '09:00', mode: 'in-person', attended: 3, absentees: '', topic: 'wrong school', concern: 'false' });
      assert.match(shown(wrong), /need another look/);
      assert.match(visibleText((await h.say(pastoral, `tutor log week ${seed.week}`))[0]), /2 sessions logged for 2 tutor groups/);
    });
  }

  for (const school of SCHOOLS) {
    it(`the export and report scripts with LANTERN_SCHOOL=${school.id} write nothing of ${other(school).name}`, async function () {
      this.timeout(180_000);
      const env = { ...h.env, LANTERN_SCHOOL: school.id, PORT: '' };
      const runs = await Promise.all(
        SCRIPTS.map(async (s) => {
          const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-visibility-script-'));
          return { s, ...(await runScript(s.run(school, dir, seeded[school.id]), env, dir)) };
        }),
      );
      const problems: string[] = [];
      for (const { s, code, text } of runs) {
        const name = s.name;
        if ((code !== 0) !== !!s.fails) problems.push(`${name}: exit code ${code}: ${text.slice(0, 300)}`);
        const leak = leakIn(withoutEcho(text, s.echo?.(school)), other(school).leaks);
        if (leak) problems.push(`${name}: shows ${leak}`);
        if (!s.shows(school, seeded[school.id]).test(text)) problems.push(`${name}: expected ${s.shows(school, seeded[school.id])} in: ${text.slice(0, 400)}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  // Last: everything the bot sent all through this file, seeding and notifications included.
  it("nobody listed in one school only, and no school's channel, was ever sent anything of the other school", async () => {
    const problems: string[] = [];
    for (const { school, role, who } of VIEWERS.filter((v) => v.role !== 'twofold')) {
      // The matrix had them type the other school's reference, call and document; the answers may repeat those.
      const typed = [seeded[other(school).id].caseRef, seeded[other(school).id].callId, other(school).document];
      const seen = typed.reduce((text, t) => withoutEcho(text, t), await seenSince(h, who, { sent: 0, updated: 0 }, undefined, false));
      const leak = leakIn(seen, other(school).leaks);
      if (leak) problems.push(`${ROLE_NAMES[role]} of ${school.name}: ${leak}`);
    }
    for (const school of SCHOOLS) {
      for (const channel of seeded[school.id].channels) {
        const text = [...h.connector.messagesIn(channel.id).map(visibleText), ...h.connector.updated.filter((u) => u.conversationId === channel.id).map((u) => cardText(cardOf(u)))].join('\n');
        assert.ok(text.length, `${channel.channel!.name} got the school's cards`);
        const leak = leakIn(text, other(school).leaks);
        if (leak) problems.push(`${channel.channel!.name}: ${leak}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
