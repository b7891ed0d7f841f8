import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { projectPath } from '../../bot/projectRoot';
import { writeFile } from 'node:fs/promises';
import { configCheck } from '../../bot/config/configCheck';
import { ConfigError } from '../../bot/config/configErrors';
import { EXAMPLE_CONFIG } from '../../bot/config/loadSchoolConfig';
import { DocumentTable } from '../../bot/storage/documentTable';
import { cardOf, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { exampleNames, exampleText, exampleWithout, membersOf, THREE_SECTION_SCHOOL, writeSchoolFile } from '../support/schoolFiles';
import { personalChat, teamChannel } from '../support/teamsChannel';

const run = promisify(execFile);
const helpText = async (h: Harness, who: Member) => visibleText((await h.say(who, 'help'))[0]);
const configAudit = async (h: Harness) => h.lantern.services.audit.history('config', 'school');

describe('school configuration at start-up (e2e over HTTP)', () => {
  let h: Harness | undefined;
  let logged: string[];
  const log = (m: string) => logged.push(m);
  beforeEach(() => (logged = []));
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('reads the edited SCHOOL_CONFIG file at restart, stores it, audits it and says so in one log line', async () => {
    const file = await writeSchoolFile(exampleText());
    h = await startHarness({ env: { SCHOOL_CONFIG: file }, log });
    assert.match(await helpText(h, people.teacher), /Hollins Park School/);
    assert.ok(logged.includes(`school configuration: ${file} (nothing was stored yet; validated and stored)`), logged.join('\n'));

    await writeFile(file, exampleText().replace('name: Hollins Park School', 'name: Elm Street Academy').replace('admins: [adavies, mcole]', 'admins: [adavies]'));
    logged = [];
    await h.restart();
    assert.match(await helpText(h, people.teacher), /Elm Street Academy/);
    assert.deepEqual(logged.filter((l) => l.startsWith('school configuration:')), [`school configuration: ${file} (changed since the stored copy: school (name); roles (admins); validated and stored)`]);
    const events = await configAudit(h);
    assert.equal(events.length, 2);
    assert.deepEqual({ actor: events[1].actor.name, action: events[1].action, changes: events[1].detail?.changes }, { actor: 'Lantern', action: 'config.stored', changes: ['school (name)', 'roles (admins)'] });
    // Mark Cole is no longer an admin: the roster from the new file is the one in force.
    assert.doesNotMatch(await helpText(h, people.itManager), /Lantern admin/);
    assert.equal(h.lantern.services.config.describeSource().source, file);

    // Unchanged at the next start: nothing is stored or audited again.
    logged = [];
    await h.restart();
    assert.ok(logged.includes(`school configuration: ${file} (same as the stored copy)`), logged.join('\n'));
    assert.equal((await configAudit(h)).length, 2);
  });

  it('re-reads the example file when the stored copy came from it', async () => {
    h = await startHarness({ log });
    // As if the example had said something else when it was stored; the example on disk now wins.
    const table = new DocumentTable<{ raw: unknown; source: string; hash: string; storedAt: string }>(h.lantern.services.tables, 'config');
    const stored = (await table.get('school', 'current'))!.value;
    await table.upsert('school', 'current', { ...stored, raw: { ...(stored.raw as object), school: { name: 'Old Example Name' } }, hash: 'older' });
    await h.restart();
    assert.match(await helpText(h, people.teacher), /Hollins Park School/);
    assert.equal(h.lantern.services.config.describeSource().source, EXAMPLE_CONFIG);
  });

  it('keeps the stored copy when restarted without any file', async () => {
    const file = await writeSchoolFile(exampleText().replace('name: Hollins Park School', 'name: Elm Street Academy'));
    h = await startHarness({ env: { SCHOOL_CONFIG: file }, log });
    const storedAt = h.lantern.services.config.describeSource().at;
    h.env.SCHOOL_CONFIG = '';
    logged = [];
    await h.restart();
    assert.match(await helpText(h, people.teacher), /Elm Street Academy/);
    assert.deepEqual(h.lantern.services.config.describeSource(), { source: 'stored copy', at: storedAt });
    assert.match(logged.join('\n'), /school configuration: stored copy \(from .*school\.yaml, stored .*\); no SCHOOL_CONFIG file/);
    const check = (await h.say(people.dpo, 'config check'))[0].activity.text;
    assert.match(check, /^Configuration in use: stored copy \(loaded .*\); no file: the stored copy \(from .*school\.yaml\) is in use\./);
    assert.match(check, /school\.name: Elm Street Academy \[stored\]/);
  });

  it('stops start-up on an invalid new file, naming the field, and leaves the stored copy untouched', async () => {
    const file = await writeSchoolFile(exampleText().replace('name: Hollins Park School', 'name: Elm Street Academy'));
    h = await startHarness({ env: { SCHOOL_CONFIG: file } });
    await writeFile(file, exampleText().replace('itManager: mcole', 'itManager: jbloggs'));
    await assert.rejects(h.restart(), (err: unknown) => err instanceof ConfigError && /roles\.itManager: "jbloggs" is not listed in people/.test(err.message));
    await assert.rejects(configCheck(h.env), /roles\.itManager: "jbloggs" is not listed in people/);
    h.env.SCHOOL_CONFIG = '';
    await h.restart();
    assert.match(await helpText(h, people.teacher), /Elm Street Academy/);
    assert.equal((await configAudit(h)).length, 1);
  });

  it('a bot registered with Teams does not start as the example school by itself', async () => {
    await assert.rejects(
      startHarness({ env: { BOT_ID: '5f1d2c3b-0000-4000-8000-000000000000', BOT_PASSWORD: 'not-a-real-secret', BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: 'tenant-hollins' } }),
      /SCHOOL_CONFIG: required: no school configuration is stored yet/,
    );
  });

  it('an omitted tutoring block: tutor commands say how to set it up and help does not offer them', async () => {
    // A misspelt block is not taken for the real one: start-up and config check name it.
    h = await startHarness({ env: { SCHOOL_CONFIG: await writeSchoolFile(`${exampleWithout('tutoring')}tutorng:\n  sessionDays: [Monday]\n`) }, log });
    assert.ok(logged.some((l) => /^school configuration: .*; not known to Lantern, ignored: tutorng$/.test(l)), logged.join('\n'));
    for (const command of ['log a tutor session', 'my tutor logs', 'export tutor log', 'tutor log week']) {
      const replies = await h.say(people.pastoralHead, command);
      assert.equal(replies.length, 1, command);
      assert.match(replies[0].activity.text, /^Tutor group logs are not set up for this school yet: .*adds a tutoring block .* to the school configuration file/, command);
    }
    const click = await h.click(people.pastoralHead, 'tutor.save', { group: '9B' });
    assert.match(JSON.stringify(click.body), /Tutor group logs are not set up/);
    const help = await helpText(h, people.pastoralHead);
    assert.match(help, /Plan a 1-1 call/);
    assert.doesNotMatch(help, /tutor/i);
    const check = (await h.say(people.dpo, 'config check'))[0].activity.text;
    assert.match(check, /tutoring: not set up \(add a tutoring block/);
    assert.match(check, /tutorng: not a setting Lantern knows; ignored/);
  });
});

describe('a school with only people, sections (Infants, Juniors, Seniors) and roles (e2e over HTTP)', () => {
  const staff = membersOf(THREE_SECTION_SCHOOL);
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { SCHOOL_CONFIG: THREE_SECTION_SCHOOL } });
    for (const m of Object.values(staff)) h.connector.addMember(m);
  });
  after(async () => h.stop());

  it('starts, answers help and every feature, and shows nothing of the example school', async () => {
    const seen: string[] = [];
    const say = async (who: Member, text: string, conversation?: ReturnType<typeof teamChannel>) => {
      const replies = await h.say(who, text, conversation);
      assert.ok(replies.length, `no reply to "${text}"`);
      seen.push(...replies.map(visibleText));
      return replies;
    };
    const help = visibleText((await say(staff.jdata, 'help'))[0]);
    assert.match(help, /Oakfield All-Through School's Lantern as Jo Records — data-protection lead, Lantern admin/);
    assert.match(help, /register dsl Infants/);
    assert.doesNotMatch(help, /tutor/i);
    assert.doesNotMatch(help, /policy question/i, 'the example policies are not this school\'s');
    const question = await say(staff.cinf, 'can I use my own phone to call a parent?');
    assert.match(question[0].activity.text, /^Policy questions are not set up for this school yet: .*POLICY_DIR/);
    await say(staff.esen, 'help');
    const incident = await say(staff.cinf, 'report an incident');
    assert.ok(cardOf(incident.at(-1)), 'the incident form opens');
    await say(staff.cinf, 'request a filter change');
    await say(staff.cinf, 'plan a 1-1 call');
    await say(staff.cinf, 'log a tutor session');
    await say(staff.git, 'register', teamChannel('IT'));
    const welcome = visibleText((await h.install(staff.cinf, personalChat(staff.cinf)))[0]);
    assert.match(welcome, /I help staff at Oakfield All-Through School with online safety: report a concern, request a filter change, plan a 1-1 call, log a call\.\nType \*\*help\*\*/);
    seen.push(welcome);
    const check = (await say(staff.jdata, 'config check'))[0].activity.text;
    assert.match(check, /filtering\.dslSection: Infants \[default for this school\]/);
    assert.match(check, /calls\.tellParentsInSections: Infants, Juniors, Seniors \[default for this school\]/);
    assert.match(check, /incidents\.referencePrefix: INC \[default\]/);
    assert.match(check, /roles\.itManager: git \[file\]/);
    for (const name of exampleNames()) {
      const hit = seen.find((text) => name.test(text));
      assert.equal(hit, undefined, `a reply shows ${name}: ${hit}`);
    }
  });

  it('config check is for admins, in a 1:1 chat', async () => {
    assert.match((await h.say(staff.cinf, 'config check'))[0].activity.text, /^Only a Lantern admin can check the configuration/);
    assert.match((await h.say(staff.jdata, 'config check', teamChannel('Office')))[0].activity.text, /only in a 1:1 chat/);
  });

  it('npm run config:check reads the same file and tables as the bot and prints each value with its source', async () => {
    const lines = await configCheck(h.env);
    assert.match(lines[0], new RegExp(`^Configuration in use: ${THREE_SECTION_SCHOOL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(loaded .*\\); same as the stored copy\\.$`));
    assert.ok(lines.includes('school.name: Oakfield All-Through School [file]'), lines.join('\n'));
    assert.ok(lines.includes('school.timezone: Europe/London [default]'));
    assert.ok(lines.includes('sections.Seniors: DSL esen; deputies fdep; years Year 7, Year 8, Year 9, Year 10, Year 11 [file]'));
    assert.ok(lines.includes('filtering.stepReminderHours: 24 [default]'));
    assert.ok(lines.some((l) => /^tutoring: not set up/.test(l)));
  });

  it('npm run config:check as a command: prints the report, or exits 1 naming the bad field', async function () {
    this.timeout(60_000);
    const script = (schoolConfig: string) =>
      run(projectPath('node_modules', '.bin', 'tsx'), [projectPath('bot', 'config', 'configCheck.ts')], { cwd: projectPath(), env: { ...process.env, ...h.env, SCHOOL_CONFIG: schoolConfig } });
    const { stdout } = await script(THREE_SECTION_SCHOOL);
    assert.match(stdout, /^school\.name: Oakfield All-Through School \[file\]$/m);
    const bad = await writeSchoolFile(readFileSync(THREE_SECTION_SCHOOL, 'utf8').replace('itManager: git', 'itManager: nobody'));
    await assert.rejects(script(bad), (err: { code?: number; stderr?: string }) => err.code === 1 && /config:check: .*school\.yaml is not valid:\n\s+- roles\.itManager: "nobody" is not listed in people/.test(err.stderr ?? ''));
  });
});
