import assert from 'node:assert/strict';
import { applyStep, checkActor, doneBy, holdsStepRole, STEPS } from '../../bot/filtering/chain';
import type { PersonRef, StepRecord } from '../../bot/filtering/filterRequest';
import { filteringSettingsSchema, STEP_IDS, type FilteringSettings, type StepId } from '../../bot/filtering/settings';
import { filterRequest as request } from '../filtering/helpers';
import { EVERYONE, exampleRoster, smallRoster } from './school';

// Separation of duties in the filter-change chain (sanction → authorise → make → confirm) for every
// role of the example school. The request is made by the head of maths (cshaw) unless a test says.

const roster = exampleRoster();
const defaults: FilteringSettings = filteringSettingsSchema.parse({ dslSection: 'Senior' });
const settings = (over: Partial<FilteringSettings>) => ({ ...defaults, ...over });
const ref = (id: string): PersonRef => ({ id, name: roster.person(id)?.name ?? id });

/** Who in the example school holds the role for a step, in roster order. */
const holders = (step: StepId, s = defaults) => EVERYONE.filter((id) => holdsStepRole(step, id, roster, s));

const ROLE_HOLDERS: Record<StepId, string[]> = {
  sanction: ['dkhan', 'lmorris'],
  authorise: ['mcole'],
  make: ['mcole', 'swu', 'jboateng'],
  confirm: ['dkhan', 'lmorris', 'efisher'],
};

describe('rules: who holds the role for each filter step', () => {
  it('gives each step to its roles only: the senior DSL team sanctions, the IT manager authorises, IT makes, DSL team or pastoral deputy head confirms', () => {
    for (const step of STEP_IDS) assert.deepEqual(holders(step), ROLE_HOLDERS[step], step);
  });

  it('never lets a technician authorise, a DSL authorise or make, or IT sanction or confirm', () => {
    for (const id of ['swu', 'jboateng', 'dkhan', 'lmorris']) assert.equal(holdsStepRole('authorise', id, roster, defaults), false, id);
    for (const id of ['dkhan', 'lmorris', 'efisher']) assert.equal(holdsStepRole('make', id, roster, defaults), false, id);
    for (const id of ['mcole', 'swu', 'jboateng']) {
      assert.equal(holdsStepRole('sanction', id, roster, defaults), false, id);
      assert.equal(holdsStepRole('confirm', id, roster, defaults), false, id);
    }
  });

  it('gives no step to the Head, the Chair, other sections\' DSLs, the academic deputy head or the DPL by default', () => {
    for (const id of ['hbrook', 'rowen', 'pgreen', 'tjones', 'kpatel', 'ngrant', 'adavies', 'cshaw', 'teacher']) {
      for (const step of STEP_IDS) assert.equal(holdsStepRole(step, id, roster, defaults), false, `${id} / ${step}`);
    }
  });

  it('lets the school choose who confirms', () => {
    assert.deepEqual(holders('confirm', settings({ confirmBy: ['dsl'] })), ['dkhan', 'lmorris']);
    assert.deepEqual(holders('confirm', settings({ confirmBy: ['deputy-head-academic'] })), ['ngrant']);
    assert.deepEqual(holders('confirm', settings({ confirmBy: ['deputy-head-pastoral', 'deputy-head-academic'] })), ['efisher', 'ngrant']);
  });

  it('takes the sanctioning DSL team from the configured section, matched as the roster matches names', () => {
    assert.deepEqual(holders('sanction', settings({ dslSection: 'Prep' })), ['pgreen', 'kpatel']);
    assert.deepEqual(holders('sanction', settings({ dslSection: 'prep' })), ['pgreen', 'kpatel']);
    assert.deepEqual(holders('confirm', settings({ dslSection: 'Prep' })), ['pgreen', 'efisher', 'kpatel']);
    assert.deepEqual(holders('sanction', settings({ dslSection: 'Sixth Form' })), [], 'a section the school does not have: nobody sanctions');
    assert.deepEqual(holders('confirm', settings({ dslSection: 'Sixth Form' })), ['efisher']);
  });

  it('gives nothing to someone not identified', () => {
    for (const step of STEP_IDS) {
      assert.equal(holdsStepRole(step, undefined, roster, defaults), false, step);
      assert.equal(holdsStepRole(step, '', roster, defaults), false, step);
    }
  });

  it('names the steps as people see them', () => {
    assert.deepEqual(STEPS, {
      sanction: { waiting: 'Waiting for the DSL to sanction', button: 'Sanction', done: 'Sanctioned', who: 'the DSL', audit: 'filter.sanctioned' },
      authorise: { waiting: 'Waiting for the IT manager to authorise', button: 'Authorise', done: 'Authorised', who: 'the IT manager', audit: 'filter.authorised' },
      make: { waiting: 'Waiting for IT to make the change in the filter', button: 'Change made', done: 'Change made', who: 'an IT technician', audit: 'filter.changed' },
      confirm: { waiting: 'Waiting for the DSL or deputy head to confirm it works', button: 'Confirm it works', done: 'Confirmed', who: 'the DSL or deputy head', audit: 'filter.confirmed' },
    });
  });
});

describe('rules: separation of duties when someone acts on a filter step', () => {
  const OK = { ok: true };
  const roleRefusal = (step: StepId) => ({ ok: false, kind: 'role', message: `Only ${STEPS[step].who} can do this step. Nothing was changed.` });
  const selfRefusal = { ok: false, kind: 'self', message: 'You made request FLT-2026-0001, so someone else must act on it. Nothing was changed.' };

  it('lets each role holder act on a step waiting for them, and refuses everyone else by role', () => {
    for (const step of STEP_IDS) {
      const waiting = request({ step });
      for (const id of EVERYONE) {
        const expected = ROLE_HOLDERS[step].includes(id) ? OK : roleRefusal(step);
        assert.deepEqual(checkActor(waiting, step, ref(id), roster, defaults), expected, `${id} / ${step}`);
      }
    }
  });

  it('never lets the requester sanction, authorise, make or confirm their own change', () => {
    for (const step of STEP_IDS) {
      for (const id of ROLE_HOLDERS[step]) {
        assert.deepEqual(checkActor(request({ step, requestedBy: ref(id) }), step, ref(id), roster, defaults), selfRefusal, `${id} / ${step}`);
      }
    }
  });

  it('refuses a requester without the role for the role, saying nothing about the request', () => {
    assert.deepEqual(checkActor(request({ step: 'sanction' }), 'sanction', ref('cshaw'), roster, defaults), roleRefusal('sanction'));
  });

  it('never lets whoever made the change confirm it works, but lets the rest of the team', () => {
    // A small school where a deputy DSL is also an IT technician.
    const small = smallRoster({ people: ['dsl', 'both', 'itm', 'dhp', 'teacher'], sections: [{ name: 'Senior', dsl: 'dsl', deputies: ['both'] }], roles: { itTechnicians: ['both'] } });
    const made: StepRecord = { step: 'make', outcome: 'done', by: { id: 'both', name: 'Both' }, at: '2026-11-22T10:00:00.000Z' };
    const waiting = request({ step: 'confirm', requestedBy: { id: 'teacher', name: 'T' }, history: [made] });
    assert.deepEqual(checkActor(waiting, 'confirm', { id: 'both', name: 'Both' }, small, defaults), { ok: false, kind: 'separation', message: 'You made this change in the filter, so someone else must confirm it works. Nothing was changed.' });
    assert.deepEqual(checkActor(waiting, 'confirm', { id: 'dsl', name: 'DSL' }, small, defaults), OK);
    assert.deepEqual(checkActor(waiting, 'confirm', { id: 'dhp', name: 'DHP' }, small, defaults), OK);
    assert.deepEqual(checkActor({ ...waiting, history: [{ ...made, step: 'sanction' }] }, 'confirm', { id: 'both', name: 'Both' }, small, defaults), OK, 'only making the change bars confirming it');
    assert.deepEqual(checkActor(request({ step: 'confirm', history: [{ ...made, by: ref('dkhan') }] }), 'confirm', ref('dkhan'), roster, defaults).ok, false);
  });

  it('refuses a step that is not waiting, naming who did it, before looking at the clicker\'s role', () => {
    const sanctioned: StepRecord = { step: 'sanction', outcome: 'done', by: ref('dkhan'), at: '2026-11-22T10:00:00.000Z' };
    const atAuthorise = request({ step: 'authorise', history: [sanctioned] });
    const done = { ok: false, kind: 'finished', message: 'This step was already done by Daniel Khan. Nothing was changed.' };
    assert.deepEqual(checkActor(atAuthorise, 'sanction', ref('lmorris'), roster, defaults), done);
    assert.deepEqual(checkActor(atAuthorise, 'sanction', ref('teacher'), roster, defaults), done);
    assert.deepEqual(checkActor(atAuthorise, 'confirm', ref('efisher'), roster, defaults), { ok: false, kind: 'finished', message: 'FLT-2026-0001 is not waiting for this step. Nothing was changed.' });
    const declined = request({ status: 'declined', step: undefined, history: [{ ...sanctioned, outcome: 'declined', by: ref('lmorris') }] });
    assert.deepEqual(checkActor(declined, 'sanction', ref('dkhan'), roster, defaults), { ok: false, kind: 'finished', message: 'This step was already declined by Laura Morris. Nothing was changed.' });
  });

  it('refuses a step on a request that is no longer in progress, even if the step is still recorded', () => {
    for (const status of ['declined', 'in-force', 'ended'] as const) {
      assert.deepEqual(checkActor(request({ status, step: 'sanction' }), 'sanction', ref('dkhan'), roster, defaults), { ok: false, kind: 'finished', message: 'FLT-2026-0001 is not waiting for this step. Nothing was changed.' }, status);
    }
  });

  it('names whoever did the step last', () => {
    const history: StepRecord[] = [
      { step: 'make', outcome: 'done', by: ref('swu'), at: '2026-11-22T10:00:00.000Z' },
      { step: 'make', outcome: 'done', by: ref('jboateng'), at: '2026-11-22T11:00:00.000Z' },
    ];
    const check = checkActor(request({ step: 'confirm', history }), 'make', ref('mcole'), roster, defaults);
    assert.deepEqual(check, { ok: false, kind: 'finished', message: 'This step was already done by James Boateng. Nothing was changed.' });
  });
});

describe('rules: how a filter request moves along its chain', () => {
  const t = (h: number) => new Date(Date.UTC(2026, 10, 22, h));
  const record = (step: StepId, id: string, h: number, extra: Partial<StepRecord> = {}): StepRecord => ({ step, outcome: 'done', by: ref(id), at: t(h).toISOString(), reason: undefined, filterReference: undefined, ...extra });

  it('walks the full chain to in force, keeping the filter\'s reference from the make step', () => {
    const r0 = request();
    const r1 = applyStep(r0, 'sanction', ref('dkhan'), t(9), { outcome: 'done' });
    assert.deepEqual(r1, { ...r0, history: [record('sanction', 'dkhan', 9)], filterReference: undefined, status: 'in-progress', step: 'authorise' });
    const r2 = applyStep(r1, 'authorise', ref('mcole'), t(10), { outcome: 'done', reason: 'fine' });
    assert.deepEqual([r2.status, r2.step, r2.history[1]], ['in-progress', 'make', record('authorise', 'mcole', 10, { reason: 'fine' })]);
    const r3 = applyStep(r2, 'make', ref('swu'), t(11), { outcome: 'done', filterReference: 'CHG-42' });
    assert.deepEqual([r3.status, r3.step, r3.filterReference, r3.history[2]], ['in-progress', 'confirm', 'CHG-42', record('make', 'swu', 11, { filterReference: 'CHG-42' })]);
    const r4 = applyStep(r3, 'confirm', ref('efisher'), t(12), { outcome: 'done' });
    assert.deepEqual([r4.status, r4.step, r4.filterReference, r4.history.length], ['in-force', undefined, 'CHG-42', 4]);
    assert.deepEqual(r0.history, [], 'the stored request is not changed in place');
  });

  it('follows a shorter chain the school configured', () => {
    const short = request({ chain: ['sanction', 'make'] });
    const sanctioned = applyStep(short, 'sanction', ref('dkhan'), t(9), { outcome: 'done' });
    assert.deepEqual([sanctioned.status, sanctioned.step], ['in-progress', 'make']);
    const made = applyStep(sanctioned, 'make', ref('swu'), t(10), { outcome: 'done' });
    assert.deepEqual([made.status, made.step], ['in-force', undefined]);
    const noConfirm = request({ chain: ['sanction', 'authorise', 'make'], step: 'make' });
    assert.deepEqual([applyStep(noConfirm, 'make', ref('swu'), t(9), { outcome: 'done' }).status], ['in-force']);
  });

  it('stops on a decline at any step, recording why, and takes no filter reference from it', () => {
    for (const step of STEP_IDS) {
      const r = applyStep(request({ step }), step, ref('mcole'), t(9), { outcome: 'declined', reason: 'Not suitable', filterReference: 'X' });
      assert.deepEqual(r, { ...request({ step }), history: [record(step, 'mcole', 9, { outcome: 'declined', reason: 'Not suitable', filterReference: 'X' })], status: 'declined', step: undefined }, step);
    }
  });

  it('reports who did a step for the log, ignoring a decline', () => {
    const history: StepRecord[] = [record('sanction', 'lmorris', 9, { outcome: 'declined' }), record('sanction', 'dkhan', 10), record('make', 'swu', 11), record('make', 'jboateng', 12)];
    const r = request({ history });
    assert.deepEqual(doneBy(r, 'sanction'), history[1]);
    assert.deepEqual(doneBy(r, 'make'), history[2], 'the first time it was done');
    assert.equal(doneBy(r, 'confirm'), undefined);
    assert.equal(doneBy(request({ history: [history[0]] }), 'sanction'), undefined);
  });
});
