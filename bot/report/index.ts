import type { Capability, CapabilityModule, Services } from '../chat/capability';
import type { ActionResult, Turn } from '../chat/turn';
import type { Role, Roster } from '../config/roster';
import { isIsoDate, localParts } from '../calendar/schoolTime';
import { buildTermReport } from './buildTermReport';
import { reportCard } from './reportCard';
import { reportFiles } from './reportFiles';
import { chooseRange, namedTerms, type ReportRange } from './reportRange';
import { recordSources } from './recordSources';
import { reportSettingsSchema, type ReportSettings } from './settings';
import { scheduleNextTermReport, termEndJobs } from './termEndJobs';

const ALLOWED: Role[] = ['dsl', 'head', 'chair-of-governors', 'admin'];
export const REPORT_REFUSED = 'The termly report is for the DSLs, the Head, the Chair of Governors and Lantern admins.';

async function create(services: Services, settings: ReportSettings): Promise<Capability> {
  const allowed = (turn: Turn, roster: Roster) => roster.has(turn.actor.personId, ...ALLOWED);
  const actorOf = (turn: Turn) => ({ id: turn.actor.personId ?? turn.actor.aadObjectId ?? turn.actor.teamsUserId, name: turn.actor.name });
  const build = (range: ReportRange) => buildTermReport(services.config, settings, recordSources(services.tables, services.audit, services.config), range, services.now());

  async function refuse(turn: Turn, what: string): Promise<void> {
    await services.audit.append({ actor: actorOf(turn), action: 'report.refused', entityType: 'report', entityId: what, reason: 'role' });
  }

  const jobs = termEndJobs(services, settings);
  await scheduleNextTermReport(services, settings);

  return {
    name: 'report',
    commands: [
      {
        name: 'report term',
        pattern: /^(?:termly report|report term)(?:\s+(.*))?$/i,
        async run(turn, match, roster) {
          if (!allowed(turn, roster)) {
            await refuse(turn, 'term');
            return void (await turn.send(REPORT_REFUSED));
          }
          const today = localParts(services.now(), roster.config.school.timezone).date;
          const choice = chooseRange(match[1] ?? '', namedTerms(roster.config.school.termDates), today);
          if (!choice.ok) return void (await turn.send(choice.message));
          const report = await build(choice.range);
          const card = reportCard(report.view, choice.range);
          await services.audit.append({ actor: actorOf(turn), action: 'report.viewed', entityType: 'report', entityId: `${choice.range.from}..${choice.range.to}` });
          if (turn.place.kind === 'personal') return void (await turn.send({ card }));
          // Counts only, but a governors' report is not for a shared chat: it goes 1:1.
          const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId, email: turn.actor.email }, { card });
          await turn.send(sent ? 'I sent you the termly report in a 1:1 chat.' : 'The termly report is shown only in a 1:1 chat: open Lantern in Teams and type **report term** there.');
        },
      },
    ],
    actions: {
      'report.export': async (action, turn, roster): Promise<ActionResult> => {
        if (!allowed(turn, roster)) {
          await refuse(turn, 'export');
          return { message: REPORT_REFUSED };
        }
        if (turn.place.kind !== 'personal') return { message: 'The PDF and Excel files are sent only in a 1:1 chat with Lantern.' };
        const from = typeof action.data.from === 'string' ? action.data.from.trim() : '';
        const to = typeof action.data.to === 'string' ? action.data.to.trim() : '';
        if (!isIsoDate(from) || !isIsoDate(to)) return { message: "That button's dates were not understood, so nothing was sent. Type **report term** to start again." };
        const today = localParts(services.now(), roster.config.school.timezone).date;
        // Only the dates come from the card; the term's name is found again from them here.
        const choice = chooseRange(`${from} ${to}`, namedTerms(roster.config.school.termDates), today);
        if (!choice.ok) return { message: "That button's dates were not understood, so nothing was sent. Type **report term** to start again." };
        const range = choice.range;
        const report = await build(range);
        await turn.send({ text: `The termly report for ${range.label} as PDF and Excel, for the governors' pack.`, files: await reportFiles(report.view, range) });
        await services.audit.append({ actor: actorOf(turn), action: 'report.exported', entityType: 'report', entityId: `${range.from}..${range.to}`, detail: { formats: ['pdf', 'xlsx'] } });
        return { card: reportCard(report.view, range) };
      },
    },
    jobs,
    help(actor, roster) {
      return roster.has(actor.personId, ...ALLOWED) ? [{ title: 'Termly report', command: 'report term', description: 'Counts for governors and leaders: incidents, response times, filter changes and checks, 1-1 calls (**report term autumn 2026**); PDF and Excel for the pack.', group: 'role' }] : [];
    },
  };
}

export const reportModule: CapabilityModule<ReportSettings> = {
  settingsKey: 'report',
  settingsSchema: reportSettingsSchema,
  create,
};
