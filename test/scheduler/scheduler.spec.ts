import assert from 'node:assert/strict';
import { Scheduler, type Job } from '../../bot/scheduler/scheduler';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

describe('Scheduler on Azurite', () => {
  let tables: TableProvisioner;
  let now: number;
  const clock = () => new Date(now);

  beforeEach(async () => {
    const azurite = await sharedAzurite();
    tables = new TableProvisioner(endpointFromConnectionString(azurite.connectionString, 'test', uniquePrefix()));
    now = Date.parse('2026-11-23T09:00:00Z');
  });

  function instance(ran: Job[], leaseMs?: number) {
    const s = new Scheduler(tables, { intervalMs: 1000, now: clock, leaseMs });
    s.handle('escalate', async (job) => {
      ran.push(job);
    });
    return s;
  }

  it('runs a job only when it is due', async () => {
    const ran: Job[] = [];
    const s = instance(ran);
    await s.schedule('escalate', new Date(now + 60_000), { caseRef: 'C-1' }, 'esc-C-1');
    assert.equal(await s.runDue(), 0);
    now += 61_000;
    assert.equal(await s.runDue(), 1);
    assert.deepEqual(ran.map((j) => j.payload), [{ caseRef: 'C-1' }]);
    assert.equal(await s.runDue(), 0, 'a finished job is gone');
  });

  it('two instances racing for the same due jobs run each exactly once', async () => {
    const ranA: Job[] = [];
    const ranB: Job[] = [];
    const a = instance(ranA);
    const b = instance(ranB);
    for (let i = 0; i < 10; i++) await a.schedule('escalate', new Date(now - 1000), { i }, `job-${i}`);
    await Promise.all([a.runDue(), b.runDue()]);
    const all = [...ranA, ...ranB].map((j) => j.id).sort();
    assert.deepEqual(all, Array.from({ length: 10 }, (_, i) => `job-${i}`).sort());
  });

  it('survives a restart: a new instance finds jobs scheduled by the old one', async () => {
    await instance([]).schedule('escalate', new Date(now + 1000), { caseRef: 'C-9' }, 'esc-C-9');
    now += 2000;
    const ran: Job[] = [];
    assert.equal(await instance(ran).runDue(), 1);
    assert.equal(ran[0].payload.caseRef, 'C-9');
  });

  it('scheduling the same id twice keeps one job, at the newer time', async () => {
    const s = instance([]);
    await s.schedule('escalate', new Date(now + 1000), {}, 'same');
    await s.schedule('escalate', new Date(now + 5000), {}, 'same');
    const pending = await s.pending('escalate');
    assert.equal(pending.length, 1);
    assert.equal(pending[0].due, new Date(now + 5000).toISOString());
    await s.cancel('same');
    assert.equal((await s.pending()).length, 0);
  });

  it('retries a failed job later, after a backoff', async () => {
    const s = new Scheduler(tables, { intervalMs: 1000, now: clock, leaseMs: 60_000 });
    let failures = 1;
    const ran: string[] = [];
    s.handle('flaky', async (job) => {
      if (failures-- > 0) throw new Error('connector down');
      ran.push(job.id);
    });
    await s.schedule('flaky', new Date(now), {}, 'flaky-1');
    await s.runDue();
    assert.deepEqual(ran, []);
    now += 10_000;
    assert.equal(await s.runDue(), 0, 'not retried before its backoff');
    now += 30_000;
    await s.runDue();
    assert.deepEqual(ran, ['flaky-1']);
  });

  it('re-runs a job whose runner died, once its lease has run out', async () => {
    const stuck = new Scheduler(tables, { intervalMs: 1000, now: clock, leaseMs: 60_000 });
    let started = false;
    stuck.handle('escalate', () => {
      started = true;
      return new Promise<void>(() => undefined); // the instance "dies" mid-job
    });
    await stuck.schedule('escalate', new Date(now), {}, 'orphan');
    void stuck.runDue();
    while (!started) await new Promise((r) => setTimeout(r, 5));
    const ran: Job[] = [];
    const other = instance(ran);
    assert.equal(await other.runDue(), 0, 'claimed by the first instance');
    now += 61_000;
    assert.equal(await other.runDue(), 1);
    assert.equal(ran[0].attempts, 2);
  });

  it('lets a repeating job reschedule itself under the same id', async () => {
    const s = new Scheduler(tables, { intervalMs: 1000, now: clock });
    let runs = 0;
    s.handle('weekly', async (job) => {
      runs += 1;
      await s.schedule('weekly', new Date(Date.parse(job.due) + 7 * 86_400_000), {}, job.id);
    });
    await s.schedule('weekly', new Date(now), {}, 'friday-summary');
    await s.runDue();
    const next = await s.get('friday-summary');
    assert.equal(runs, 1);
    assert.equal(next?.due, new Date(now + 7 * 86_400_000).toISOString());
  });
});
