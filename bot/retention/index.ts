import type { ActionResult, Turn } from '../chat/turn';
import type { Capability, CapabilityModule, HelpEntry, Services } from '../chat/capability';
import type { Roster } from '../config/roster';
import { recordCard } from '../incidents/caseCards';
import type { IncidentCase } from '../incidents/caseRecord';
import { CaseStore } from '../incidents/caseStore';
import { incidentSettingsSchema } from '../incidents/settings';
import { DocumentTable } from '../storage/documentTable';
import { changeHold, type HoldChange, type HoldOutcome } from './legalHold';
import { RetentionLedger } from './ledger';
import { schoolDate } from './periods';
import { recordKinds } from './recordKinds';
import { ReportArchive } from './reportArchive';
import { forecast, forecastText } from './retentionReport';
import { retentionSettingsSchema, type RetentionSettings } from './settings';
import { scheduleSweep, SWEEP_JOB, sweepJob } from './sweepJob';

const REFUSED = (ref: string) => `Case ${ref} isn't one you handle, or doesn't exist. Nothing was changed.`;
const NOT_ALLOWED = (ref: string) => `Only a DSL or the Head (the Chair, for a case about the Head) can place or lift a legal hold. Nothing was changed on ${ref}.`;
const REPORT_ROLES = ['dsl', 'head', 'admin'] as const;

/** Retention periods, the daily sweep, legal holds on cases and `retention report`. */
async function create(services: Services, settings: RetentionSettings): Promise<Capability> {
  // References are parsed and read the same whatever the prefix: the prefix only matters to new cases.
  const cases = new CaseStore(services.tables, incidentSettingsSchema.parse({}).referencePrefix);
  const ledger = new RetentionLedger(services.tables);
  const archive = new ReportArchive(services.tables);
  const kindsFor = (roster: Roster) => {
    const timeZone = roster.config.school.timezone;
    return recordKinds({ tables: services.tables, settings, timeZone, today: schoolDate(services.now().toISOString(), timeZone), archive, scheduler: services.scheduler });
  };
  await scheduleSweep(services, settings);

  const actorOf = (turn: Turn) => ({ id: turn.actor.personId ?? turn.actor.aadObjectId ?? turn.actor.teamsUserId, name: turn.actor.name, personId: turn.actor.personId });

  async function hold(turn: Turn, roster: Roster, ref: unknown, reason: unknown, change: HoldChange): Promise<{ text: string; case?: IncidentCase; outcome: HoldOutcome }> {
    const outcome = await changeHold(services, cases, roster, actorOf(turn), ref, reason, change);
    switch (outcome.kind) {
      case 'refused':
        return { outcome, text: REFUSED(outcome.ref) };
      case 'not-allowed':
        return { outcome, text: NOT_ALLOWED(outcome.ref) };
      case 'invalid':
      case 'unchanged':
        return { outcome, text: `${outcome.message}${outcome.kind === 'invalid' ? ' Nothing was changed.' : ''}`, case: outcome.case };
      case 'conflict':
        return { outcome, text: `Case ${outcome.case.ref} was changed by someone else at the same moment. Nothing was changed: look at it again and try once more.`, case: outcome.case };
      case 'done':
        return {
          outcome,
          case: outcome.case,
          text:
            change === 'place'
              ? `Legal hold placed on ${outcome.case.ref}. Nothing will delete the case or its chronology until the hold is lifted.`
              : `Legal hold lifted from ${outcome.case.ref}. Its usual retention period applies again.`,
        };
    }
  }

  /** From the record card: the fresh record comes back (private chat only), else just the answer. */
  async function holdAction(change: HoldChange, data: Record<string, unknown>, turn: Turn, roster: Roster): Promise<ActionResult> {
    const result = await hold(turn, roster, data.ref, data.holdReason, change);
    const visible = result.case && result.outcome.kind !== 'refused' && result.outcome.kind !== 'not-allowed';
    if (!visible || turn.place.kind !== 'personal') return { message: result.text };
    const history = await services.audit.history('incident', result.case!.ref);
    const errors = result.outcome.kind === 'invalid' ? { holdReason: result.text } : undefined;
    return { card: recordCard(result.case!, history, roster, { notice: result.text, errors }) };
  }

  const heldCases = async () => (await new DocumentTable<IncidentCase>(services.tables, 'incidents').list('case')).map((r) => r.value).filter((c) => c.legalHold);

  return {
    name: 'retention',
    commands: [
      {
        name: 'retention-hold',
        // Only "hold" alone or followed by something shaped like a reference: "hold on, can I…" is a question.
        pattern: /^(?:place |legal )?hold(?:\s+([a-z]{2,6}-\S+)(?:\s+(.+))?)?$/i,
        // "hold" and a word that is not a reference; "hold on", "hold up" and "hold it, …" begin questions.
        usage: { prefix: /^(?:place |legal )?hold (?!(?:on|up|off|back)\b)[^\s,]+(?: [^,]+)?$/i, text: 'To keep a case from deletion, type **hold INC-2026-0001 reason** with the case\'s full reference and why it is kept, e.g. **hold INC-2026-0001 insurance claim**.' },
        async run(turn, match, roster) {
          if (!match[1]) return void (await turn.send('Which case, and why? Type **hold INC-2026-0001** and the reason, e.g. the claim or inquiry it is kept for.'));
          await turn.send((await hold(turn, roster, match[1], match[2], 'place')).text);
        },
      },
      {
        name: 'retention-release',
        pattern: /^(?:release|lift|remove)(?: legal)? hold(?:\s+([a-z]{2,6}-\S+)(?:\s+(.+))?)?$/i,
        // Help offers it in the "hold" entry's description.
        usage: { prefix: /^(?:release|lift|remove)(?: legal)? hold [^\s,]+(?: [^,]+)?$/i, text: 'To lift a legal hold, type **release hold INC-2026-0001 reason** with the case\'s full reference and why the hold ends.', offeredBy: /^hold$/i },
        async run(turn, match, roster) {
          if (!match[1]) return void (await turn.send('Which case? Type **release hold INC-2026-0001** and the reason.'));
          await turn.send((await hold(turn, roster, match[1], match[2], 'lift')).text);
        },
      },
      {
        name: 'retention-report',
        pattern: /^retention(?: report)?$/i,
        usage: { prefix: /^retention report .+$/i, text: 'Type **retention report** on its own: it shows what the daily sweep deletes in the next 30 days.' },
        async run(turn, _match, roster) {
          if (!roster.has(turn.actor.personId, ...REPORT_ROLES)) return void (await turn.send('The retention report is for DSLs, the Head and admins.'));
          const timeZone = roster.config.school.timezone;
          const today = schoolDate(services.now().toISOString(), timeZone);
          const f = await forecast(kindsFor(roster), await heldCases(), today, turn.actor.personId, roster);
          await turn.send(forecastText(f, timeZone));
        },
      },
    ],
    actions: {
      'retention.hold': (action, turn, roster) => holdAction('place', action.data, turn, roster),
      'retention.release': (action, turn, roster) => holdAction('lift', action.data, turn, roster),
    },
    jobs: { [SWEEP_JOB.kind]: sweepJob(services, settings, ledger, kindsFor) },
    help(actor, roster) {
      const entries: HelpEntry[] = [];
      if (roster.has(actor.personId, ...REPORT_ROLES)) entries.push({ title: 'Retention report', command: 'retention report', description: 'What the daily sweep deletes in the next 30 days, by kind, and which cases are under legal hold.', group: 'role' });
      if (roster.has(actor.personId, 'dsl', 'head', 'chair-of-governors')) entries.push({ title: 'Legal hold', command: 'hold', description: 'Keep a case from deletion: **hold INC-2026-0001 reason**; **release hold INC-2026-0001 reason** lifts it.', group: 'role' });
      return entries;
    },
  };
}

export const retentionModule: CapabilityModule<RetentionSettings> = {
  settingsKey: 'retention',
  settingsSchema: retentionSettingsSchema,
  create,
};
