import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Storage, StoreItems } from 'botbuilder';
import { DocumentTable, type Stored } from './documentTable';
import { ConflictError, NotFoundError } from './errors';
import type { TableProvisioner } from './tableService';
import { own, setOwn } from '../core/ownLookup';
import { mergeState } from './stateMerge';

const ROW = 'state';
/** Activities claimed in this row: short hash of conversation + activity id → when (ms, with a fraction unique to the claim). */
export const CLAIMS = '_claims';
/** Bumped by every state write, never by a claim: tells "only claims changed" from a real conflict. */
const VERSION = '_v';
/** Teams retries within minutes; two days (the old inbox's span) and the latest few are ample. */
const CLAIM_KEEP_MS = 2 * 24 * 60 * 60_000;
/**
 * A person's latest 32 activities: more than a DSL pressing card after card sends in the minute
 * or two Teams takes to give up re-sending one. Every turn copies and writes them all (64 were
 * 2 KB of each help turn's write, and the copy about 4% of its time on the bot's thread).
 */
export const CLAIMS_KEPT = 32;
const CACHED_ROWS = 5_000;
const ATTEMPTS = 8;
const ABSENT = Symbol('no row');

type Row = Record<string, unknown>;

export interface ClaimResult {
  /** False for a redelivery of an activity already claimed (here or by another instance). */
  claimed: boolean;
  /** The row as stored after the claim, with its eTag: the turn's state, no second read needed. */
  item: Row;
}

const claimId = (conversationId: string, activityId: string) => createHash('sha256').update(`${conversationId}\u0000${activityId}`).digest('base64url').slice(0, 16);
const BOOKKEEPING = [CLAIMS, VERSION];
/** A person's turns that can be in flight at once on one instance (each press, message and retry is one). */
const HANDED_OUT_PER_ROW = 8;
const withoutBookkeeping = (row: Row) => Object.fromEntries(Object.entries(row).filter(([k]) => !BOOKKEEPING.includes(k)));
const claimsOf = (row: Row) => new Map(Object.entries((row[CLAIMS] as Record<string, number> | undefined) ?? {}));

/**
 * botbuilder's Storage contract on Azure Tables, for teams-ai turn state. An item written with the
 * eTag it was read with fails with ConflictError if it changed meanwhile; '*' or no eTag writes
 * unconditionally, as MemoryStorage does.
 *
 * It also holds each user's redelivery claims (Teams re-sends a delivery it believes failed), so a
 * turn's claim is the write of the row it needs anyway. Rows are cached with their ETag: a claim
 * written with If-Match on the cached ETag succeeds only if the row is unchanged, which proves the
 * cache current, so a turn that changes nothing is one conditional write and no read. Any doubt
 * (a conflict, or the cache saying "already claimed") is settled by reading the row.
 */
export class TableStateStorage implements Storage {
  private readonly table: DocumentTable<Row>;
  /** ABSENT: read and not there, noted only for turns that take no claim (a claim reads again). */
  private readonly cache = new Map<string, { value: Row; etag: string } | typeof ABSENT>();
  /**
   * Claims this process could not release because storage was down. Teams' redelivery of such an
   * activity must run again, not be taken for a duplicate. Kept in memory: a release that cannot
   * be written cannot be remembered anywhere else.
   */
  private readonly unreleased = new Set<string>();
  /** Writes of one row by this process, one at a time: a person's concurrent turns queue here instead of conflicting. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /**
   * Each row as handed to a turn, by key then eTag: the base a stale write is merged against. Most
   * turns never write their state (nothing changed), so nothing removes theirs: kept per person,
   * the latest few (the turns of theirs that can still be running), it grows with people, not turns.
   */
  private readonly handedOut = new Map<string, Map<string, Row>>();

  constructor(tables: TableProvisioner, tableName = 'turnstate', private readonly now: () => Date = () => new Date()) {
    this.table = new DocumentTable(tables, tableName);
  }

  /** How many rows as handed out are held, over everyone (what the memory for merges grows with). */
  get basesHeld(): number {
    let n = 0;
    for (const handed of this.handedOut.values()) n += handed.size;
    return n;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('keys must be an array');
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const found = await this.fetch(key);
        if (found) setOwn(items, key, this.handOut(key, found.value, found.etag));
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('changes must be an object');
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...value } = (item ?? {}) as Row & { eTag?: string };
        const next = { ...value, [VERSION]: Number(value[VERSION] ?? 0) + 1 };
        if (!eTag || eTag === '*') return void (await this.serial(key, async () => this.remember(key, await this.table.upsert(key, ROW, next))));
        await this.serial(key, () => this.replaceState(key, value, next, eTag));
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        this.cache.delete(key);
        await this.table.delete(key, ROW);
      }),
    );
  }

  /**
   * `key`'s row as this process last read or wrote it, read only when it holds none: for a turn
   * that takes no claim, whose state is then only as fresh as the cache (a write of it still goes
   * with the ETag, and merges).
   */
  async cached(key: string): Promise<Row | undefined> {
    const hit = this.cache.get(key);
    if (hit === ABSENT) return undefined;
    const found = hit ?? (await this.fetch(key));
    // Someone who only asks questions has no row: without this, each of their turns reads again.
    if (!found) this.note(key, ABSENT);
    return found && this.handOut(key, found.value, found.etag);
  }

  /** Claims an activity in `key`'s row: claimed is false when it was claimed before (a redelivery). */
  claim(key: string, conversationId: string, activityId: string): Promise<ClaimResult> {
    return this.serial(key, () => this.claimNow(key, claimId(conversationId, activityId)));
  }

  private async claimNow(key: string, id: string): Promise<ClaimResult> {
    // A write that timed out may still have landed, and its retry then meets the ETag it made
    // itself: the fraction marks this attempt's claim, so it is not taken for someone else's.
    const mine = this.now().getTime() + Math.random() * 0.999;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const cached = this.hit(key);
      const current = cached ?? (await this.fetch(key));
      const value = current?.value ?? {};
      const claims = (value[CLAIMS] ?? {}) as Record<string, number>;
      const claimed = own(claims, id);
      if (claimed !== undefined) {
        // The cache may be behind a release by another instance: only a fresh read says "duplicate".
        if (cached) {
          this.cache.delete(key);
          continue;
        }
        if (claimed === mine || this.unreleased.delete(id)) return { claimed: true, item: this.handOut(key, value, current!.etag) };
        return { claimed: false, item: this.handOut(key, value, current!.etag) };
      }
      const next = { ...value, [CLAIMS]: this.withClaim(claims, id, mine) };
      const written = await this.conditional(key, next, current?.etag);
      if (written) return { claimed: true, item: this.handOut(key, next, written.etag) };
    }
    throw new ConflictError(this.table.name, key);
  }

  /** Lets a redelivery through again after the first attempt failed before finishing. */
  release(key: string, conversationId: string, activityId: string): Promise<void> {
    return this.serial(key, () => this.releaseNow(key, claimId(conversationId, activityId)));
  }

  private async releaseNow(key: string, id: string): Promise<void> {
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const current = this.hit(key) ?? (await this.fetch(key));
        if (!current) return;
        const claims = claimsOf(current.value);
        if (!claims.has(id)) {
          if (this.cache.has(key)) {
            this.cache.delete(key);
            continue;
          }
          return;
        }
        claims.delete(id);
        if (await this.conditional(key, { ...current.value, [CLAIMS]: Object.fromEntries(claims) }, current.etag)) return;
      }
      throw new ConflictError(this.table.name, key);
    } catch (err) {
      this.unreleased.add(id);
      throw err;
    }
  }

  /**
   * A state write whose ETag went stale is merged, not refused: another turn of the same person
   * (a claim, the same activity handled on a second instance, a press on another card) changed
   * the row meanwhile. Keys this turn changed are written over the stored row; only a key both
   * turns changed differently is a conflict.
   */
  private async replaceState(key: string, mine: Row, next: Row, eTag: string): Promise<void> {
    const handed = this.handedOut.get(key);
    const base = handed?.get(eTag);
    handed?.delete(eTag);
    if (handed?.size === 0) this.handedOut.delete(key);
    let etag = eTag;
    let row = next;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await this.conditional(key, row, etag)) return;
      const stored = await this.fetch(key);
      if (!stored) throw new ConflictError(this.table.name, key);
      const theirs = stored.value;
      // Without the row as it was read (evicted), only a change of claims alone can be merged safely.
      const from = base ?? (theirs[VERSION] === mine[VERSION] ? theirs : undefined);
      const merged = from && mergeState(from, mine, theirs, BOOKKEEPING);
      if (!merged) throw new ConflictError(this.table.name, key);
      if (isDeepStrictEqual(merged, withoutBookkeeping(theirs))) return;
      row = { ...merged, [CLAIMS]: theirs[CLAIMS], [VERSION]: Number(theirs[VERSION] ?? 0) + 1 };
      etag = stored.etag;
    }
    throw new ConflictError(this.table.name, key);
  }

  private handOut(key: string, value: Row, etag: string): Row {
    let handed = this.handedOut.get(key);
    if (!handed) {
      handed = new Map();
      this.handedOut.set(key, handed);
      if (this.handedOut.size > CACHED_ROWS) this.handedOut.delete(this.handedOut.keys().next().value!);
    }
    handed.delete(etag); // re-inserted as the newest
    handed.set(etag, value);
    if (handed.size > HANDED_OUT_PER_ROW) handed.delete(handed.keys().next().value!);
    return { ...value, eTag: etag };
  }

  /** Writes `row` if the stored row is still at `etag` (or absent, with none); undefined if not. */
  private async conditional(key: string, row: Row, etag: string | undefined): Promise<Stored<Row> | undefined> {
    try {
      const written = etag ? await this.table.replace(key, ROW, row, etag) : await this.table.create(key, ROW, row);
      this.remember(key, written);
      return written;
    } catch (err) {
      if (!(err instanceof ConflictError || err instanceof NotFoundError)) throw err;
      this.cache.delete(key);
      return undefined;
    }
  }

  private serial<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    void tail.then(() => this.queues.get(key) === tail && this.queues.delete(key));
    return run;
  }

  private async fetch(key: string): Promise<Stored<Row> | undefined> {
    const found = await this.table.get(key, ROW);
    if (found) this.remember(key, found);
    else this.cache.delete(key);
    return found;
  }

  private remember(key: string, stored: Stored<Row>): void {
    this.note(key, { value: stored.value, etag: stored.etag });
  }

  private note(key: string, entry: { value: Row; etag: string } | typeof ABSENT): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    if (this.cache.size > CACHED_ROWS) this.cache.delete(this.cache.keys().next().value!);
  }

  /** The row as cached; undefined when none is, or only its absence is (a claim must read it). */
  private hit(key: string): { value: Row; etag: string } | undefined {
    const entry = this.cache.get(key);
    return entry === ABSENT ? undefined : entry;
  }

  /**
   * The row's claims with a new one: the latest CLAIMS_KEPT of the last two days, newest first.
   * They are stored in that order (written only here; a release just removes one), and the new
   * claim is newer than all of them, so one pass over the times says how many stay (the first so
   * many), and the row's claims are copied once with the new one in front: about a sixth of the
   * cost of the sort and its copies, which was about 1% of a help turn. Claims out of order
   * (another instance's clock ahead of this one's) get the sort.
   */
  private withClaim(stored: Record<string, number>, id: string, at: number): Record<string, number> {
    const since = this.now().getTime() - CLAIM_KEEP_MS;
    const times = Object.values(stored);
    let kept = 0;
    let previous = at;
    for (const when of times) {
      if (when >= previous) return this.pruned(new Map([...Object.entries(stored), [id, at]]), since);
      previous = when;
      if (when >= since && kept < CLAIMS_KEPT - 1) kept += 1;
    }
    // A computed key and a spread define own properties, whatever the key (no prototype setter).
    const next: Record<string, number> = { [id]: at, ...stored };
    if (kept < times.length) for (const key of Object.keys(stored).slice(kept)) Reflect.deleteProperty(next, key);
    return next;
  }

  private pruned(claims: Map<string, number>, since: number): Record<string, number> {
    const kept = [...claims].filter(([, at]) => at >= since).sort((a, b) => b[1] - a[1]).slice(0, CLAIMS_KEPT);
    return Object.fromEntries(kept);
  }
}
