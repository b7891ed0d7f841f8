import { randomUUID } from 'node:crypto';
import type { Address, PostedMessage } from '../chat/address';
import type { Services } from '../chat/capability';
import { MessageGoneError, type Outbound } from '../chat/turn';
import { StorageUnavailableError } from '../storage/errors';
import { DocumentTable } from '../storage/documentTable';
import type { AdaptiveCard } from './renderCard';

/** Where a card sits: one person's 1:1 chat (known before it is opened), or a conversation. */
export type CardPlace = { person: { id: string; aadObjectId?: string; email?: string } } | { conversation: Address };

/** One card posted for a record, and the audience whose view it shows. */
export interface PostedCard {
  /** "person:<id>" or "conversation:<id>": one card per record per place. */
  place: string;
  posted: PostedMessage;
  /** Which audience's view the card shows (the record's module names them: "step", "receipt"...). */
  view: string;
  /** What the view is about within the record, e.g. the filter step the card was posted for. */
  part?: string;
  postedAt: string;
  updatedAt?: string;
  /** Set when Teams no longer has the message: it is left alone from then on. */
  gone?: { at: string; reason: string };
}

/** A card just delivered (or updated in its place), for `remember` to store. */
export interface PlacedCard {
  place: string;
  posted: PostedMessage;
  view: string;
  part?: string;
  /** False when a card already in that place was updated instead of posting a second. */
  fresh: boolean;
}

/** The record's cards as they should look now, per card; undefined when the record is gone. */
export type CardViews = (recordId: string) => Promise<((card: PostedCard) => AdaptiveCard | undefined) | undefined>;

/**
 * A card a record's own fields say was posted for it, from before `postedcards` existed (a case's
 * `posts`, a filter request's `cards`, a call's `requestCards`): where it went and which view it shows.
 */
export interface LegacyCard {
  posted: PostedMessage;
  view: string;
  part?: string;
}

/** The cards a record's old fields list; empty for records written since. */
export type LegacyCards = (recordId: string) => Promise<LegacyCard[]>;

export const placeKey = (place: CardPlace): string => ('person' in place ? `person:${place.person.id}` : `conversation:${place.conversation.conversationId}`);

const TABLE = 'postedcards';
/** How soon a card Teams did not take is tried again (then the scheduler's back-off). */
const RETRY_MS = 30_000;

/** The cards posted for one record, for a reader outside its module (reports, tests). */
export async function listPostedCards(tables: Services['tables'], recordKind: string, recordId: string): Promise<PostedCard[]> {
  return (await new DocumentTable<PostedCard>(tables, TABLE).list(`${recordKind}:${recordId}`)).map((s) => s.value);
}

/** Forgets where a deleted record's cards are (the retention sweep): the cards stay in Teams, unreferenced. */
export async function forgetPostedCards(tables: Services['tables'], recordKind: string, recordId: string): Promise<void> {
  const table = new DocumentTable<PostedCard>(tables, TABLE);
  for (const row of await table.list(`${recordKind}:${recordId}`)) await table.delete(row.partitionKey, row.rowKey);
}

interface RefreshPayload extends Record<string, unknown> {
  recordId: string;
}

/**
 * Every card posted for a kind of record (filter request, case, call), kept in Tables so each is
 * brought up to date whenever the record changes. A second post to a place that already holds
 * the record's card updates that card (and sends `nudge` as plain text, since Teams does not
 * notify anyone of an edit). Updates are tried at once; one Teams refuses is left to an outbox
 * task the scheduler retries, and one Teams no longer has is recorded as gone rather than
 * failing the rest.
 */
export class RecordCards {
  private readonly table: DocumentTable<PostedCard>;
  private readonly task: string;

  constructor(
    private readonly services: Pick<Services, 'tables' | 'messenger' | 'outbox' | 'scheduler' | 'log' | 'now'>,
    readonly recordKind: string,
    private readonly views: CardViews,
    private readonly legacy?: LegacyCards,
  ) {
    this.table = new DocumentTable(services.tables, TABLE);
    this.task = `cards.${recordKind}`;
    services.outbox.define<RefreshPayload, string[]>(this.task, (p) => this.refreshAll(p.recordId));
  }

  private partition(recordId: string): string {
    return `${this.recordKind}:${recordId}`;
  }

  list(recordId: string): Promise<PostedCard[]> {
    return listPostedCards(this.services.tables, this.recordKind, recordId);
  }

  /**
   * Puts the record's card in a place: updates the one already there, else posts a new one.
   * Undefined when the person cannot be reached 1:1. Only Teams is touched here; the caller
   * stores the result with `remember` (its own outbox step, so a retry never posts twice).
   * `known` is the record's cards listed once beforehand, so sending to several people reads
   * storage once, before anything is posted.
   */
  async deliver(recordId: string, place: CardPlace, view: string, message: Outbound & { card: AdaptiveCard }, options: { part?: string; nudge?: string; known?: PostedCard[] } = {}): Promise<PlacedCard | undefined> {
    const key = placeKey(place);
    const existing = options.known ? options.known.find((c) => c.place === key) : (await this.table.get(this.partition(recordId), key))?.value;
    if (existing && !existing.gone) {
      try {
        await this.services.messenger.update(existing.posted, { card: message.card });
        const nudge = options.nudge ?? message.text;
        if (nudge) await this.say(place, nudge);
        return { place: key, posted: existing.posted, view, part: options.part, fresh: false };
      } catch (err) {
        if (!(err instanceof MessageGoneError)) throw err;
        await this.markGone(recordId, existing, err.message);
      }
    }
    const posted = 'person' in place ? await this.services.messenger.toPerson(place.person, message) : await this.services.messenger.post(place.conversation, message);
    return posted ? { place: key, posted, view, part: options.part, fresh: true } : undefined;
  }

  /** Stores where cards went (from `deliver`, or a card shown as a button's answer). */
  async remember(recordId: string, placed: PlacedCard[]): Promise<void> {
    const now = this.services.now().toISOString();
    for (const p of placed) {
      const before = (await this.table.get(this.partition(recordId), p.place))?.value;
      const postedAt = !p.fresh && before && !before.gone ? before.postedAt : now;
      await this.table.upsert(this.partition(recordId), p.place, { place: p.place, posted: p.posted, view: p.view, part: p.part, postedAt, updatedAt: now });
    }
  }

  /**
   * The card a person is looking at (the one their button press replaced), as this record's card
   * there. Never throws: the press it follows has already done its work, and only later updates
   * of this one card are lost if storage fails now.
   */
  async adopt(recordId: string, place: CardPlace, posted: PostedMessage, view: string, part?: string): Promise<void> {
    const key = placeKey(place);
    try {
      const before = (await this.table.get(this.partition(recordId), key))?.value;
      // A different card already holds this place: keep that one, so there are never two to update.
      if (before && !before.gone && before.posted.activityId !== posted.activityId) return;
      await this.remember(recordId, [{ place: key, posted, view, part, fresh: true }]);
    } catch (err) {
      this.services.log(`cards: could not keep the card of ${this.recordKind} ${recordId} in ${key}: ${(err as Error).message}`);
    }
  }

  /**
   * Brings every card of the record up to date. A card Teams did not take now is left to an
   * outbox task the scheduler runs (and retries with back-off) a little later; one Teams no longer
   * has is recorded as gone. Storage failing is thrown (StorageUnavailableError), so a caller
   * inside an outbox step runs it again.
   */
  async refresh(recordId: string): Promise<void> {
    const failed = await this.updateEach(recordId);
    if (!failed.length) return;
    this.services.log(`cards: ${failed.length} card(s) of ${this.recordKind} ${recordId} not updated yet, retrying later: ${failed.join('; ')}`);
    await this.services.scheduler.schedule<RefreshPayload>(this.task, new Date(this.services.now().getTime() + RETRY_MS), { recordId }, `${this.task}-${recordId}-${randomUUID()}`);
  }

  /** `refresh` for a caller that is not an outbox step: a storage fault is logged, not thrown. */
  async refreshSoon(recordId: string): Promise<void> {
    await this.refresh(recordId).catch((err: Error) => this.services.log(`cards: ${this.recordKind} ${recordId} cards not updated (storage): ${err.message}`));
  }

  /** The retry task: thrown while any card still fails, so the scheduler tries again. Updates are idempotent. */
  private async refreshAll(recordId: string): Promise<string[]> {
    const failed = await this.updateEach(recordId);
    if (failed.length) throw new Error(`could not update ${failed.length} card(s) of ${this.recordKind} ${recordId}: ${failed.join('; ')}`);
    return [];
  }

  /**
   * Takes the cards a record's old fields list into the table, once, on its first change since:
   * each keyed by its conversation (the old fields never said whose 1:1 chat it was), skipping one
   * already kept (same activity id) or a place that already holds a card of the record.
   */
  async migrate(recordId: string): Promise<number> {
    if (!this.legacy) return 0;
    const old = await this.legacy(recordId);
    if (!old.length) return 0;
    const kept = await this.list(recordId);
    const ids = new Set(kept.map((c) => c.posted.activityId));
    const places = new Set(kept.map((c) => c.place));
    const fresh: PlacedCard[] = [];
    // Newest first: where the old code left several cards in one place, the latest is the one kept current.
    for (const card of [...old].reverse()) {
      const place = placeKey({ conversation: card.posted.address });
      if (ids.has(card.posted.activityId) || places.has(place)) continue;
      ids.add(card.posted.activityId);
      places.add(place);
      fresh.push({ place, posted: card.posted, view: card.view, part: card.part, fresh: true });
    }
    if (fresh.length) {
      await this.remember(recordId, fresh);
      this.services.log(`cards: ${fresh.length} card(s) of ${this.recordKind} ${recordId} posted before the posted-cards table taken into it`);
    }
    return fresh.length;
  }

  /** Updates each live card to its audience's view now; returns the ones Teams did not take. */
  private async updateEach(recordId: string): Promise<string[]> {
    const render = await this.views(recordId);
    if (!render) return [];
    await this.migrate(recordId);
    const failed: string[] = [];
    for (const card of await this.list(recordId)) {
      if (card.gone) continue;
      const view = render(card);
      if (!view) continue;
      try {
        await this.services.messenger.update(card.posted, { card: view });
      } catch (err) {
        if (err instanceof StorageUnavailableError) throw err;
        if (err instanceof MessageGoneError) await this.markGone(recordId, card, err.message);
        else failed.push(`${card.place}: ${(err as Error).message}`);
      }
    }
    return failed;
  }

  private async markGone(recordId: string, card: PostedCard, reason: string): Promise<void> {
    this.services.log(`cards: a card of ${this.recordKind} ${recordId} in ${card.place} no longer exists in Teams: ${reason}`);
    await this.table.upsert(this.partition(recordId), card.place, { ...card, gone: { at: this.services.now().toISOString(), reason } });
  }

  private async say(place: CardPlace, text: string): Promise<void> {
    try {
      if ('person' in place) await this.services.messenger.toPerson(place.person, { text });
      else await this.services.messenger.post(place.conversation, { text });
    } catch (err) {
      this.services.log(`cards: could not send "${text.slice(0, 40)}" beside an updated card: ${(err as Error).message}`);
    }
  }
}
