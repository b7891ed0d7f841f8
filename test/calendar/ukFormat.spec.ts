import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { countOf, minutesText, ukDate, ukDateOf, ukDateTime, ukDayMonth, ukTime } from '../../bot/calendar/ukFormat';

const ROOT = join(__dirname, '..', '..');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

/** Source with comments removed, so a comment may talk about UTC and ISO. */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('one UK date and time style (bot/calendar/ukFormat)', () => {
  it('writes dates the UK way, with the weekday and the year', () => {
    assert.equal(ukDate('2026-11-23'), 'Mon 23 Nov 2026');
    assert.equal(ukDate('2027-09-02'), 'Thu 2 Sep 2027', 'the same month names on every ICU version');
    assert.equal(ukDayMonth('2026-11-23'), 'Mon 23 Nov');
    assert.equal(ukDate('not a date'), 'not a date', 'odd input is shown as it came, never "Invalid Date"');
  });

  it('shows times on the school clock: GMT in winter, BST in summer, and across the clock change', () => {
    assert.equal(ukDateTime('2026-11-23T10:02:00Z'), 'Mon 23 Nov 2026, 10:02', 'GMT');
    assert.equal(ukDateTime('2026-07-01T09:02:00Z'), 'Wed 1 Jul 2026, 10:02', 'BST: an hour ahead of UTC');
    assert.equal(ukTime('2026-07-01T09:02:00Z'), '10:02');
    assert.equal(ukTime('2026-03-29T00:59:00Z'), '00:59', 'just before the clocks go forward');
    assert.equal(ukTime('2026-03-29T01:00:00Z'), '02:00', 'the moment they do');
    assert.equal(ukDateOf('2026-06-30T23:30:00Z'), 'Wed 1 Jul 2026', 'half past midnight BST is already the next day');
    assert.equal(ukDateTime('2026-10-25T01:30:00Z'), 'Sun 25 Oct 2026, 01:30', 'after the clocks go back');
    assert.equal(ukDateTime('2026-07-01T09:02:00Z', 'Europe/Dublin'), 'Wed 1 Jul 2026, 10:02', 'the configured zone is used');
  });

  it('counts in words: singular for one', () => {
    assert.equal(minutesText(1), '1 minute');
    assert.equal(minutesText(15), '15 minutes');
    assert.equal(minutesText(60), '1 hour');
    assert.equal(minutesText(240), '4 hours');
    assert.equal(minutesText(90), '90 minutes');
    assert.equal(countOf(1, 'day'), '1 day');
    assert.equal(countOf(0, 'session'), '0 sessions');
  });

  it('no card, message or template formats a date any other way', () => {
    const allowed = new Set(['bot/calendar/ukFormat.ts', 'bot/calendar/schoolTime.ts']);
    const found: string[] = [];
    for (const path of files(join(ROOT, 'bot'), '.ts')) {
      const rel = relative(ROOT, path).split('\\').join('/');
      if (allowed.has(rel)) continue;
      const text = code(path);
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        const at = `${rel}:${i + 1}: ${line.trim()}`;
        if (/Intl\.DateTimeFormat|toLocale(Date|Time)?String\(/.test(line)) found.push(`${at} (formats a date itself)`);
        // An ISO timestamp put into words: toISOString() or a slice of an ISO field inside ${...} of a template.
        if (/\$\{[^}]*toISOString\(\)/.test(line)) found.push(`${at} (ISO in text)`);
        if (/\$\{[^}]*(At|\.at|\.date|Date)\.slice\(/.test(line)) found.push(`${at} (a sliced ISO date in text)`);
        // The word UTC in a string a person reads.
        if (/(['"`])[^'"`]*\bUTC\b[^'"`]*\1/.test(line)) found.push(`${at} ("UTC" in text)`);
      });
    }
    for (const path of files(join(ROOT, 'cards'), '.json')) {
      const text = readFileSync(path, 'utf8');
      if (/\bUTC\b|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) found.push(`${relative(ROOT, path)} ("UTC" or an ISO time in a template)`);
    }
    assert.deepEqual(found, []);
  });
});
