import type { Capability, CapabilityModule, HelpEntry, Services } from '../chat/capability';
import { approvalFlow } from './approvalFlow';
import { Delivery } from './delivery';
import { RecordCards } from '../cards/recordCards';
import { legacyFilterCards } from './filterCardViews';
import { filterCardViews } from './filterCardViews';
import type { FilterContext } from './context';
import { CheckStore } from './filterCheck';
import { asTrust, canSeeLog, logFlow } from './logFlow';
import { FILTER_EXPORT, FILTER_LOG } from './logCommands';
import { requestFlow } from './requestFlow';
import { SEND_TASK, sendTask } from './sendTask';
import { STEP_TASK, stepTask } from './stepTask';
import { RequestStore } from './requestStore';
import { reviewFlow } from './reviewFlow';
import { checkFilteringSettings, filteringSchoolDefaults, filteringSettingsSchema, type FilteringSettings } from './settings';
import { stepNudgeFlow } from './stepNudgeFlow';

/** Typed text that starts a request; the policy capability runs it for its "Request a filter change" button. */
export const REQUEST_PATTERN = /^((request an? )?(web ?)?filter (change|request)|unblock request|request (an? )?unblock)$/i;

function createFilteringCapability(services: Services, settings: FilteringSettings, timeZone: string): Capability {
  const requests = new RequestStore(services.tables);
  const cards = new RecordCards(services, 'filter', filterCardViews({ requests, settings, timeZone }), legacyFilterCards(requests));
  const ctx: FilterContext = { services, settings, timeZone, requests, checks: new CheckStore(services.tables), delivery: new Delivery(services, settings, cards), cards };
  services.outbox.define(SEND_TASK, sendTask(ctx));
  services.outbox.define(STEP_TASK, stepTask(ctx));
  const forms = requestFlow(ctx);
  const approvals = approvalFlow(ctx);
  const reviews = reviewFlow(ctx);
  const log = logFlow(ctx);
  const nudges = stepNudgeFlow(ctx);
  return {
    name: 'filtering',
    commands: [
      {
        name: 'filter-request',
        pattern: REQUEST_PATTERN,
        usage: { prefix: /^(?:(?:request an? )?(?:web ?)?filter (?:change|request)|unblock request|request (?:an? )?unblock) .+$/i, text: 'Type **request a filter change** on its own: the form asks for the website or category and why.' },
        run: async (turn) => {
          const opened = await forms.open(turn, {});
          if (!opened.inPlace) await turn.send(opened.reply);
        },
      },
      { name: 'filter-log', pattern: FILTER_LOG, run: (turn, m, roster) => log.showLog(turn, roster, m[1]) },
      {
        name: 'filter-export',
        pattern: FILTER_EXPORT,
        run: async (turn, m, roster) => {
          const exported = await log.exportCsv(turn, roster, m[1]);
          if (!exported.inPlace) await turn.send(exported.reply);
        },
      },
      {
        name: 'filter-check',
        pattern: /^(record a )?filter check$/i,
        usage: { prefix: /^(?:record a )?filter check .+$/i, text: 'Type **filter check** on its own: the form asks what was tested, on which devices and with what result.' },
        run: (turn, _m, roster) => log.openCheck(turn, roster),
      },
    ],
    actions: {
      'filter.start': (action, turn) => forms.start(action, turn),
      'filter.preview': (action, turn, roster) => forms.preview(action, turn, roster),
      // Cards sent before the form took a website or a category in one box still carry this switch.
      'filter.kind': (action, turn, roster) => forms.kind(action, turn, roster),
      'filter.cancel': (action, turn) => forms.cancel(action, turn),
      'filter.edit': (action, turn, roster) => forms.edit(action, turn, roster),
      'filter.send': (action, turn, roster) => forms.send(action, turn, roster),
      'filter.approve': (action, turn, roster) => approvals.approve(action, turn, roster),
      'filter.decline': (action, turn, roster) => approvals.decline(action, turn, roster),
      'filter.reviewed': (action, turn, roster) => reviews.reviewed(action, turn, roster),
      'filter.export': (action, turn, roster) => log.exportAction(action, turn, roster),
      'filter.check-save': (action, turn, roster) => log.saveCheck(action, turn, roster),
    },
    replayableActions: ['filter.send', 'filter.approve', 'filter.decline'],
    jobs: { ...reviews.jobs, ...nudges.jobs },
    help(actor, roster) {
      const entries: HelpEntry[] = [{ title: 'Request a filter change', command: 'request a filter change', description: 'Ask for a website or category to be unblocked or blocked; the DSL sanctions it, then IT.', group: 'filter' }];
      if (canSeeLog(actor.personId, roster)) {
        // The trust's IT manager looks after every school: the command names the one he means.
        entries.push(
          asTrust(actor.personId, roster)
            ? { title: 'See a school\'s filter log', command: `filter log ${roster.schoolName}`, description: 'Recent filter changes of the school you name (any school of the trust); **export filter log** and the school\'s name for its CSV files.', group: 'role' }
            : { title: 'See the filter log', command: 'filter log', description: 'Recent filter changes, with an export for the governors.', group: 'role' },
          { title: 'Record a filter check', command: 'filter check', description: 'Record a test of the filter: what, devices, user groups, result.', group: 'role' },
        );
      }
      return entries;
    },
  };
}

export const filteringModule: CapabilityModule<FilteringSettings> = {
  settingsKey: 'filtering',
  settingsSchema: filteringSettingsSchema,
  schoolDefaults: filteringSchoolDefaults,
  checkSettings: checkFilteringSettings,
  async create(services, settings) {
    const roster = await services.config.current();
    return createFilteringCapability(services, settings, roster.config.school.timezone);
  },
};
