/**
 * `npm run bench:broadcast`: a campaign to 2,000 staff through a local connector that throttles
 * like Teams (50 requests a second for the app, 7 a second and 60 in 30 s per conversation, 429 +
 * Retry-After beyond). Prints cards delivered per second against what the limit allows, 429s (by
 * the limit that gave them), duplicates, people missed, time and the bot's memory; a danger alert
 * raised half-way and how long it took to reach the DSL; then the same campaign with a restart
 * half-way. The bot runs in its own process (the compiled `npm start`), Azurite in another, and
 * this one plays Teams and counts, so what is measured is the bot. Asserts nothing: it measures.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { projectPath } from '../../bot/projectRoot';
import { cardOf, cardText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import type { Harness } from '../support/harness';
import { FaultProxy } from '../support/faultProxy';
import { ProcessHarness } from '../support/processHarness';
import { people } from '../support/people';
import { TEAMS_LIKE, Throttle } from '../support/throttle';
import { cardCounter, ROSTER_EXAMPLE_PEOPLE, schoolWithStaff, staffMembers } from '../acknowledgements/largeSchool';
import { startCampaign } from '../acknowledgements/steps';
import { addToStaffTeam, raiseDangerAlert } from '../reach/reachSteps';
import { startAzuriteProcess } from './azuriteProcess';

const STAFF = Number(process.env.BENCH_STAFF ?? 2000);
/**
 * Cards a second the school allows. The app's request budget (APP_REQUESTS_PER_SECOND: 47 of
 * Teams' 50, the rest left for urgent alerts and replies) is what binds: a first card is two
 * requests, so about 23 cards a second.
 */
const CARDS_PER_SECOND = Number(process.env.BENCH_CARDS_PER_SECOND ?? 30);
/** Counts the bot's table requests through a proxy (it adds a hop, so rates are measured without it). */
const COUNT_TABLES = process.env.BENCH_COUNT_TABLES === '1';
/** The bot's scheduler tick (30 s by default): it is what resumes the queue after a restart. */
const SCHEDULER_INTERVAL_MS = process.env.BENCH_SCHEDULER_MS ?? '1000';

interface Result {
  label: string;
  cards: number;
  seconds: number;
  perSecond: number;
  allowedPerSecond: number;
  throttled: number;
  throttledBy: Throttle['throttledBy'];
  requestsPerCard: number;
  duplicates: number;
  missed: number;
  peakRssMb: number;
  benchRssMb: number;
  alertMs?: number;
  quietAlertMs?: number;
  alertRequests?: number;
  /** From the lead's Send to the first card, and from the last card to the queue found empty. */
  firstCardMs: number;
  tailMs: number;
  /** The restart: from SIGTERM to the first card of the new process. */
  restartGapMs?: number;
  tableRequestsPerCard?: number;
  /** The commonest table requests (method and table), per card. */
  tableRequestKinds?: string;
  load: string;
}

let lastAlertRequests = 0;

/** From the teacher's press on "a child is in immediate danger" to the alert reaching Teams for the DSL. */
async function timeDangerAlert(h: Harness, reporter: Member): Promise<number> {
  const before = h.connector.sent.length;
  const requestsBefore = h.connector.throttle?.accepted.length ?? 0;
  const t = performance.now();
  const gate = raiseDangerAlert(h, 'Senior', reporter);
  await h.connector.waitFor(() => h.connector.sent.slice(before).some((s) => /URGENT: a child may be in immediate danger/.test(cardText(cardOf(s)) + (s.activity.text ?? ''))), 'the danger alert', 30_000);
  const ms = performance.now() - t;
  await gate;
  lastAlertRequests = (h.connector.throttle?.accepted.length ?? 0) - requestsBefore;
  return ms;
}

/** The bot process's resident memory now and its peak so far (Linux /proc), in bytes. */
function rssOf(pid: number | undefined): { now: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { now: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { now: 0, peak: 0 };
  }
}

async function run(label: string, azuriteConnection: string, staff: Member[], file: string, options: { restartAt?: number; alertAt?: number }): Promise<Result> {
  const proxy = COUNT_TABLES ? await new FaultProxy().start(azuriteConnection) : undefined;
  const connectionString = proxy?.connectionString ?? azuriteConnection;
  const h = new ProcessHarness({ TABLES_CONNECTION_STRING: connectionString, SCHOOL_CONFIG: file, POLICY_DIR: EXAMPLE_POLICIES, SCHEDULER_INTERVAL_MS });
  await h.start();
  const lead = people.seniorDsl;
  const everyone = [...Object.values(people), ...staff];
  let peakRss = 0;
  let benchRss = 0;
  const sample = () => {
    const bot = rssOf(h.bot?.child.pid);
    peakRss = Math.max(peakRss, bot.now, bot.peak);
    benchRss = Math.max(benchRss, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 250);
  try {
    await h.say(lead, 'help');
    await addToStaffTeam(h, everyone, people.dpo);
    const throttle = new Throttle(TEAMS_LIKE);
    h.connector.throttle = throttle;

    // Cards per conversation, counted as they arrive.
    const { count, perConversation } = cardCounter(h.connector);

    // The same alert with nothing else going on, to compare with.
    const quietAlertMs = options.alertAt !== undefined ? await timeDangerAlert(h, people.teacher) : undefined;
    const alertRequests = quietAlertMs !== undefined ? lastAlertRequests : undefined;
    const acceptedBefore = throttle.accepted.length;
    proxy?.reset();
    const started = performance.now();
    await startCampaign(h, lead, { audience: 'all', due: '2099-01-31' });
    let alertMs: number | undefined;
    let restarted = false;
    let firstCardMs = 0;
    let lastCardAt = 0;
    let lastCards = 0;
    let restartAt: number | undefined;
    let restartGapMs: number | undefined;
    // Everyone in the school configuration (the two test teachers are staff Lantern does not list).
    const target = staff.length + ROSTER_EXAMPLE_PEOPLE;
    const queue = h.queue();
    for (;;) {
      const cards = count();
      if (cards > lastCards) {
        if (!firstCardMs) firstCardMs = performance.now() - started;
        if (restartAt !== undefined && restartGapMs === undefined) restartGapMs = performance.now() - restartAt;
        lastCards = cards;
        lastCardAt = performance.now();
      }
      if (options.alertAt !== undefined && alertMs === undefined && cards >= options.alertAt) {
        alertMs = await timeDangerAlert(h, people.teacher2);
        if (process.env.BENCH_LOG) console.log(`  danger alert: ${Math.round(alertMs)} ms`);
      }
      if (options.restartAt !== undefined && !restarted && cards >= options.restartAt) {
        restarted = true;
        sample();
        // SIGTERM, as App Service stops an instance: sends in flight finish, the rest stays queued.
        restartAt = performance.now();
        await h.restart();
        lastCards = count();
      }
      // (The queue is asked only at the end: reading its open rows is not free with 2,000 queued.)
      if (cards >= target && (await queue.nextDue()) === undefined) break;
      if (performance.now() - started > 30 * 60_000) break;
      if (process.env.BENCH_LOG) console.log(`  ${Math.round(performance.now() - started)} ms: ${cards} cards`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const tailMs = performance.now() - lastCardAt;
    sample();
    const cards = count();
    const requests = throttle.accepted.length - acceptedBefore;
    const requestsPerCard = requests / Math.max(1, cards);
    // What the app limit allows in cards a second, given how many requests each card took here.
    const allowedPerSecond = TEAMS_LIKE.perSecond / requestsPerCard;
    return {
      label,
      cards,
      seconds,
      perSecond: cards / seconds,
      allowedPerSecond,
      throttled: throttle.throttled,
      throttledBy: throttle.throttledBy,
      requestsPerCard,
      duplicates: [...perConversation.values()].filter((n) => n > 1).length,
      missed: target - perConversation.size,
      peakRssMb: peakRss / 1e6,
      benchRssMb: benchRss / 1e6,
      alertMs,
      quietAlertMs,
      alertRequests,
      firstCardMs,
      tailMs,
      restartGapMs,
      tableRequestsPerCard: proxy ? proxy.count / Math.max(1, cards) : undefined,
      tableRequestKinds: proxy ? requestKinds(proxy.seen, cards) : undefined,
      load: loadNow(),
    };
  } finally {
    clearInterval(sampler);
    await h.stop();
    await proxy?.stop();
  }
}

/** "PUT broadcast 2.01, GET people 1.00, …": what the table requests were, per card. */
function requestKinds(seen: string[], cards: number): string {
  const kinds = new Map<string, number>();
  for (const line of seen) {
    const [method, path] = line.split(' ');
    const table = /^\/?([A-Za-z0-9]+?)(?:\(|\?|$|\/)/.exec(path ?? '')?.[1] ?? path;
    const key = `${method} ${table?.replace(/^t[a-z0-9]{6,}?(?=[a-z]+$)/, '') ?? ''}`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
  return [...kinds.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, n]) => `${k} ${(n / Math.max(1, cards)).toFixed(2)}`)
    .join(', ');
}

function loadNow(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

function print(r: Result): void {
  console.log(`\n${r.label}`);
  console.log(`  cards delivered     ${r.cards} in ${r.seconds.toFixed(1)} s`);
  console.log(`  delivered / s       ${r.perSecond.toFixed(1)} (limit allows ${r.allowedPerSecond.toFixed(1)}: ${((100 * r.perSecond) / r.allowedPerSecond).toFixed(0)}%)`);
  console.log(`  429s received       ${r.throttled} (app limit ${r.throttledBy.app}, a conversation's second ${r.throttledBy.conversationSecond}, its 30 s ${r.throttledBy.conversation30s})`);
  console.log(`  requests per card   ${r.requestsPerCard.toFixed(2)} (opening the chat and sending, progress-card updates included)`);
  console.log(`  where the time went  first card ${(r.firstCardMs / 1000).toFixed(2)} s after Send; queue found empty ${(r.tailMs / 1000).toFixed(2)} s after the last card${r.restartGapMs !== undefined ? `; restart: ${(r.restartGapMs / 1000).toFixed(2)} s from SIGTERM to the new process's first card` : ''}`);
  if (r.tableRequestsPerCard !== undefined) console.log(`  table requests      ${r.tableRequestsPerCard.toFixed(2)} per card (through a counting proxy): ${r.tableRequestKinds}`);
  console.log(`  duplicates          ${r.duplicates}`);
  console.log(`  missed              ${r.missed}`);
  console.log(`  peak memory         ${r.peakRssMb.toFixed(0)} MB RSS of the bot process (this driver and fake Teams: ${r.benchRssMb.toFixed(0)} MB)`);
  if (r.alertMs !== undefined) console.log(`  danger alert        reached the DSL in ${r.alertMs.toFixed(0)} ms during the campaign (${r.quietAlertMs!.toFixed(0)} ms with nothing else sending; ${r.alertRequests} Teams requests)`);
  console.log(`  load average        ${r.load} (1, 5, 15 min) at the end`);
}

async function main(): Promise<void> {
  // The bot runs as `npm start` does, so it is built first, as `npm start` does.
  const build = spawnSync(process.execPath, [projectPath('node_modules', 'typescript', 'bin', 'tsc'), '-p', projectPath('tsconfig.json')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const azurite = await startAzuriteProcess();
  try {
    const staff = staffMembers(STAFF);
    const file = await schoolWithStaff(staff, { cardsPerSecond: CARDS_PER_SECOND });
    console.log(`broadcast benchmark: ${staff.length + ROSTER_EXAMPLE_PEOPLE} people, Teams-like limits ${TEAMS_LIKE.perSecond}/s per app, ${TEAMS_LIKE.perConversationPerSecond}/s and ${TEAMS_LIKE.perConversationPer30s}/30 s per conversation; campaign paced at ${CARDS_PER_SECOND} cards/s; the bot in its own process, scheduler tick ${SCHEDULER_INTERVAL_MS} ms`);
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
