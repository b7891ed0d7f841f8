import assert from 'node:assert/strict';
import { Outbox } from '../../bot/scheduler/outbox';
import { Scheduler } from '../../bot/scheduler/scheduler';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

describe('Outbox on Azurite', () => {
  let tables: TableProvisioner;
  let now: number;
  const clock = () => new Date(now);

  beforeEach(async () => {
    tables = new TableProvisioner(endpointFromConnectionString((await sharedAzurite()).connectionString, 'test', uniquePrefix()));
    now = Date.parse('2026-11-23T09:00:00Z');
  });

  /** One instance: a task with two steps, the second failing while `failing` is set. */
  function instance(effects: string[], state: { failing: boolean }) {
    const scheduler = new Scheduler(tables, { intervalMs: 1000, now: clock });
    const outbox = new Outbox(tables, scheduler, clock);
    outbox.define<{ n: number }, string>('demo', async ({ n }, run) => {
      await run.step('first', async () => void effects.push(`first ${n}`));
      await run.step('second', async () => {
        if (state.failing) throw new Error('down');
        effects.push(`second ${n}${run.inline ? '' : ' (tick)'}`);
      });
      return `receipt ${n}`;
    });
    return { scheduler, outbox };
  }

  it('runs each step once across retries, and gives the receipt again when asked later', async () => {
    const effects: string[] = [];
    const state = { failing: true };
    const { outbox } = instance(effects, state);
    await assert.rejects(outbox.submit('demo', 'task-1', { n: 1 }), /down/);
    state.failing = false;
    assert.deepEqual(await outbox.submit('demo', 'task-1', { n: 1 }), { state: 'done', result: 'receipt 1' });
    assert.deepEqual(await outbox.submit('demo', 'task-1', { n: 1 }), { state: 'done', result: 'receipt 1' });
    assert.deepEqual(effects, ['first 1', 'second 1']);
  });

  it('a task left half-done by a dead instance is finished by another instance once its lease ends', async () => {
    const effects: string[] = [];
    const a = instance(effects, { failing: true });
    await assert.rejects(a.outbox.submit('demo', 'task-2', { n: 2 }), /down/);
    const b = instance(effects, { failing: false });
    assert.deepEqual(await b.outbox.submit('demo', 'task-2', { n: 2 }), { state: 'running' }, "a's claim still holds");
    assert.equal(await b.scheduler.runDue(), 0);
    now += 2 * 60_000;
    assert.equal(await b.scheduler.runDue(), 1);
    assert.deepEqual(effects, ['first 2', 'second 2 (tick)']);
    assert.equal(await b.outbox.result('task-2'), 'receipt 2');
    assert.equal(await b.scheduler.get('task-2'), undefined, 'the job is gone');
  });

  it("a submit answered 'running' on another instance (a redelivered press) gets the receipt in chat it is promised, once", async () => {
    const effects: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const make = () => {
      const scheduler = new Scheduler(tables, { intervalMs: 1000, now: clock });
      const outbox = new Outbox(tables, scheduler, clock);
      outbox.define<{ n: number }, string>('slow', async ({ n }, run) => {
        await run.step('post', async () => {
          effects.push(`post ${n}`);
          await gate;
        });
        if (!run.inline) await run.step('receipt', async () => void effects.push(`receipt in chat ${n}`));
        return `receipt ${n}`;
      });
      return outbox;
    };
    const a = make();
    const b = make();
    const first = a.submit('slow', 'task-3', { n: 3 });
    while (!effects.length) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(await b.submit('slow', 'task-3', { n: 3 }), { state: 'running' }, 'a holds it');
    release();
    assert.deepEqual(await first, { state: 'done', result: 'receipt 3' });
    assert.deepEqual(effects, ['post 3', 'receipt in chat 3'], 'a sent the receipt to the chat as well, since b promised it');
    assert.deepEqual(await b.submit('slow', 'task-3', { n: 3 }), { state: 'done', result: 'receipt 3' });
    assert.deepEqual(effects, ['post 3', 'receipt in chat 3'], 'and nothing twice');
  });

  it("forgets a school's finished tasks only: another school's, in the same table, keep every mark", async () => {
    const school = (id: string) => {
      const scoped = tables.forSchool(id, []);
      const outbox = new Outbox(scoped, new Scheduler(scoped, { intervalMs: 1000, now: clock }), clock);
      outbox.define('demo', async (_p, run) => `receipt ${await run.step('first', async () => id)}`);
      return outbox;
    };
    const a = school('alpha');
    const b = school('beta');
    await a.submit('demo', 'task-4', {});
    await b.submit('demo', 'task-4', {});
    now += 60_000;
    assert.equal(await a.forgetFinished(new Date(now)), 1);
    assert.equal(await a.result('task-4'), undefined, "alpha's marks are gone");
    assert.equal(await b.result('task-4'), 'receipt beta', "beta's are not");
    assert.equal(await b.forgetFinished(new Date(now - 120_000)), 0, 'nor are tasks that finished after the cut-off');
  });

  it('a finished task pressed again after its marks were forgotten answers from its record and does nothing again, if the caller can show it finished', async () => {
    const effects: string[] = [];
    const { outbox, scheduler } = instance(effects, { failing: false });
    assert.deepEqual(await outbox.submit('demo', 'task-5', { n: 5 }), { state: 'done', result: 'receipt 5' });
    now += 60_000;
    assert.equal(await outbox.forgetFinished(new Date(now)), 1);
    const fromRecord = async () => 'receipt 5, from the record';
    assert.deepEqual(await outbox.submit('demo', 'task-5', { n: 5 }, fromRecord), { state: 'done', result: 'receipt 5, from the record' });
    assert.deepEqual(effects, ['first 5', 'second 5'], 'nothing ran again');
    assert.equal(await scheduler.get('task-5'), undefined, 'and no job was made');
    // A task the outbox still knows (unfinished) runs, whatever the caller says.
    const state = { failing: true };
    const half = instance(effects, state);
    await assert.rejects(half.outbox.submit('demo', 'task-6', { n: 6 }), /down/);
    state.failing = false;
    assert.deepEqual(await half.outbox.submit('demo', 'task-6', { n: 6 }, async () => 'not this'), { state: 'done', result: 'receipt 6' });
    assert.deepEqual(effects.slice(2), ['first 6', 'second 6']);
  });
});
