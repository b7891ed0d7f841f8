import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { configCheck } from '../../bot/config/configCheck';
import { exportFilterLog } from '../../bot/filtering/exportFilterLog';
import { projectPath } from '../../bot/projectRoot';
import { setupCheckText } from '../../bot/setup/setupCheckScript';
import { cardOf, cardText, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { shown } from '../incidents/reportSteps';
import { startHarness, type Harness } from '../support/harness';
import { SCHOOLS, TWOFOLD, other, writeVisibilityTrust, type RoleKey, type SchoolFixture } from './visibilityTrust';
import { PERIOD, chooseSchool, seedSchool, type Seeded } from './visibilitySeed';
import { SURFACES, fileText, leakIn, markOf, seenSince, withoutEcho, type Viewer } from './visibilitySurfaces';

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

type Ran = { code: number; out: string };

/** A script as `npm run` runs it: tsx, in a process of its own. */
const tsx = (file: string, args: string[]) => (env: Record<string, string>) =>
  new Promise<Ran>((resolve) =>
    execFile(projectPath('node_modules', '.bin', 'tsx'), [projectPath(file), ...args], { cwd: projectPath(), env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, out: `${stdout}\n${stderr}` }),
    ),
  );

/** A script whose work is an exported function: called here, which spares a process on a busy machine. */
const inProcess = (work: (env: Record<string, string>) => Promise<unknown>) => async (env: Record<string, string>): Promise<Ran> => {
  try {
    const out = await work(env);
    return { code: 0, out: Array.isArray(out) ? out.join('\n') : JSON.stringify(out ?? '') };
  } catch (err) {
    return { code: 1, out: String(err) };
  }
};

/**
 * The export and report scripts for one school (LANTERN_SCHOOL), with what each must show of that
 * school. `fails` marks a run that must refuse: the other school's document is not this school's.
 */
const SCRIPTS: Array<{ name: string; run(own: SchoolFixture, dir: string, seed: Seeded): (env: Record<string, string>) => Promise<Ran>; shows(own: SchoolFixture, seed: Seeded): RegExp; echo?(own: SchoolFixture): string; fails?: boolean }> = [
  {
    name: 'export:filter-log',
    run: (_s, dir) => inProcess((env) => exportFilterLog(path.join(dir, 'filter-log.csv'), env)),
    shows: (s, seed) => new RegExp(`^(?=[^]*"requests":${seed.filterRefs.length})(?=[^]*${s.marker.toLowerCase()}-history)(?=[^]*${s.marker} library PCs)`),
  },
  { name: 'export:tutor-log', run: (_s, dir, seed) => tsx('bot/tutoring/exportTutorLog.ts', ['--week', seed.week, '--out', path.join(dir, 'week.xlsx')]), shows: (s) => new RegExp(`^(?=[^]*${s.groups.shared})(?=[^]*${s.groups.own})(?=[^]*${s.marker} assembly practice)`) },
  { name: 'report:term', run: (_s, dir) => tsx('bot/report/reportTermScript.ts', ['--from', PERIOD.from, '--to', PERIOD.to, '--out', path.join(dir, 'pack')]), shows: (s) => new RegExp(`${s.name}[^]*Requests by kind`) },
  { name: 'export:acknowledgements', run: (s, dir) => tsx('bot/acknowledgements/exportAcknowledgements.ts', ['--document', s.document, '--out', path.join(dir, 'acks.xlsx')]), shows: (s) => new RegExp(`^(?=[^]*${s.people.deputy.name})(?=[^]*${s.people.dsl.name})`) },
  {
    name: "export:acknowledgements of the other school's document",
    run: (s, dir) => tsx('bot/acknowledgements/exportAcknowledgements.ts', ['--document', other(s).document, '--out', path.join(dir, 'acks.xlsx')]),
    shows: () => /no acknowledgement campaign for/,
    echo: (s) => other(s).document,
    fails: true,
  },
  { name: 'report:qa', run: () => tsx('bot/policy/reportQa.ts', []), shows: (s) => new RegExp(`${s.marker} minibus keys`) },
  { name: 'setup:check', run: () => inProcess(setupCheckText), shows: (s) => new RegExp(`${s.marker} DSL`) },
  { name: 'config:check', run: () => inProcess(configCheck), shows: (s) => new RegExp(`${s.name}[^]*${s.prefix}`) },
];

/** Runs one script; its exit code, what it printed, and every file it wrote (as a person reads them). */
async function runScript(run: (env: Record<string, string>) => Promise<Ran>, env: Record<string, string>, dir: string): Promise<{ code: number; text: string }> {
  const result = await run(env);
  const files = await Promise.all((await readdir(dir)).map(async (name) => `${name}\n${await fileText(name, await readFile(path.join(dir, name)))}`));
  return { code: result.code, text: [result.out, ...files].join('\n') };
}

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
        if (process.env.VIS_DEBUG === role + school.id) console.log(`==== ${surface.name}\n${seen.slice(0, 1500)}`);
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
