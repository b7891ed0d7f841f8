/**
 * `npm run bench:broadcast`: a campaign to 2,000 staff through a local connector that throttles
 * like Teams (50 requests a second for the app, 7 a second and 60 in 30 s per conversation, 429 +
 * Retry-After beyond). Prints cards delivered per second against what the limit allows, 429s,
 * duplicates, people missed, time and memory; a danger alert raised half-way and how long it took
 * to reach the DSL; then the same campaign with a restart half-way. Asserts nothing: it measures.
 */
import { writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { acknowledgementsModule } from '../../bot/acknowledgements';
import { incidentsModule } from '../../bot/incidents';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { cardOf, cardText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { Harness } from '../support/harness';
import { people } from '../support/people';
import { exampleText } from '../support/schoolFiles';
import { TEAMS_LIKE, Throttle } from '../support/throttle';
import { campaignsOf, startCampaign } from '../acknowledgements/steps';
import { addToStaffTeam, raiseDangerAlert } from '../reach/reachSteps';
import { startAzuriteProcess } from './azuriteProcess';

const STAFF = Number(process.env.BENCH_STAFF ?? 2000);
/** Cards a second the school sets: a first card is two requests, so 23 is 92% of Teams' 50/s. */
const CARDS_PER_SECOND = Number(process.env.BENCH_CARDS_PER_SECOND ?? 23);

const ROSTER_EXAMPLE_PEOPLE = (YAML.parse(exampleText()) as { people: unknown[] }).people.length;

function staffMembers(n: number): Member[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `staff${String(i + 1).padStart(4, '0')}`;
    return { id: `29:${id}`, name: `Staff Member ${i + 1}`, aadObjectId: `55555555-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`, email: `${id}@hollinspark.example.org` };
  });
}

async function schoolFile(staff: Member[]): Promise<string> {
  const raw = YAML.parse(exampleText());
  raw.people.push(...staff.map((m) => ({ id: m.id.slice(3), name: m.name, email: m.email, aadObjectId: m.aadObjectId })));
  raw.acknowledgements = { cardsPerSecond: CARDS_PER_SECOND };
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'lantern-bench-')), 'school.yaml');
  await writeFile(file, YAML.stringify(raw));
  return file;
}

interface Result {
  label: string;
  cards: number;
  seconds: number;
  perSecond: number;
  allowedPerSecond: number;
  throttled: number;
  duplicates: number;
  missed: number;
  peakRssMb: number;
  peakHeapMb: number;
  alertMs?: number;
  quietAlertMs?: number;
}

/** From the teacher's press on "a child is in immediate danger" to the alert reaching Teams for the DSL. */
async function timeDangerAlert(h: Harness, reporter: Member): Promise<number> {
  const before = h.connector.sent.length;
  const t = performance.now();
  const gate = raiseDangerAlert(h, 'Senior', reporter);
  await h.connector.waitFor(() => h.connector.sent.slice(before).some((s) => /URGENT: a child may be in immediate danger/.test(cardText(cardOf(s)) + (s.activity.text ?? ''))), 'the danger alert', 30_000);
  const ms = performance.now() - t;
  await gate;
  return ms;
}

async function run(label: string, connectionString: string, staff: Member[], file: string, options: { restartAt?: number; alertAt?: number }): Promise<Result> {
  const h = new Harness({ modules: [incidentsModule, acknowledgementsModule], ...(process.env.BENCH_LOG ? { log: (m: string) => console.log(`  [bot] ${m}`) } : {}), env: { TABLES_CONNECTION_STRING: connectionString, SCHOOL_CONFIG: file, POLICY_DIR: EXAMPLE_POLICIES } });
  await h.start();
  const lead = people.seniorDsl;
  const everyone = [...Object.values(people), ...staff];
  try {
    await h.say(lead, 'help');
    await addToStaffTeam(h, everyone, people.dpo);
    const throttle = new Throttle(TEAMS_LIKE);
    h.connector.throttle = throttle;

    // Cards per conversation, counted as they arrive.
    const perConversation = new Map<string, number>();
    let seen = 0;
    const count = () => {
      for (; seen < h.connector.sent.length; seen++) {
        const s = h.connector.sent[seen];
        if (/^Please read and acknowledge/.test(cardText(cardOf(s)))) perConversation.set(s.conversationId, (perConversation.get(s.conversationId) ?? 0) + 1);
      }
      return [...perConversation.values()].reduce((a, b) => a + b, 0);
    };
    let peakRss = 0;
    let peakHeap = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 250);

    // The same alert with nothing else going on, to compare with.
    const quietAlertMs = options.alertAt !== undefined ? await timeDangerAlert(h, people.teacher) : undefined;
    const acceptedBefore = throttle.accepted.length;
    const started = performance.now();
    await startCampaign(h, lead, { audience: 'all', due: '2099-01-31' });
    let alertMs: number | undefined;
    let restarted = false;
    // Everyone in the school configuration (the two test teachers are staff Lantern does not list).
    const target = staff.length + ROSTER_EXAMPLE_PEOPLE;
    for (;;) {
      const cards = count();
      if (options.alertAt !== undefined && alertMs === undefined && cards >= options.alertAt) {
        alertMs = await timeDangerAlert(h, people.teacher2);
        if (process.env.BENCH_LOG) console.log(`  danger alert: ${Math.round(alertMs)} ms`);
      }
      if (options.restartAt !== undefined && !restarted && cards >= options.restartAt) {
        restarted = true;
        await h.restart();
        void campaignsOf(h).worker.drain();
      }
      const worker = campaignsOf(h).worker;
      // (The queue is asked only at the end: reading its open rows is not free with 2,000 queued.)
      if (cards >= target && (await worker.queue.nextDue()) === undefined) break;
      if (performance.now() - started > 30 * 60_000) break;
      if (process.env.BENCH_LOG) console.log(`  ${Math.round(performance.now() - started)} ms: ${cards} cards`);
      // The scheduler's tick, as the bot's timer would run it (the benchmark keeps it by hand).
      void worker.drain();
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const cards = count();
    const requests = throttle.accepted.length - acceptedBefore;
    // What the app limit allows in cards a second, given how many requests each card took here.
    const allowedPerSecond = TEAMS_LIKE.perSecond / (requests / Math.max(1, cards));
    return {
      label,
      cards,
      seconds,
      perSecond: cards / seconds,
      allowedPerSecond,
      throttled: throttle.throttled,
      duplicates: [...perConversation.values()].filter((n) => n > 1).length,
      missed: target - perConversation.size,
      peakRssMb: peakRss / 1e6,
      peakHeapMb: peakHeap / 1e6,
      alertMs,
      quietAlertMs,
    };
  } finally {
    await h.stop();
  }
}

function print(r: Result): void {
  console.log(`\n${r.label}`);
  console.log(`  cards delivered     ${r.cards} in ${r.seconds.toFixed(1)} s`);
  console.log(`  delivered / s       ${r.perSecond.toFixed(1)} (limit allows ${r.allowedPerSecond.toFixed(1)}: ${((100 * r.perSecond) / r.allowedPerSecond).toFixed(0)}%)`);
  console.log(`  429s received       ${r.throttled}`);
  console.log(`  duplicates          ${r.duplicates}`);
  console.log(`  missed              ${r.missed}`);
  console.log(`  peak memory         ${r.peakRssMb.toFixed(0)} MB RSS, ${r.peakHeapMb.toFixed(0)} MB heap`);
  if (r.alertMs !== undefined) console.log(`  danger alert        reached the DSL in ${r.alertMs.toFixed(0)} ms during the campaign (${r.quietAlertMs!.toFixed(0)} ms with nothing else sending)`);
}

async function main(): Promise<void> {
  const azurite = await startAzuriteProcess();
  try {
    const staff = staffMembers(STAFF);
    const file = await schoolFile(staff);
    console.log(`broadcast benchmark: ${staff.length + ROSTER_EXAMPLE_PEOPLE} people, Teams-like limits ${TEAMS_LIKE.perSecond}/s per app, ${TEAMS_LIKE.perConversationPerSecond}/s and ${TEAMS_LIKE.perConversationPer30s}/30 s per conversation; campaign paced at ${CARDS_PER_SECOND} cards/s`);
    const half = Math.floor((staff.length + ROSTER_EXAMPLE_PEOPLE) / 2);
    print(await run('one campaign, a danger alert half-way', azurite.connectionString, staff, file, { alertAt: half }));
    print(await run('the same campaign, restarted half-way', azurite.connectionString, staff, file, { restartAt: half }));
  } finally {
    await azurite.stop();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
