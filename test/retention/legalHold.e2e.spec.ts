import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { retentionModule } from '../../bot/retention';
import { DocumentTable } from '../../bot/storage/documentTable';
import { actionsOf, cardText, visibleText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { teamChannel } from '../support/teamsChannel';
import { fileReport, PUPIL_DETAILS, shown } from '../incidents/reportSteps';

describe('legal hold on a case (over HTTP, through the real bot)', () => {
  let h: Harness;
  let ref: string;
  const channel = teamChannel('Safeguarding Senior');
  const stored = async (r = ref) => (await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').get('case', r))!;
  const reply = async (who: (typeof people)[keyof typeof people], text: string) => visibleText((await h.say(who, text))[0]);

  before(async function () {
    this.timeout(60_000);
    h = await startHarness({ modules: [incidentsModule, retentionModule] });
    await h.say(people.dpo, 'register dsl Senior', channel);
    for (const m of [people.seniorDsl, people.seniorDeputy, people.head, people.chair]) await h.say(m, 'help');
    ({ ref } = await fileReport(h, people.teacher, { category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS }));
  });
  after(async () => h.stop());

  it('lets the DSL place a hold from the record card, audited with who, when and why, and the card then offers to lift it', async () => {
    const clock = fakeDate('2026-11-24T10:15:00Z');
    try {
      const res = await h.click(people.seniorDsl, 'retention.hold', { ref, holdReason: 'Police asked us to keep everything (ref OP-77)' });
      const card = res.body?.value;
      assert.match(cardText(card), /Legal hold placed on INC-\d{4}-\d{4}[\s\S]*Legal hold[\s\S]*Held since Tue 24 Nov 2026, 10:15 by Daniel Khan: Police asked us to keep everything/);
      assert.deepEqual(actionsOf(card).filter((a) => a.verb.startsWith('retention.')).map((a) => [a.title, a.verb]), [['Lift legal hold', 'retention.release']]);
    } finally {
      clock.restore();
    }
    const c = (await stored()).value;
    assert.deepEqual(c.legalHold, { reason: 'Police asked us to keep everything (ref OP-77)', by: { id: 'dkhan', name: 'Daniel Khan' }, at: '2026-11-24T10:15:00.000Z' });
    const event = (await h.lantern.services.audit.history('incident', ref)).find((e) => e.action === 'case.legal-hold-placed')!;
    assert.deepEqual([event.actor, event.at, event.reason], [{ id: 'dkhan', name: 'Daniel Khan' }, '2026-11-24T10:15:00.000Z', 'Police asked us to keep everything (ref OP-77)']);
  });

  it('says so, and changes nothing, when the case is already held or the reason is missing', async () => {
    const before = await stored();
    assert.match(await reply(people.head, `hold ${ref} again`), /already under legal hold \(placed by Daniel Khan\)\. Nothing was changed/);
    assert.match(shown(await h.click(people.seniorDsl, 'retention.release', { ref, holdReason: '  ' })), /Say why the hold is being lifted/);
    assert.equal((await stored()).etag, before.etag);
  });

  it('refuses anyone else and shows nothing of the case: the same answer as for a case that does not exist', async () => {
    const before = await stored();
    const unknown = ref.replace(/\d{4}$/, '9999');
    const refusal = (r: string) => `Case ${r} isn't one you handle, or doesn't exist. Nothing was changed.`;
    assert.equal(await reply(people.teacher, `release hold ${ref} not needed`), refusal(ref));
    assert.equal(await reply(people.teacher, `release hold ${unknown} not needed`), refusal(unknown));
    assert.equal(String((await h.click(people.prepDsl, 'retention.release', { ref, holdReason: 'forged' })).body?.value), refusal(ref), 'a DSL of another section');
    assert.equal(String((await h.click(people.technician, 'retention.release', { ref, holdReason: 'forged' })).body?.value), refusal(ref));
    // A deputy may handle the case, but a hold is for the DSL or the Head.
    const deputy = String((await h.click(people.seniorDeputy, 'retention.release', { ref, holdReason: 'not needed' })).body?.value);
    assert.match(deputy, /Only a DSL or the Head .* can place or lift a legal hold\. Nothing was changed/);
    for (const text of [deputy, await reply(people.teacher, `hold ${ref} x`)]) assert.doesNotMatch(text, /Jamie|cyberbullying|Daniel Khan|Police asked/i);
    const after = await stored();
    assert.equal(after.etag, before.etag);
    assert.deepEqual(after.value, before.value);
    const refused = (await h.lantern.services.audit.history('incident', ref)).filter((e) => e.action === 'incident.access-refused');
    assert.equal(refused.length, 4, 'each refused attempt on the case is in its chronology');
    assert.deepEqual((await h.lantern.services.audit.history('incident', ref)).filter((e) => e.action === 'case.legal-hold-refused').map((e) => e.actor.name), ['Laura Morris']);
    assert.match(await reply(people.seniorDsl, 'hold INC-26-1 reason'), /not a case reference/);
    assert.match(await reply(people.seniorDsl, 'hold'), /Which case, and why\?/);
  });

  it('lets the Head lift it, with the reason audited; a second lift says there is no hold', async () => {
    assert.match(await reply(people.head, `release hold ${ref} The police investigation has closed`), /Legal hold lifted from INC-/);
    assert.equal((await stored()).value.legalHold, undefined);
    const lifted = (await h.lantern.services.audit.history('incident', ref)).find((e) => e.action === 'case.legal-hold-lifted')!;
    assert.deepEqual([lifted.actor.name, lifted.reason], ['Helen Brook', 'The police investigation has closed']);
    assert.match(await reply(people.head, `lift hold ${ref} again`), /is not under legal hold\. Nothing was changed/);
  });

  it('is offered in help to those who may use it', async () => {
    const help = async (m: (typeof people)[keyof typeof people]) => visibleText((await h.say(m, 'help')).at(-1));
    assert.match(await help(people.seniorDsl), /Retention report[\s\S]*Legal hold/);
    assert.match(await help(people.dpo), /Retention report/);
    assert.doesNotMatch(await help(people.teacher), /Retention report|Legal hold/);
  });

  it('keeps a case about the Head from the Head: only the Chair may hold it', async () => {
    const { ref: about } = await fileReport(h, people.teacher, { section: 'Senior', category: 'staff-misuse', subject: 'head', details: { occurredOn: '2026-11-19', place: 'on-site', description: 'The Head shared pupil photos.' } });
    assert.equal(await reply(people.head, `hold ${about} keep it`), `Case ${about} isn't one you handle, or doesn't exist. Nothing was changed.`);
    assert.match(await reply(people.chair, `hold ${about} Governors' inquiry`), /Legal hold placed/);
    assert.equal((await stored(about)).value.legalHold?.by.name, 'Rachel Owen');
  });
});
