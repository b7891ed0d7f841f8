import { analyse, splitSentences } from './textAnalysis';

// "(see Monitoring)" points elsewhere: the sentence is not about monitoring, so its words should not count here.
const CROSS_REFERENCE = /\((?:see|see also|refer to|as (?:set out|described|detailed) (?:in|under|below|above))\b[^)]*\)/gi;

function withoutCrossReferences(text: string): string {
  return text.replace(CROSS_REFERENCE, ' ');
}
import type { PolicySection } from './sectionParser';

/** A sentence or list item: the smallest piece we quote. */
export interface Unit {
  text: string;
  stems: Set<string>;
  /** For a list item, the line that introduces the list ("Staff must not:"), quoted with it. */
  leadIn?: string;
  /** The unit's stems plus its lead-in's: a list item means little without "Staff must not:". */
  contextStems: Set<string>;
  /** Worded as a rule ("must", "may not", "is forbidden"). */
  isRule: boolean;
  /** A long enumeration ("telephone, fax, laptops, tablets, cameras…"): matches every device word without saying anything about it. */
  isList: boolean;
  /** A later sentence of the same list item. */
  continues?: boolean;
}

export function isEnumeration(text: string): boolean {
  const commas = (text.match(/,/g) ?? []).length;
  return commas >= 6 && commas / text.split(/\s+/).length > 0.12;
}

// Rule-like sentences are what staff want quoted back to them.
const RULE_WORDS = /\b(must|should|may|may not|not permitted|not allowed|forbidden|prohibited|never|only|required|strictly|under no circumstances|is not acceptable|are expected)\b|^(do not|don't|avoid)\b/i;

export interface IndexedSection extends PolicySection {
  id: number;
  documentId: string;
  documentTitle: string;
  units: Unit[];
  /** Stems of the section's own title, and of its title with all its ancestors' titles. */
  titleStems: Set<string>;
  headingStems: Set<string>;
  /** Its document or headings address staff ("Staff Acceptable Use Policy", "Staff using social networks"). */
  forStaff: boolean;
}

/** A window of consecutive units within one section; the thing the search engine ranks. */
export interface Passage {
  id: number;
  sectionId: number;
  start: number;
  end: number;
  text: string;
  stems: Set<string>;
  isRule: boolean;
}

const WINDOW_UNITS = 3;
const WINDOW_MAX_CHARS = 700;
const UNIT_MAX_CHARS = 450;

/** Over-long sentences (usually table cells) are cut at clause boundaries so they can still be quoted. */
function splitLong(text: string): string[] {
  if (text.length <= UNIT_MAX_CHARS) return [text];
  const pieces = text.split(/(?<=;)\s+|\s+(?=•)|\s+\|\s+/).filter((p) => p.trim().length > 0);
  if (pieces.length > 1) return pieces.flatMap(splitLong);
  const words = text.split(/\s+/);
  const out: string[] = [];
  let current = '';
  for (const w of words) {
    if (current.length + w.length + 1 > UNIT_MAX_CHARS && current) {
      out.push(current);
      current = w;
    } else current = current ? `${current} ${w}` : w;
  }
  if (current) out.push(current);
  return out;
}

export function sectionUnits(text: string): Unit[] {
  const units: Unit[] = [];
  let leadIn: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    const isItem = line.startsWith('• ') || /^\(?[a-z]{1,4}\)\s/.test(line);
    if (isItem) {
      // A long item is quoted sentence by sentence like prose, but still reads as one bullet.
      splitSentences(line.replace(/^•\s*/, '')).flatMap(splitLong).forEach((piece, i) => {
        const stems = new Set(analyse(withoutCrossReferences(piece)));
        const contextStems = leadIn ? new Set([...stems, ...analyse(leadIn)]) : stems;
        units.push({ text: piece, stems, leadIn, contextStems, isRule: RULE_WORDS.test(piece), isList: isEnumeration(piece), continues: i > 0 });
      });
      continue;
    }
    const sentences = splitSentences(line).flatMap(splitLong);
    for (const sentence of sentences) {
      const stems = new Set(analyse(withoutCrossReferences(sentence)));
      units.push({ text: sentence, stems, contextStems: stems, isRule: RULE_WORDS.test(sentence), isList: isEnumeration(sentence) });
    }
    const last = sentences[sentences.length - 1] ?? '';
    // Only a short lead-in is worth repeating in front of each quoted item.
    leadIn = last.endsWith(':') && last.length <= 160 ? last : undefined;
  }
  return units;
}

export function sectionPassages(section: IndexedSection, firstId: number): Passage[] {
  const passages: Passage[] = [];
  const n = section.units.length;
  for (let start = 0; start < Math.max(1, n - WINDOW_UNITS + 1); start++) {
    let end = Math.min(n, start + WINDOW_UNITS);
    while (end - start > 1 && section.units.slice(start, end).reduce((s, u) => s + u.text.length, 0) > WINDOW_MAX_CHARS) end--;
    const units = section.units.slice(start, end);
    const stems = new Set<string>();
    for (const u of units) for (const s of u.contextStems) stems.add(s);
    passages.push({ id: firstId + passages.length, sectionId: section.id, start, end, text: units.map((u) => u.text).join(' '), stems, isRule: units.some((u) => u.isRule) });
  }
  // Windows are clipped by length, so a long unit at the end could otherwise be left out.
  const covered = passages.length ? passages[passages.length - 1].end : 0;
  for (let start = covered; start < n; start++) {
    const u = section.units[start];
    passages.push({ id: firstId + passages.length, sectionId: section.id, start, end: start + 1, text: u.text, stems: new Set(u.contextStems), isRule: u.isRule });
  }
  return passages;
}
