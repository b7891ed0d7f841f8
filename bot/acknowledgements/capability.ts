import type { Capability, HelpEntry, Services } from '../chat/capability';
import type { ActionResult, Actor, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import { addDays, isIsoDate } from '../calendar/schoolTime';
import { createOrAdopt } from '../scheduler/outbox';
import { audienceChoices, describeAudience, parseAudience } from './audience';
import { campaignIdOf, Campaigns, JOBS, schoolTime, VERSION_CHECK_ID } from './campaigns';
import type { Acknowledgement, Campaign, Round } from './campaignStore';
import { doneCard, startFormCard, textCard, textParts, type StartFormValues } from './cards';
import { linkedDocument, type AckDocument, type DocumentVersion } from './documents';
import { acknowledgementCsv, acknowledgementWorkbook, CSV_MIME, exportName, exportRows, XLSX_MIME } from './exportFile';
import type { AcknowledgementSettings } from './settings';

const NOT_ALLOWED = 'Only the online-safety lead or a Lantern admin can run acknowledgement campaigns.';
const ONE_TO_ONE = 'Acknowledgement campaigns list staff by name, so I run them in a 1:1 chat with you. Message me directly.';
const ACK_TASK = 'acks.acknowledge';
const MAX_NOTE = 500;
// As the form's maxLength: the title is on every member of staff's card, and a card has a size limit.
const MAX_TITLE = 120;

/** What the lead is told of a link's version: of its content, or of its address only, and why. */
const linkVersionFact = (v: DocumentVersion) => ({ title: 'Version', value: v.unread ? `${v.version}, of the address only: Lantern could not read the document (${v.unread}), so a change to the file will not show as a new version` : `${v.version} (of the document's content)` });
const actorRef = (a: Actor) => ({ id: a.personId ?? a.aadObjectId ?? a.teamsUserId, name: a.name });
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The chat surface of acknowledgement campaigns; the work is in campaigns.ts. */
export function createAcknowledgementCapability(services: Services, settings: AcknowledgementSettings, campaigns: Campaigns): Capability {
  const store = campaigns.store;
  const canRun = (actor: Actor, roster: Roster) => roster.has(actor.personId, 'online-safety-lead', 'admin');
  const refusal = (turn: Turn, roster: Roster) => (!canRun(turn.actor, roster) ? NOT_ALLOWED : turn.place.kind !== 'personal' ? ONE_TO_ONE : undefined);

  services.outbox.define<{ record: Acknowledgement }, Acknowledgement>(ACK_TASK, async ({ record }, run) => {
    const kept = await run.step('record', () => createOrAdopt(() => store.recordAcknowledgement(record), async () => (await store.acknowledgement(record.round, record.person))!));
    await run.step('audit', async () => {
      await services.audit.append({
        actor: { id: kept.person, name: kept.name },
        action: 'acknowledgement.recorded',
        entityType: 'acknowledgement-round',
        entityId: kept.round,
        detail: { version: kept.version, card: kept.card, campaign: kept.campaign },
      });
    });
    return kept;
  });

  /** A typed document: a policy of the set (by title or file name), or an https link. */
  const findDocument = async (typed: string): Promise<{ doc: AckDocument; version: DocumentVersion } | string> => {
    if (campaigns.isLink(typed)) {
      const doc = linkedDocument(typed);
      return { doc, version: await campaigns.linkVersion(doc) };
    }
    const set = await campaigns.policySet();
    const found = set.match(typed);
    if (found.length === 1) return found[0];
    const titles = set.titles().map((d) => `**${d.title}**`).join(', ');
    if (!found.length) return titles ? `I could not find "${typed}" in the policy set. Its documents are: ${titles}. You can also give a link (https://...) to a document such as a guidance PDF.` : 'The policy set is empty here, so give a link (https://...) to the document instead.';
    return `"${typed}" matches ${found.length} documents: ${found.map((f) => `**${f.doc.title}**`).join(', ')}. Type the one you mean in full.`;
  };

  /** The document of a button, looked up again: the key on the card is only a name. */
  const documentByKey = async (key: string): Promise<{ doc: AckDocument; version: DocumentVersion } | undefined> => {
    if (campaigns.isLink(key)) {
      const doc = linkedDocument(key);
      return { doc, version: await campaigns.linkVersion(doc) };
    }
    return (await campaigns.policySet()).byKey(key);
  };

  const form = async (found: { doc: AckDocument; version: DocumentVersion }, roster: Roster, values: StartFormValues, error?: string) =>
    startFormCard({
      title: found.doc.title,
      document: found.doc.key,
      isLink: found.doc.source === 'link',
      facts: found.doc.source === 'link' ? [{ title: 'Link', value: found.doc.url ?? '' }, linkVersionFact(found.version)] : [{ title: 'Version', value: found.version.version }, { title: 'Sections', value: String(found.version.headings.length) }],
      values,
      audiences: await audienceChoices(roster, campaigns.directory),
      reminderEveryDays: settings.reminderEveryDays,
      error,
    });

  const currentRound = async (campaign: Campaign | undefined): Promise<Round | undefined> => (campaign?.currentRound ? (await store.round(campaign.currentRound))?.value : undefined);

  const showProgress = async (turn: Turn, round: Round, roster: Roster) => {
    const card = await campaigns.progressView(round, roster, turn.place.kind === 'personal');
    const id = await turn.send({ card });
    if (id) await campaigns.addProgressCard(round.id, { address: turn.place.address, activityId: id });
  };

  const start = async (data: Record<string, unknown>, turn: Turn, roster: Roster): Promise<ActionResult> => {
    const refused = refusal(turn, roster);
    if (refused) return { message: refused };
    const found = await documentByKey(str(data.document));
    if (!found) return { message: 'That document is no longer in the policy set, so nothing was sent. Type **ask staff to acknowledge** and the document again.' };
    const values: StartFormValues = { title: str(data.title), note: str(data.note), audience: str(data.audience), due: str(data.due) };
    const doc = found.doc.source === 'link' ? linkedDocument(found.doc.url!, values.title || undefined) : found.doc;
    const audience = parseAudience(values.audience, roster);
    const today = campaigns.today(roster);
    // The first that fails is said beside the form.
    const checks: Array<[boolean, string]> = [
      [values.title.length > MAX_TITLE, `The title can be up to ${MAX_TITLE} characters; yours has ${values.title.length}.`],
      [!values.note, 'Write a short note on what changed (or why staff are asked to read it).'],
      [values.note.length > MAX_NOTE, `The note can be up to ${MAX_NOTE} characters; yours has ${values.note.length}.`],
      [!audience, 'Choose who must acknowledge it.'],
      [!isIsoDate(values.due) || values.due <= today, 'Give a due date after today.'],
    ];
    const problem = checks.find(([failed]) => failed)?.[1];
    if (problem) return { card: await form(found, roster, values, problem) };
    const existing = (await store.campaign(campaignIdOf(doc)))?.value;
    const open = await currentRound(existing);
    if (open?.state === 'open') {
      if (open.version === found.version.version) return { message: `Staff are already asked to acknowledge ${doc.title} (version ${open.version}, round ${open.number}). Type **acknowledgements ${doc.title}** to see where it stands.` };
      return { message: `${doc.title} has a new version since round ${open.number}; confirm the new round on the card I send when the policy set changes, or type **acknowledgements ${doc.title}**.` };
    }
    const campaign = await campaigns.startCampaign(doc, audience!, actorRef(turn.actor));
    const opened = await campaigns.openRound({ ...campaign, audience: audience! }, found.version, { note: values.note, due: values.due, by: actorRef(turn.actor) }, roster);
    await campaigns.attachRound(campaign.id, opened.round, audience);
    if (!opened.created) return { message: `This campaign was already started. Type **acknowledgements ${doc.title}** to see it.` };
    await showProgress(turn, opened.round, roster);
    return { message: `Started: ${opened.queued} ${opened.queued === 1 ? 'person' : 'people'} (${describeAudience(audience!)}) will each get a card for ${doc.title}, version ${found.version.version}, due ${values.due}. The progress card below updates as answers come in.` };
  };

  const acknowledge = async (data: Record<string, unknown>, cardMessageId: string | undefined, turn: Turn, roster: Roster): Promise<ActionResult> => {
    const stored = await store.round(str(data.round));
    const personId = turn.actor.personId;
    // Not theirs (or no such round): say nothing of the round.
    const row = stored && personId ? await campaigns.worker.queue.row(stored.value.id, personId) : undefined;
    if (!stored || !personId || !row) return { message: 'This card is not addressed to you, so nothing was recorded.' };
    const round = stored.value;
    const facts = (a: Acknowledgement) => [
      { title: 'Document', value: round.document.title },
      { title: 'Version', value: a.version },
      { title: 'When', value: schoolTime(a.at, roster) },
    ];
    const earlier = await store.acknowledgement(round.id, personId);
    if (earlier) return { card: doneCard('You have already acknowledged this: nothing more to do.', facts(earlier)) };
    if (round.state !== 'open') return { message: `A newer version of ${round.document.title} has replaced this one, so nothing was recorded. Look for the new card in this chat.` };
    const record: Acknowledgement = {
      round: round.id,
      campaign: round.campaignId,
      person: personId,
      name: turn.actor.name,
      version: round.version,
      at: services.now().toISOString(),
      card: { conversationId: turn.place.address.conversationId, activityId: cardMessageId },
    };
    const saved = await services.outbox.submit<{ record: Acknowledgement }, Acknowledgement>(ACK_TASK, `ack-${round.id}-${personId}`, { record });
    // Running: the same press reached another instance first (Teams redelivered it), which is recording it.
    if (saved.state === 'running') return { message: 'Your acknowledgement is being recorded now: nothing more to do.' };
    if (saved.state !== 'done') return { message: "Your acknowledgement is saved, but Lantern's storage failed before it was finished. Press the button again in a minute." };
    // An answer is what the lead watches for: drawn at once (deliveries are drawn every few seconds).
    await campaigns.redraw(round.id, true);
    return { card: doneCard('Thank you: your acknowledgement is recorded.', facts(saved.result)) };
  };

  const sendExport = async (turn: Turn, round: Round, roster: Roster, formats: Array<'xlsx' | 'csv'>) => {
    const rows = exportRows(round, await campaigns.progress(round, roster), roster);
    const files = [];
    if (formats.includes('xlsx')) {
      const data = await acknowledgementWorkbook(rows, round, roster.schoolName);
      files.push({ name: exportName(round, 'xlsx'), contentType: XLSX_MIME, contentUrl: `data:${XLSX_MIME};base64,${data.toString('base64')}` });
    }
    if (formats.includes('csv')) {
      files.push({ name: exportName(round, 'csv'), contentType: CSV_MIME, contentUrl: `data:${CSV_MIME};base64,${Buffer.from(acknowledgementCsv(rows), 'utf8').toString('base64')}` });
    }
    await turn.send({ text: `Acknowledgements of ${round.document.title}, version ${round.version} (round ${round.number}): one row per person.`, files });
    await services.audit.append({ actor: actorRef(turn.actor), action: 'acknowledgement-round.exported', entityType: 'acknowledgement-round', entityId: round.id, detail: { formats, rows: rows.length } });
  };

  /** The campaign of a typed document, for the lead's commands. */
  const campaignOf = async (typed: string): Promise<{ campaign: Campaign; round: Round } | string> => {
    const found = await findDocument(typed);
    const campaign = typeof found === 'string' ? undefined : (await store.campaign(campaignIdOf(found.doc)))?.value;
    const round = await currentRound(campaign);
    if (!campaign || !round) return typeof found === 'string' ? found : `Staff have not been asked to acknowledge ${found.doc.title} yet. Type **ask staff to acknowledge ${found.doc.title}** to start.`;
    return { campaign, round };
  };

  const roundForLead = async (data: Record<string, unknown>, turn: Turn, roster: Roster): Promise<Round | string> => {
    if (!canRun(turn.actor, roster)) return NOT_ALLOWED;
    const round = (await store.round(str(data.round)))?.value;
    return round ?? "That button's round was not found. Type **acknowledgements** and the document's name.";
  };

  const newRound = async (data: Record<string, unknown>, turn: Turn, roster: Roster): Promise<ActionResult> => {
    const refused = refusal(turn, roster);
    if (refused) return { message: refused };
    const stored = await store.campaign(str(data.campaign));
    if (!stored) return { message: "That button's campaign was not found, so nothing was sent." };
    const campaign = stored.value;
    const current = await campaigns.currentVersion(campaign.document);
    const round = await currentRound(campaign);
    if (!current || !round) return { message: `${campaign.document.title} is no longer in the policy set, so no new round was opened.` };
    if (round.version === current.version) return { message: `Round ${round.number} already asks for version ${current.version}: nothing more to open.` };
    if (current.version !== str(data.version)) return { message: `${campaign.document.title} changed again since this card (now version ${current.version}); I will send a card for the latest version shortly. Nothing was sent.` };
    const due = str(data.due);
    if (!isIsoDate(due) || due <= campaigns.today(roster)) return { message: 'Give a due date after today, then press **Open a new round** again.' };
    const note = str(data.note).slice(0, MAX_NOTE) || `A new version of ${campaign.document.title}.`;
    const opened = await campaigns.openRound(campaign, current, { note, due, by: actorRef(turn.actor) }, roster);
    if (opened.created) {
      await store.updateRound(round.id, (r) => (r.state === 'open' ? { ...r, state: 'superseded' } : undefined));
      campaigns.forget(round.id);
      await campaigns.cancelRoundJobs(round.id);
      await campaigns.attachRound(campaign.id, opened.round);
      await services.audit.append({ actor: actorRef(turn.actor), action: 'acknowledgement-round.superseded', entityType: 'acknowledgement-campaign', entityId: campaign.id, detail: { round: round.id, by: opened.round.id } });
      await showProgress(turn, opened.round, roster);
    }
    return { message: `Round ${opened.round.number} is open: ${opened.queued} people will get the card for version ${current.version}, due ${opened.round.due}.` };
  };

  return {
    name: 'acknowledgements',
    commands: [
      {
        name: 'ask staff to acknowledge',
        pattern: /^ask (?:all )?staff to (?:read and )?acknowledge(?: (.+))?$/i,
        async run(turn, m, roster) {
          const refused = refusal(turn, roster);
          if (refused) return void (await turn.send(refused));
          if (!m[1]) return void (await turn.send('Say which document, e.g. **ask staff to acknowledge staff acceptable use policy**, or give a link to it.'));
          const found = await findDocument(m[1]);
          if (typeof found === 'string') return void (await turn.send(found));
          const values: StartFormValues = { title: found.doc.source === 'link' ? found.doc.title : '', note: '', audience: 'all', due: addDays(campaigns.today(roster), settings.defaultDueDays) };
          await turn.send({ card: await form(found, roster, values) });
        },
      },
      {
        name: 'export acknowledgements',
        pattern: /^export acknowledgements(?: (.+?))?(?: (csv|xlsx))?$/i,
        async run(turn, m, roster) {
          const refused = refusal(turn, roster);
          if (refused) return void (await turn.send(refused));
          // "export acknowledgements csv": the format alone, no document.
          if (!m[1] || /^(csv|xlsx)$/i.test(m[1])) return void (await turn.send('Which document? Type **export acknowledgements staff acceptable use policy** with its title (add csv or xlsx for one file); **acknowledgements** lists the campaigns.'));
          const found = await campaignOf(m[1]);
          if (typeof found === 'string') return void (await turn.send(found));
          const format = m[2]?.toLowerCase() as 'csv' | 'xlsx' | undefined;
          await sendExport(turn, found.round, roster, format ? [format] : ['xlsx', 'csv']);
        },
      },
      {
        name: 'acknowledgements',
        pattern: /^acknowledgements(?: (.+))?$/i,
        async run(turn, m, roster) {
          const refused = refusal(turn, roster);
          if (refused) return void (await turn.send(refused));
          if (!m[1]) {
            const all = await store.allCampaigns();
            if (!all.length) return void (await turn.send('No acknowledgement campaigns yet. Type **ask staff to acknowledge** and a document to start one.'));
            return void (await turn.send(`Campaigns: ${all.map((c) => `**${c.document.title}**`).join(', ')}. Type **acknowledgements** and one of them to see its progress.`));
          }
          const found = await campaignOf(m[1]);
          if (typeof found === 'string') return void (await turn.send(found));
          await showProgress(turn, found.round, roster);
        },
      },
    ],
    actions: {
      'acks.start': (a, turn, roster) => start(a.data, turn, roster),
      'acks.cancel': async () => ({ message: 'Cancelled: nothing was sent to staff.' }),
      'acks.confirm': (a, turn, roster) => acknowledge(a.data, a.cardMessageId, turn, roster),
      'acks.text': async (a, turn) => {
        const round = (await store.round(str(a.data.round)))?.value;
        const personId = turn.actor.personId;
        const mine = round && personId && (await campaigns.worker.queue.row(round.id, personId));
        if (!round || !mine) return { message: 'This card is not addressed to you.' };
        const version = await campaigns.currentVersion(round.document);
        if (!version || version.version !== round.version) return { message: `The policy set now holds a newer version of ${round.document.title}; a new card will follow once the online-safety lead opens a new round.` };
        const parts = textParts(version);
        const part = Math.min(Math.max(0, Math.floor(Number(a.data.part) || 0)), Math.max(0, parts.length - 1));
        if (!parts.length) return { message: `${round.document.title} has no sections I can show here.` };
        // A follow-up card: the request card stays as it is, with its button.
        await turn.send({ card: textCard(round, parts, part) });
        return { message: part === 0 ? 'The full text is below.' : `Part ${part + 1} is below.` };
      },
      'acks.progress': async (a, turn, roster) => {
        const round = await roundForLead(a.data, turn, roster);
        if (typeof round === 'string') return { message: round };
        return { card: await campaigns.progressView(round, roster, turn.place.kind === 'personal') };
      },
      'acks.export': async (a, turn, roster) => {
        const refused = refusal(turn, roster);
        if (refused) return { message: refused };
        const round = await roundForLead(a.data, turn, roster);
        if (typeof round === 'string') return { message: round };
        const format = a.data.format === 'csv' ? 'csv' : a.data.format === 'xlsx' ? 'xlsx' : undefined;
        if (!format) return { message: "That button's data was not understood, so nothing was sent." };
        await sendExport(turn, round, roster, [format]);
        return { card: await campaigns.progressView(round, roster, true) };
      },
      'acks.newRound': (a, turn, roster) => newRound(a.data, turn, roster),
      'acks.notNow': async (_a, turn, roster) => (canRun(turn.actor, roster) ? { message: 'No new round opened. Type **acknowledgements** and the document to see the current one; I will ask again when it changes next.' } : { message: NOT_ALLOWED }),
    },
    replayableActions: ['acks.confirm'],
    jobs: {
      [JOBS.remind]: async (job) => campaigns.remind(String(job.payload.round), await services.config.current()),
      [JOBS.overdue]: async (job) => campaigns.sendOverdue(String(job.payload.round), await services.config.current()),
      [JOBS.versionCheck]: async (job) => {
        await campaigns.checkVersions(await services.config.current());
        await campaigns.topUp(await services.config.current());
        // From now, not from when it was due: after downtime one check catches up, not a burst.
        const from = Math.max(new Date(job.due).getTime(), services.now().getTime());
        await services.scheduler.schedule(JOBS.versionCheck, new Date(from + settings.versionCheckMinutes * 60_000), {}, VERSION_CHECK_ID);
      },
    },
    async rosterChanged() {
      await campaigns.topUp(await services.config.current());
    },
    help(actor, roster): HelpEntry[] {
      if (!canRun(actor, roster)) return [];
      return [
        { title: 'Ask staff to acknowledge', command: 'ask staff to acknowledge', description: 'Every member of staff reads a policy and confirms it in chat (e.g. **ask staff to acknowledge staff acceptable use policy**).', group: 'role' },
        { title: 'Acknowledgements', command: 'acknowledgements', description: 'Who has acknowledged a document, by section; **export acknowledgements** and the document for the spreadsheet.', group: 'role' },
      ];
    },
    stop: () => campaigns.stop(),
  };
}
