import type { Services } from '../chat/capability';
import type { Roster } from '../config/roster';
import { zonedInstant } from '../calendar/schoolTime';
import { buildTermReport } from './buildTermReport';
import { reportCard } from './reportCard';
import { reportFiles } from './reportFiles';
import { namedTerms, termRange, type NamedTerm } from './reportRange';
import { recordSources } from './recordSources';
import type { ReportSettings } from './settings';

export const TERM_END_JOB = 'report.term-end';
export const TERM_SEND_TASK = 'report.term-send';
const LANTERN = { id: 'lantern', name: 'Lantern' };

/** One job and one send task per term, keyed by its dates: a term's report goes out once, ever. */
export const termJobId = (t: { start: string; end: string }) => `report-term-${t.start}-${t.end}`;
export const termSendId = (t: { start: string; end: string }) => `report-send-${t.start}-${t.end}`;

/** The Chair of Governors and every section's DSL, each once. */
export function termReportRecipients(roster: Roster) {
  const people = [roster.holder('chairOfGovernors'), ...roster.withRole('dsl')].filter((p): p is NonNullable<typeof p> => !!p);
  return [...new Map(people.map((p) => [p.id, p])).values()];
}

const sendTime = (term: NamedTerm, settings: ReportSettings, timeZone: string) => zonedInstant(term.end, settings.sendAt, timeZone);

/**
 * Puts the next term's send in place: the first term whose send time is still ahead and whose
 * report has not gone. A job already there is left as it is (it may be due after downtime).
 */
export async function scheduleNextTermReport(services: Services, settings: ReportSettings): Promise<void> {
  if (!settings.sendAtTermEnd) return;
  const roster = await services.config.current();
  const tz = roster.config.school.timezone;
  const now = services.now().getTime();
  for (const term of namedTerms(roster.config.school.termDates)) {
    const due = sendTime(term, settings, tz);
    if (due.getTime() <= now) continue;
    if (await services.outbox.result(termSendId(term))) continue;
    if (!(await services.scheduler.get(termJobId(term)))) await services.scheduler.schedule(TERM_END_JOB, due, { start: term.start, end: term.end }, termJobId(term));
    return;
  }
}

interface SendPayload extends Record<string, unknown> {
  start: string;
  end: string;
}

/** The end-of-term job and the send it starts: each recipient a step, so a retry skips whoever already has it. */
export function termEndJobs(services: Services, settings: ReportSettings) {
  services.outbox.define<SendPayload, { reached: string[]; missed: string[] }>(TERM_SEND_TASK, async ({ start, end }, run) => {
    const roster = await services.config.current();
    const term = namedTerms(roster.config.school.termDates).find((t) => t.start === start && t.end === end);
    const range = term ? termRange(term) : { from: start, to: end, label: `${start} to ${end}` };
    const report = await buildTermReport(services.config, settings, recordSources(services.tables, services.audit, services.config), range, services.now());
    const card = reportCard(report.view, range);
    const files = await reportFiles(report.view, range);
    const text = `The termly report for ${range.label} (counts only). The PDF and Excel copies for the governors' pack follow: choose **Allow** to save each to your OneDrive.`;
    const reached: string[] = [];
    const missed: string[] = [];
    for (const person of termReportRecipients(roster)) {
      const sent = await run.step(`to:${person.id}`, async () => !!(await services.messenger.toPerson({ aadObjectId: person.aadObjectId, email: person.email }, { text, card, files })));
      (sent ? reached : missed).push(person.name);
    }
    await run.step('audit', async () => {
      await services.audit.append({ actor: LANTERN, action: 'report.sent', entityType: 'report', entityId: `${range.from}..${range.to}`, reason: `end of term: ${range.label}`, detail: { reached, missed } });
      return true;
    });
    if (missed.length) services.log(`report: the termly report for ${range.label} did not reach ${missed.join(', ')} (not yet known to Lantern in Teams)`);
    return { reached, missed };
  });

  return {
    async [TERM_END_JOB](job: { payload: Record<string, unknown> }) {
      const start = String(job.payload.start ?? '');
      const end = String(job.payload.end ?? '');
      const roster = await services.config.current();
      // Term dates may have changed since this was scheduled: a term no longer listed gets no report.
      if (namedTerms(roster.config.school.termDates).some((t) => t.start === start && t.end === end)) {
        const sent = await services.outbox.submit(TERM_SEND_TASK, termSendId({ start, end }), { start, end });
        if (sent.state !== 'done') throw new Error(`the termly report for ${start}..${end} is not finished (${sent.state})`);
      }
      await scheduleNextTermReport(services, settings);
    },
  };
}
