/** Lower case, apostrophes dropped, other punctuation as spaces: "St Mary's" and "st marys" compare equal. */
function plain(text: string): string {
  return text.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * Whether typed text names this school: its id in the trust file, its full name, or the start of
 * its name in whole words ("brookfield" for "Brookfield Academy"). Used for commands a trust
 * officer runs for one school of many (`filter log brookfield`).
 */
export function namesSchool(typed: string, school: { id?: string; name: string }): boolean {
  const t = plain(typed);
  if (!t) return false;
  const name = plain(school.name);
  return (!!school.id && t === plain(school.id)) || name === t || name.startsWith(`${t} `);
}
