import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { ukDateTime } from '../calendar/ukFormat';
import type { SetupReport } from './setupReport';

/** The setup report on one card: every role holder, every channel, then the rest as facts. */
export function setupCard(r: SetupReport, timeZone?: string): AdaptiveCard {
  const unreachable = r.people.filter((p) => !p.reachable).length;
  const missing = r.channels.filter((c) => !c.registered).length;
  const ready = !unreachable && !missing && !!r.scheduler;
  const summary = ready
    ? 'Everything is in place: every role holder can be reached 1:1 and every channel is registered.'
    : `${unreachable} of ${r.people.length} role holders cannot be reached 1:1; ${missing} of ${r.channels.length} channels are not registered${r.scheduler ? '' : '; the scheduler has not run'}.`;
  return renderCard('setup-check', {
    summary,
    summaryColor: ready ? 'Good' : 'Attention',
    people: r.people.map((p) => ({ ...p, lastRefusal: p.lastRefusal ?? '', color: p.reachable ? 'Good' : 'Attention' })),
    channels: r.channels.map((c) => ({ ...c, color: c.registered ? 'Good' : 'Attention' })),
    facts: [
      { title: 'Teams', value: r.teams.length ? r.teams.join('; ') : 'none yet: add Lantern to the staff team' },
      { title: 'Graph installation', value: r.graphInstall ? 'on' : 'off' },
      { title: 'Policies', value: r.policies.documents.length ? `${r.policies.documents.length} documents, ${r.policies.sections} sections (${r.policies.documents.map((d) => d.title).join(', ')})` : `none: ${r.policies.folder}` },
      { title: 'Configuration', value: `${r.config.source}, stored ${ukDateTime(r.config.at, timeZone)}` },
      { title: 'Scheduler', value: r.scheduler ? `last ran ${ukDateTime(r.scheduler.at, timeZone)}` : 'has not run yet: reminders and escalations are not being sent' },
    ],
  });
}
