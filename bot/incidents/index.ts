import type { Capability, CapabilityModule, HelpEntry, Services } from '../chat/capability';
import { awayActions, awayCommand } from './awayCommand';
import { createCaseActions } from './caseActions';
import { createCaseJobs } from './caseJobs';
import { caseListCommand } from './caseList';
import { CaseStore } from './caseStore';
import { caseCardPlaces } from './casePlaces';
import { createReportFlow, REPORT_COMMAND } from './reportFlow';
import { incidentSettingsSchema, type IncidentSettings } from './settings';
import { REPORT_TASK, reportTask } from './submitReport';

function create(services: Services, settings: IncidentSettings): Capability {
  const cases = new CaseStore(services.tables, settings.referencePrefix);
  const cards = caseCardPlaces(services, cases);
  services.outbox.define(REPORT_TASK, reportTask(services, settings, cases, cards));
  const report = createReportFlow(services, cases, cards);
  const handling = createCaseActions(services, cases, cards);
  return {
    name: 'incidents',
    commands: [
      {
        name: 'report-incident',
        pattern: REPORT_COMMAND,
        async run(turn) {
          const message = await report.begin(turn, {});
          if (turn.place.kind !== 'personal') await turn.send(message);
        },
      },
      awayCommand(services),
      caseListCommand(services, cases),
      ...handling.commands,
    ],
    actions: { ...report.actions, ...handling.actions, ...awayActions(services) },
    // A redelivered Send finishes the same outbox task and answers with the receipt.
    replayableActions: ['incident.next'],
    jobs: createCaseJobs(services, settings, cases, cards),
    help(actor, roster) {
      const entries: HelpEntry[] = [
        { title: 'Report a concern', command: 'report an incident', description: 'Something worrying online or on a device: a guided form that reaches the right DSL.', group: 'concern' },
      ];
      if (roster.has(actor.personId, 'dsl', 'deputy-dsl')) {
        // The button offers the change that applies now; pressing it asks to confirm and names who will cover.
        const away = roster.isAway(actor.personId!);
        entries.push(
          away
            ? { title: 'Mark me back', command: 'away off', description: 'Back from leave: your new cases come to you again.', group: 'role' }
            : { title: 'Mark me away', command: 'away on', description: 'On leave: see who will receive your new cases, then confirm.', group: 'role' },
        );
      }
      if (roster.has(actor.personId, 'trust-safeguarding-lead')) {
        entries.push({ title: 'Open cases', command: 'cases', description: "Every school's open cases you can handle, each under its school's name.", group: 'role' });
      }
      if (roster.has(actor.personId, 'dsl', 'deputy-dsl', 'head', 'chair-of-governors', 'data-protection-lead', 'trust-safeguarding-lead', 'trust-ceo', 'chair-of-trustees')) {
        entries.push({ title: 'Export a case', command: 'export case', description: 'Chronology as CSV and JSON for CPOMS or MyConcern: **export case INC-2026-0001**.', group: 'role' });
      }
      return entries;
    },
  };
}

export const incidentsModule: CapabilityModule<IncidentSettings> = {
  settingsKey: 'incidents',
  settingsSchema: incidentSettingsSchema,
  create,
};
