import { ukDateTime } from '../calendar/ukFormat';
import { createHash } from 'node:crypto';
import type { PostedMessage } from '../chat/address';
import type { AdaptiveCard } from '../cards/renderCard';
import type { Services } from '../chat/capability';
import type { Roster } from '../config/roster';
import { addDays, localParts, zonedInstant } from '../calendar/schoolTime';
import { BroadcastWorker, DEFAULT_WORKER } from '../broadcast/broadcastWorker';
import type { Batch } from '../broadcast/broadcastQueue';
import { policyFolder } from '../policy';
import { PeopleDirectory } from '../routing/peopleDirectory';
import { ConflictError } from '../storage/errors';
import { describeAudience, resolveAudience, type Audience } from './audience';
import { CampaignStore, type Campaign, type Round } from './campaignStore';
import { newVersionCard, progressCard, requestCard } from './cards';
import { isLink, LINK_FETCH, PolicySet, readLinkVersion, type AckDocument, type DocumentVersion, type LinkFetch } from './documents';
import { outstandingPeople, progressOf, type Progress } from './progress';
import { lineManagerOf, type AcknowledgementSettings } from './settings';

export const CARD_BATCH = 'acks.card';
export const REMINDER_BATCH = 'acks.reminder';
export const OVERDUE_BATCH = 'acks.overdue';
export const JOBS = { remind: 'acks.remind', overdue: 'acks.overdue', versionCheck: 'acks.version-check' } as const;
export const VERSION_CHECK_ID = 'acks-version-check';
/** Overdue lists go out the morning after the due date, school time. */
const OVERDUE_TIME = '08:00';
const REMINDER_TIME = '09:00';
/** A big round's progress card is redrawn at most this often while cards go out (real time). */
const PROGRESS_EVERY_MS = 3000;
const LINK_MEMO_MS = 60_000;
const LANTERN = { id: 'lantern', name: 'Lantern' };

export const campaignIdOf = (doc: AckDocument) => `c-${createHash('sha256').update(doc.key).digest('hex').slice(0, 12)}`;
export const roundIdOf = (campaignId: string, n: number) => `${campaignId}-r${n}`;

export function schoolTime(iso: string, roster: Roster): string {
  return ukDateTime(iso, roster.config.school.timezone);
}

/**
 * Acknowledgement campaigns: rounds opened, cards queued through the paced broadcast queue,
 * progress kept current, reminders and overdue lists, joiners and new versions. Plain TypeScript:
 * the capability (capability.ts) is the chat surface over this.
 */
export class Campaigns {
  readonly store: CampaignStore;
  readonly worker: BroadcastWorker;
  readonly directory: PeopleDirectory;
  private readonly roundMemo = new Map<string, { round: Round; at: number }>();
  private readonly cardMemo = new Map<string, AdaptiveCard>();
  private readonly redraws = new Map<string, { last: number; timer?: NodeJS.Timeout }>();
  /** How linked documents are fetched (a test widens it to its local server). */
  linkFetch: LinkFetch = LINK_FETCH;
  private readonly linkMemo = new Map<string, { version: DocumentVersion; at: number }>();

  constructor(private readonly services: Services, readonly settings: AcknowledgementSettings) {
    this.store = new CampaignStore(services.tables);
    this.directory = new PeopleDirectory(services.tables);
    this.worker = new BroadcastWorker(services.tables, services.scheduler, (to, message, gate) => services.messenger.toPerson(to, message, { paced: true, gate }), {
      ...DEFAULT_WORKER,
      // Enough sends in flight to keep the pace when each takes half a second (a slow tenant), and
      // no more: each is a claimed row that a crash leaves uncertain.
      concurrency: Math.max(DEFAULT_WORKER.concurrency, Math.ceil(settings.cardsPerSecond / 2)),
      pace: { ratePerSecond: settings.cardsPerSecond, perKeyGapMs: 1000 },
      appRequestsPerSecond: services.environment.teamsRequestsPerSecond,
      senderLeaseMs: services.environment.broadcastLeaseMs,
      now: services.now,
      log: services.log,
    });
    this.worker.define(CARD_BATCH, this.batchKind(false));
    this.worker.define(REMINDER_BATCH, this.batchKind(true));
    this.worker.define(OVERDUE_BATCH, this.overdueKind());
  }

  async policySet(): Promise<PolicySet> {
    return PolicySet.read(policyFolder(this.services.environment.policyDir, this.services.config));
  }

  today(roster: Roster): string {
    return localParts(this.services.now(), roster.config.school.timezone).date;
  }

  /** The current version of a campaign's document, as the policy set (or the link) holds it now. */
  async currentVersion(doc: AckDocument): Promise<DocumentVersion | undefined> {
    if (doc.source === 'link') return this.linkVersion(doc);
    return (await this.policySet()).byKey(doc.key)?.version;
  }

  isLink(text: string): boolean {
    return isLink(text, this.linkFetch.httpHosts);
  }

  /**
   * A linked document's version, fetched at most once a minute: the start form and its button
   * show the same version, and the button's answer does not wait for the download again.
   */
  async linkVersion(doc: AckDocument): Promise<DocumentVersion> {
    const key = doc.url ?? doc.key;
    const memo = this.linkMemo.get(key);
    if (memo && performance.now() - memo.at < LINK_MEMO_MS) return memo.version;
    const version = await readLinkVersion(doc, this.linkFetch);
    this.linkMemo.set(key, { version, at: performance.now() });
    if (this.linkMemo.size > 50) this.linkMemo.delete(this.linkMemo.keys().next().value!);
    return version;
  }

  /**
   * Opens round `number` of a campaign and queues one card per person. The round id comes from
   * the campaign and number, so a second press of the same button finds the round already there.
   */
  async openRound(campaign: Campaign, version: DocumentVersion, input: { note: string; due: string; by: { id: string; name: string } }, roster: Roster): Promise<{ round: Round; queued: number; created: boolean }> {
    const number = campaign.rounds.length + 1;
    const round: Round = {
      id: roundIdOf(campaign.id, number),
      campaignId: campaign.id,
      number,
      document: campaign.document,
      version: version.version,
      headings: version.headings,
      note: input.note,
      due: input.due,
      openedAt: this.services.now().toISOString(),
      openedBy: input.by,
      state: 'open',
      progressCards: [],
      remindersSent: 0,
    };
    try {
      await this.store.createRound(round);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return { round: (await this.store.round(round.id))!.value, queued: 0, created: false };
    }
    await this.worker.queue.createBatch({ id: round.id, kind: CARD_BATCH, ref: round.id, createdAt: round.openedAt });
    const people = await resolveAudience(campaign.audience, roster, this.settings, this.directory);
    await this.worker.kick();
    const queued = await this.worker.queue.enqueue(round.id, people, this.services.now(), { onChunk: () => void this.worker.drain() });
    await this.services.audit.append({
      actor: input.by,
      action: 'acknowledgement-round.opened',
      entityType: 'acknowledgement-campaign',
      entityId: campaign.id,
      detail: { round: round.id, number, document: campaign.document.title, version: version.version, audience: describeAudience(campaign.audience), people: people.length, due: input.due },
    });
    await this.scheduleRoundJobs(round, roster);
    await this.worker.kick();
    void this.worker.drain();
    return { round, queued, created: true };
  }

  /** The campaign for a document, created on its first round. */
  async startCampaign(doc: AckDocument, audience: Audience, by: { id: string; name: string }): Promise<Campaign> {
    const id = campaignIdOf(doc);
    const campaign: Campaign = { id, document: doc, audience, startedBy: by, startedAt: this.services.now().toISOString(), rounds: [], currentRound: '' };
    try {
      return (await this.store.createCampaign(campaign)).value;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return (await this.store.campaign(id))!.value;
    }
  }

  /** Records the new round on its campaign (the latest round is the current one). */
  async attachRound(campaignId: string, round: Round, audience?: Audience): Promise<void> {
    for (;;) {
      const stored = (await this.store.campaign(campaignId))!;
      if (stored.value.rounds.includes(round.id)) return;
      const next: Campaign = { ...stored.value, rounds: [...stored.value.rounds, round.id], currentRound: round.id, audience: audience ?? stored.value.audience, proposal: undefined };
      try {
        await this.store.replaceCampaign(next, stored.etag);
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  /** The periodic look for new versions, once a campaign exists (left alone if already there). */
  async ensureVersionCheck(): Promise<void> {
    if (await this.services.scheduler.get(VERSION_CHECK_ID)) return;
    await this.services.scheduler.schedule(JOBS.versionCheck, new Date(this.services.now().getTime() + this.settings.versionCheckMinutes * 60_000), {}, VERSION_CHECK_ID);
  }

  async scheduleRoundJobs(round: Round, roster: Roster): Promise<void> {
    await this.ensureVersionCheck();
    const tz = roster.config.school.timezone;
    const opened = localParts(new Date(round.openedAt), tz).date;
    const firstReminder = addDays(opened, this.settings.reminderEveryDays);
    if (firstReminder <= round.due) await this.services.scheduler.schedule(JOBS.remind, zonedInstant(firstReminder, REMINDER_TIME, tz), { round: round.id }, `acks-remind-${round.id}`);
    await this.services.scheduler.schedule(JOBS.overdue, zonedInstant(addDays(round.due, 1), OVERDUE_TIME, tz), { round: round.id }, `acks-overdue-${round.id}`);
  }

  /** A round was superseded: its cards still queued here must not go out from a stale copy. */
  forget(roundId: string): void {
    this.roundMemo.delete(roundId);
  }

  async cancelRoundJobs(roundId: string): Promise<void> {
    await this.services.scheduler.cancel(`acks-remind-${roundId}`);
    await this.services.scheduler.cancel(`acks-overdue-${roundId}`);
  }

  async progress(round: Round, roster: Roster): Promise<Progress> {
    const [rows, acks] = await Promise.all([this.worker.queue.rows(round.id), this.store.acknowledgements(round.id)]);
    return progressOf(round, rows, acks, roster, this.settings, this.today(roster));
  }

  async progressView(round: Round, roster: Roster, canExport: boolean) {
    const campaign = (await this.store.campaign(round.campaignId))?.value;
    const progress = await this.progress(round, roster);
    return progressCard(round, progress, campaign ? describeAudience(campaign.audience) : '', schoolTime(this.services.now().toISOString(), roster), canExport);
  }

  /** Keeps a progress card to update in place (a few at most: the latest ones shown). */
  async addProgressCard(roundId: string, posted: PostedMessage): Promise<void> {
    await this.store.updateRound(roundId, (r) => ({ ...r, progressCards: [...r.progressCards.filter((p) => p.activityId !== posted.activityId), posted].slice(-3) }));
  }

  /** Redraws the round's progress cards now, or soon when it was redrawn a moment ago. */
  redraw(roundId: string, now = false): Promise<void> {
    const state = this.redraws.get(roundId) ?? { last: 0 };
    this.redraws.set(roundId, state);
    const since = performance.now() - state.last;
    if (now || since >= PROGRESS_EVERY_MS) {
      state.last = performance.now();
      return this.redrawNow(roundId);
    }
    state.timer ??= setTimeout(() => {
      state.timer = undefined;
      state.last = performance.now();
      void this.redrawNow(roundId);
    }, PROGRESS_EVERY_MS - since);
    state.timer.unref();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    for (const [roundId, state] of this.redraws) {
      if (!state.timer) continue;
      clearTimeout(state.timer);
      await this.redrawNow(roundId);
    }
  }

  private async redrawNow(roundId: string): Promise<void> {
    try {
      const round = (await this.store.round(roundId))?.value;
      if (!round?.progressCards.length) return;
      const roster = await this.services.config.current();
      const card = await this.progressView(round, roster, true);
      for (const posted of round.progressCards) await this.services.messenger.update(posted, { card });
    } catch (err) {
      this.services.log(`acknowledgements: could not update the progress card of ${roundId}: ${(err as Error).message}`);
    }
  }

  /**
   * Queues the card for people the audience names now but the round does not have yet (a joiner
   * of the team or the roster), and again for anyone it gave up on. Returns how many were queued.
   */
  async topUp(roster: Roster): Promise<number> {
    let queued = 0;
    for (const round of await this.store.openRounds()) {
      const campaign = (await this.store.campaign(round.campaignId))?.value;
      if (!campaign || campaign.currentRound !== round.id) continue;
      const people = await resolveAudience(campaign.audience, roster, this.settings, this.directory);
      const added = await this.worker.queue.enqueue(round.id, people, this.services.now(), { retryFailed: true });
      if (added) {
        queued += added;
        await this.services.audit.append({ actor: LANTERN, action: 'acknowledgement-round.joiners-queued', entityType: 'acknowledgement-campaign', entityId: campaign.id, detail: { round: round.id, queued: added } });
        void this.redraw(round.id);
      }
    }
    if (queued) {
      await this.worker.kick();
      void this.worker.drain();
    }
    return queued;
  }

  /** Reminders to everyone the card reached who has not acknowledged; a new try for anyone not reached. */
  async remind(roundId: string, roster: Roster): Promise<void> {
    const round = (await this.store.round(roundId))?.value;
    // Run late (after downtime) past the due date: the overdue list says it instead.
    if (!round || round.state !== 'open' || this.today(roster) > round.due) return;
    const progress = await this.progress(round, roster);
    const reached = outstandingPeople(progress).filter((p) => p.delivery === 'sent').map((p) => p.person);
    const notReached = progress.people.filter((p) => p.status === 'not reached').map((p) => p.person);
    const n = round.remindersSent + 1;
    const batch = `${round.id}-rem${n}`;
    await this.worker.queue.createBatch({ id: batch, kind: REMINDER_BATCH, ref: round.id, createdAt: this.services.now().toISOString() });
    await this.worker.queue.enqueue(batch, reached, this.services.now());
    await this.worker.queue.enqueue(round.id, notReached, this.services.now(), { retryFailed: true });
    await this.store.updateRound(round.id, (r) => ({ ...r, remindersSent: n }));
    await this.services.audit.append({ actor: LANTERN, action: 'acknowledgement-round.reminded', entityType: 'acknowledgement-campaign', entityId: round.campaignId, detail: { round: round.id, reminder: n, people: reached.length, retried: notReached.length } });
    const tz = roster.config.school.timezone;
    const next = addDays(localParts(this.services.now(), tz).date, this.settings.reminderEveryDays);
    if (next <= round.due) await this.services.scheduler.schedule(JOBS.remind, zonedInstant(next, REMINDER_TIME, tz), { round: round.id }, `acks-remind-${round.id}`);
    await this.worker.kick();
    void this.worker.drain();
  }

  /**
   * After the due date: who is outstanding, to the lead and to each line manager for their own
   * staff. Queued like the cards, so it is paced and retried; each message is written when it is
   * sent, so it lists who is outstanding then, not when it was queued.
   */
  async sendOverdue(roundId: string, roster: Roster): Promise<void> {
    const round = (await this.store.round(roundId))?.value;
    if (!round || round.state !== 'open' || round.overdueSentAt) return;
    const campaign = (await this.store.campaign(round.campaignId))?.value;
    const outstanding = outstandingPeople(await this.progress(round, roster));
    const leads = this.leadsOf(round, campaign, roster);
    const managers = new Set(outstanding.map((p) => lineManagerOf(p.person, this.settings)).filter((m): m is string => !!m && !!roster.person(m)));
    const recipients = [...new Set([...leads, ...managers])];
    const batch = `${round.id}-overdue`;
    await this.worker.queue.createBatch({ id: batch, kind: OVERDUE_BATCH, ref: round.id, createdAt: this.services.now().toISOString() });
    await this.worker.queue.enqueue(batch, recipients, this.services.now());
    await this.store.updateRound(round.id, (r) => ({ ...r, overdueSentAt: this.services.now().toISOString() }));
    await this.services.audit.append({ actor: LANTERN, action: 'acknowledgement-round.overdue-queued', entityType: 'acknowledgement-campaign', entityId: round.campaignId, detail: { round: round.id, outstanding: outstanding.length, to: recipients.map((id) => roster.person(id)!.name) } });
    await this.worker.kick();
    void this.worker.drain();
    void this.redraw(round.id, true);
  }

  private leadsOf(round: Round, campaign: Campaign | undefined, roster: Roster): string[] {
    return [...new Set([campaign?.startedBy.id, roster.config.roles.onlineSafetyLead].filter((id): id is string => !!id && !!roster.person(id)))];
  }

  /** The overdue message for one recipient: the whole list for a lead, their own staff for a line manager. */
  private async overdueText(round: Round, personId: string, roster: Roster): Promise<string | undefined> {
    const campaign = (await this.store.campaign(round.campaignId))?.value;
    const progress = await this.progress(round, roster);
    const outstanding = outstandingPeople(progress);
    const list = (people: typeof outstanding) => people.map((p) => `- ${p.name}${p.section ? ` (${p.section})` : ''}${p.status === 'not reached' ? ': not reached in Teams' : ''}`).join('\n');
    const parts: string[] = [];
    if (this.leadsOf(round, campaign, roster).includes(personId)) {
      const head = `**Overdue: ${round.document.title}** (version ${round.version}, due ${round.due}). ${progress.acknowledged} of ${progress.total} have acknowledged`;
      const shown = outstanding.slice(0, 60);
      const rest = outstanding.length - shown.length;
      parts.push(
        outstanding.length
          ? `${head}; ${outstanding.length} have not:\n\n${list(shown)}${rest > 0 ? `\n- and ${rest} more` : ''}\n\nType **export acknowledgements ${round.document.title}** for the full list.`
          : `${head}: everyone has.`,
      );
    }
    const mine = outstanding.filter((p) => lineManagerOf(p.person, this.settings) === personId);
    if (mine.length) parts.push(`**Overdue: ${round.document.title}** (due ${round.due}). Of the staff you line-manage, ${mine.length} have not acknowledged it yet:\n\n${list(mine)}`);
    return parts.length ? parts.join('\n\n') : undefined;
  }

  /** Overdue messages: rendered from the round as it stands at the moment of sending. */
  private overdueKind() {
    const said = async (action: string, batch: Batch, personId: string, extra: Record<string, unknown> = {}) => {
      await this.services.audit.append({ actor: LANTERN, action, entityType: 'acknowledgement-round', entityId: batch.ref, detail: { person: personId, ...extra } });
    };
    return {
      render: async (batch: Batch, personId: string) => {
        const found = await this.recipient(batch, personId);
        if (!found) return undefined;
        const { round, roster, person } = found;
        const text = await this.overdueText(round, personId, roster);
        return text ? { to: { aadObjectId: person.aadObjectId, email: person.email }, message: { text } } : undefined;
      },
      delivered: async (batch: Batch, personId: string) => said('acknowledgement-overdue.sent', batch, personId),
      failed: async (batch: Batch, personId: string, reason: string) => said('acknowledgement-overdue.not-reached', batch, personId, { reason }),
    };
  }

  /**
   * A document with a campaign changed in the policy set: the lead is asked to confirm a new
   * round (once per version). Nothing is sent to staff until they do.
   */
  async checkVersions(roster: Roster): Promise<number> {
    const set = await this.policySet();
    let proposed = 0;
    for (const campaign of await this.store.allCampaigns()) {
      if (campaign.document.source !== 'policy' || !campaign.currentRound) continue;
      const current = set.byKey(campaign.document.key);
      const round = (await this.store.round(campaign.currentRound))?.value;
      if (!current || !round || current.version.version === round.version || campaign.proposal?.version === current.version.version) continue;
      const due = addDays(this.today(roster), this.settings.defaultDueDays);
      const card = newVersionCard(campaign, round, current.version.version, describeAudience(campaign.audience), due);
      const to = roster.person(campaign.startedBy.id) ?? roster.holder('onlineSafetyLead');
      const posted = to ? await this.services.messenger.toPerson({ aadObjectId: to.aadObjectId, email: to.email }, { card }).catch(() => undefined) : undefined;
      if (!posted) this.services.log(`acknowledgements: ${campaign.document.title} has a new version but its lead could not be told in Teams`);
      const stored = (await this.store.campaign(campaign.id))!;
      await this.store.replaceCampaign({ ...stored.value, proposal: { version: current.version.version, at: this.services.now().toISOString(), card: posted } }, stored.etag).catch((err) => {
        if (!(err instanceof ConflictError)) throw err;
      });
      await this.services.audit.append({ actor: LANTERN, action: 'acknowledgement-campaign.new-version-seen', entityType: 'acknowledgement-campaign', entityId: campaign.id, detail: { from: round.version, to: current.version.version, told: posted ? to?.name : undefined } });
      proposed += 1;
    }
    return proposed;
  }

  private async roundFor(id: string): Promise<Round | undefined> {
    const memo = this.roundMemo.get(id);
    if (memo && performance.now() - memo.at < 30_000) return memo.round;
    const round = (await this.store.round(id))?.value;
    if (round) this.roundMemo.set(id, { round, at: performance.now() });
    return round;
  }

  /** The open round of a batch and the person a row names; undefined when there is nothing to send any more. */
  private async recipient(batch: Batch, personId: string) {
    const round = await this.roundFor(batch.ref);
    const roster = await this.services.config.current();
    const person = roster.person(personId);
    return round && round.state === 'open' && person ? { round, roster, person } : undefined;
  }

  private batchKind(reminder: boolean) {
    return {
      render: async (batch: Batch, personId: string) => {
        const found = await this.recipient(batch, personId);
        if (!found) return undefined;
        const { round, person } = found;
        if (reminder && (await this.store.acknowledgement(round.id, personId))) return undefined;
        // Everyone in a batch gets the same card: rendered once, not 2,000 times.
        let card = this.cardMemo.get(batch.id);
        if (!card) {
          card = requestCard(round, round.openedBy.name, reminder);
          this.cardMemo.set(batch.id, card);
          if (this.cardMemo.size > 20) this.cardMemo.delete(this.cardMemo.keys().next().value!);
        }
        return { to: { aadObjectId: person.aadObjectId, email: person.email }, message: { card } };
      },
      delivered: async (batch: Batch) => {
        if (!reminder) void this.redraw(batch.ref);
      },
      failed: async (batch: Batch, personId: string, reason: string) => {
        await this.services.audit.append({ actor: LANTERN, action: reminder ? 'acknowledgement-reminder.not-reached' : 'acknowledgement-card.not-reached', entityType: 'acknowledgement-round', entityId: batch.ref, detail: { person: personId, reason } });
        void this.redraw(batch.ref);
      },
    };
  }
}
