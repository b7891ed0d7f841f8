import assert from 'node:assert/strict';
import { startHarness, type Harness, type InvokeResult } from '../support/harness';
import { people } from '../support/people';
import { formData, sendRequest } from '../filtering/helpers';
import { fileReport, PUPIL_DETAILS } from '../incidents/reportSteps';

/** Everything a refusal answer shows, with the reference the clicker typed blanked out. */
function answer(res: InvokeResult, reference: string): string {
  assert.equal(res.status, 200);
  return `${res.body?.type} ${JSON.stringify(res.body?.value)}`.split(reference).join('<ref>');
}

function nextReference(reference: string): string {
  const [prefix, year, n] = reference.split('-');
  return `${prefix}-${year}-${String(Number(n) + 1).padStart(n!.length, '0')}`;
}

describe('security: a refusal discloses nothing (e2e)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
    for (const who of [people.seniorDsl, people.seniorDeputy, people.itManager, people.technician, people.teacher, people.teacher2, people.head, people.chair, people.pastoralHead]) await h.say(who, 'help');
  });
  after(async () => h?.stop());

  it('answers a guessed filter reference exactly as an unknown one, with no field of the request', async () => {
    const reason = 'Jamie Example in 9B needs the archive for a history project.';
    const reference = await sendRequest(h, people.teacher, { ...formData(), reason });
    const unknown = nextReference(reference);
    for (const [verb, data] of [
      ['filter.approve', { step: 'sanction' }],
      ['filter.approve', { step: 'authorise' }],
      ['filter.decline', { step: 'sanction', comment: 'no' }],
      ['filter.reviewed', { outcome: 'reverted' }],
    ] as const) {
      const guessed = answer(await h.click(people.teacher2, verb, { reference, ...data }), reference);
      const missing = answer(await h.click(people.teacher2, verb, { reference: unknown, ...data }), unknown);
      assert.equal(guessed, missing, `${verb} ${data.step ?? ''}`);
      for (const secret of ['example-history', 'Jamie', 'history project', people.teacher.name, 'Year 9', 'temporary']) {
        assert.ok(!guessed.toLowerCase().includes(secret.toLowerCase()), `${verb} shows "${secret}": ${guessed}`);
      }
    }
    const refusals = (await h.lantern.services.audit.history('filter-request', reference)).filter((e) => /refused/.test(e.action));
    assert.equal(refusals.length, 4, 'each refused press is audited on the request');
    assert.ok(refusals.every((e) => e.actor.id === people.teacher2.aadObjectId));
  });

  it('shows a step holder who may not read the filter log nothing of a request that has not reached their step', async () => {
    const reason = 'Jamie Example in 9B needs the archive for a history project.';
    const reference = await sendRequest(h, people.teacher, { ...formData(), reason });
    const unknown = nextReference(reference);
    // The deputy head (pastoral) confirms filter changes, but the log is for the DSLs and IT.
    const forged = answer(await h.click(people.pastoralHead, 'filter.approve', { reference, step: 'confirm' }), reference);
    const missing = answer(await h.click(people.pastoralHead, 'filter.approve', { reference: unknown, step: 'confirm' }), unknown);
    assert.equal(forged, missing);
    for (const secret of ['example-history', 'Jamie', 'history project', people.teacher.name]) assert.ok(!forged.toLowerCase().includes(secret.toLowerCase()), `shows "${secret}": ${forged}`);
  });

  it('answers a forged case action exactly as an unknown reference, and puts the attempt on the case chronology', async () => {
    const { ref } = await fileReport(h, people.teacher, { section: 'Senior', category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    const unknown = nextReference(ref);
    for (const [verb, data] of [
      ['incident.open', {}],
      ['incident.claim', {}],
      ['incident.note', { note: 'forged' }],
      ['incident.status', { status: 'closed', reason: 'x' }],
      ['incident.assign', { assignee: 'swu' }],
    ] as const) {
      const forged = answer(await h.click(people.technician, verb, { ref, ...data }), ref);
      const missing = answer(await h.click(people.technician, verb, { ref: unknown, ...data }), unknown);
      assert.equal(forged, missing, verb);
      assert.ok(!/Jamie|nobody likes me|bullying/i.test(forged), forged);
    }
    const record = JSON.stringify((await h.click(people.seniorDsl, 'incident.open', { ref })).body?.value);
    assert.match(record, /Sarah Wu/);
    assert.match(record, /Tried to open or change this case and was refused/);
  });
});
