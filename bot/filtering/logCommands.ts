/**
 * `filter log` and `export filter log`, optionally naming a school (`filter log brookfield`,
 * `export filter log for Ashgrove Primary School`): a trust's IT manager looks after many schools,
 * and the router sends a command that names one of theirs to that school (bot/trust/schoolRouter.ts).
 */
export const FILTER_LOG = /^(?:show )?(?:the )?filter(?:ing)? (?:change )?log(?:\s+(?:for |of |at )?(.+?))?$/i;
export const FILTER_EXPORT = /^export (?:the )?filter(?:ing)? (?:change )?log(?:\s+(?:for |of |at )?(.+?))?$/i;

/** The school a filter log command names, if it names one. */
export function filterLogSchool(text: string): string | undefined {
  return (FILTER_LOG.exec(text) ?? FILTER_EXPORT.exec(text))?.[1]?.trim() || undefined;
}
