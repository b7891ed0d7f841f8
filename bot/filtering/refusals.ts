import type { RequestDetails } from './filterRequest';
import type { FilteringSettings } from './settings';
import { siteIsWithin } from './website';

/**
 * Requests Lantern refuses itself, before anyone is asked: some content is never opened, whoever
 * sanctions it. Blocking is always allowed.
 */
export function refusalFor(details: RequestDetails, settings: FilteringSettings): string | undefined {
  if (details.change !== 'unblock') return undefined;
  if (details.targetKind === 'category') {
    const listed = settings.neverAllowCategories.find((c) => c.toLowerCase() === details.target.toLowerCase());
    if (listed) {
      return `"${listed}" is a category the school never unblocks: content on the IWF child-abuse list or the police terrorism list, and tools that bypass the filter, stay blocked for everyone. Nothing was sent. If you came across such content, report it to the DSL now.`;
    }
    return undefined;
  }
  const site = settings.neverAllowSites.find((listed) => siteIsWithin(details.target, listed));
  if (site) return `${details.target} is on the school's never-allow list (${site}), so it cannot be unblocked. Nothing was sent. Ask the DSL if you think the list is wrong.`;
  return undefined;
}

/**
 * The one answer to a press on a request the clicker may not act on, and to a reference that does
 * not exist: references are sequential, so any difference would let a guesser map the log, and a
 * request card names the website, the requester and a reason that can name a pupil.
 */
export function notYours(reference: string): string {
  return `Filter request ${reference} isn't one you can act on, or doesn't exist. Nothing was changed. Type **filter log** to see the requests you handle.`;
}
