import type { Command, Services } from '../chat/capability';
import type { Roster } from '../config/roster';
import { categoryById } from './categories';
import type { CaseStore } from './caseStore';
import { STATUS_LABELS } from './caseStatus';
import { canHandle } from './routing';

const SHOWN = 30;

/** `cases`, `open cases`, `my cases`: the router spans a trust officer's schools with it. */
export const CASE_LIST = /^(?:open |my )?cases$/i;

/**
 * `cases`: the open cases this person may handle, one line each with what a case card shows
 * (reference, category, urgency, section, status) and never a name or the account. In a trust the
 * router runs it in each of a trust officer's schools, so every line block names its school.
 */
export function caseListCommand(services: Services, cases: CaseStore): Command {
  return {
    name: 'incident-list',
    pattern: CASE_LIST,
    async run(turn, _match, roster: Roster) {
      if (turn.place.kind !== 'personal') return void (await turn.send('Type **cases** in your private chat with Lantern: the list of cases is never shown in a shared chat.'));
      const open = (await cases.all()).filter((c) => c.status !== 'closed' && canHandle(c, turn.actor.personId, roster)).sort((a, b) => a.urgency.localeCompare(b.urgency) || a.reportedAt.localeCompare(b.reportedAt));
      const school = roster.trust ? `**${roster.schoolName}**: ` : '';
      // In a trust each school's line is labelled, so it reads on from the school's name.
      if (!open.length) return void (await turn.send(school ? `${school}no open cases for you to handle.` : 'You have no open cases to handle.'));
      await services.audit.append({ actor: { id: turn.actor.personId ?? turn.actor.teamsUserId, name: turn.actor.name }, action: 'case.list-viewed', entityType: 'incident-list', entityId: turn.actor.personId ?? turn.actor.teamsUserId, reason: `${open.length} open: ${open.map((c) => c.ref).join(', ')}` });
      const lines = open.slice(0, SHOWN).map((c) => `- ${c.ref} · ${categoryById(c.category)?.label ?? c.category} · ${c.urgency} · ${STATUS_LABELS[c.status]} · ${c.section ?? 'no section'}${c.assignee ? ` · ${c.assignee.name}` : ' · not yet claimed'}`);
      const more = open.length > SHOWN ? `\n…and ${open.length - SHOWN} more (the most urgent and oldest are listed first).` : '';
      await turn.send(`${school}${open.length} open case${open.length === 1 ? '' : 's'} you can handle:\n\n${lines.join('\n')}${more}\n\nType **case** and a reference to open one.`);
    },
  };
}
