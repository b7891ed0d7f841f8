import type { Roster } from '../config/roster';
import { localTime } from './cardViews';
import { auditActor, type FilterContext } from './context';
import type { PersonRef, RequestDetails } from './filterRequest';
import type { FilteringSettings } from './settings';

/** The never-allow category an unblock request names, if it names one. */
export function neverAllowCategory(details: RequestDetails, settings: FilteringSettings): string | undefined {
  if (details.change !== 'unblock' || details.targetKind !== 'category') return undefined;
  return settings.neverAllowCategories.find((c) => c.toLowerCase() === details.target.toLowerCase());
}

/**
 * Asking to open child-abuse or terrorist content is itself a safeguarding signal, so the DSL of
 * the filtering section hears of it (who, what, when): in the section's DSL channel when one is
 * registered, else 1:1 to the DSL on duty (or the section's DSL and deputies), never the person
 * who asked. Returns the sentence that tells the asker, truthfully, who was told.
 */
export async function signalNeverAllowAttempt(ctx: FilterContext, actor: PersonRef, category: string, roster: Roster): Promise<string> {
  const { services, settings } = ctx;
  const at = services.now().toISOString();
  const text =
    `Safeguarding signal: ${actor.name} asked Lantern at ${localTime(at, ctx.timeZone)} to unblock "${category}", a category the school never unblocks. ` +
    'Nothing was sent to IT and nothing changed in the filter. The attempt is in the audit log.';
  let channel = false;
  const dest = await services.destinations.get('dsl', settings.dslSection);
  if (dest) {
    channel = await services.messenger.post(dest.address, { text }).then(
      () => true,
      (err: Error) => (services.log(`filtering: the DSL channel did not take a never-allow signal (${err.message}); telling the DSL 1:1`), false),
    );
  }
  const told: string[] = [];
  if (!channel) {
    const onDuty = roster.onDutyFor(settings.dslSection).filter((p) => p.id !== actor.id);
    for (const person of onDuty.length ? onDuty : roster.dslAndDeputies(settings.dslSection).filter((p) => p.id !== actor.id)) {
      const sent = await services.messenger.toPerson({ aadObjectId: person.aadObjectId, email: person.email }, { text }).catch(() => undefined);
      if (sent) told.push(person.name);
      else services.log(`filtering: could not tell ${person.id} of a never-allow signal 1:1`);
    }
  }
  await services.audit.append({
    actor: auditActor(actor),
    action: 'filter.never-allow-signalled',
    entityType: 'filter-request',
    entityId: `category:${category}`,
    reason: `asked to unblock a never-allow category: ${category}`,
    detail: { channel, told, at },
  });
  if (channel) return "The DSL team's channel has been told that you asked.";
  if (told.length) return `${told.join(' and ')} ${told.length > 1 ? 'have' : 'has'} been told that you asked.`;
  return 'Lantern could not reach the DSL just now; the attempt is recorded for them.';
}
