/**
 * Turns the plain text of a school policy into numbered, titled sections.
 * Real policies arrive as Word exports, PDFs and hand-edited text, so the parser trusts structure only
 * where it is consistent: clause numbers must follow on from the previous clause, lists of short
 * numbered lines are treated as contents lists, and page furniture is dropped before anything else.
 */

export interface PolicySection {
  /** "2.6", "4.3(i)", "Appendix 2", or '' for unnumbered sections. */
  number: string;
  title: string;
  text: string;
  /** Titles from the outermost heading down to this section. */
  path: string[];
  /** The title is only the clause's first words, not a heading of its own. */
  titleFromBody?: boolean;
}

export interface ParseResult {
  sections: PolicySection[];
  warnings: string[];
}

type Block =
  | { kind: 'numbered'; parts: number[]; rest: string; raw: string }
  | { kind: 'sub'; label: string; rest: string; raw: string }
  | { kind: 'heading'; text: string; level: number; label?: string }
  | { kind: 'bullet'; text: string }
  | { kind: 'body'; text: string };

const MIN_SECTION_CHARS = 40;
const MAX_SECTION_CHARS = 2500;
const TARGET_PART_CHARS = 1400;

const BULLET = /^(?:[•·▪◦‣●○■□➢➤►✓\uf0b7\uf0a7§*\-–]|o(?=\s))\s*/;
const DECIMAL = /^(\d{1,2}(?:\s?\.\s?\d{1,2})*)(\.|\))?(?=\s|$)\s*(.*)$/;
const SUB_ITEM = /^\(?([a-z]|(?:x{0,3})(?:ix|iv|v?i{1,3}|v))[.)]\s+(\S.*)$/;
const UPPER_LABEL = /^(?:([IVX]{1,5})|([A-H]))[.)]\s+(\S.*)$/;
const APPENDIX = /^(appendix|annex|schedule)\s+([0-9]+|[A-Z])\b[\s:.–-]*(.*)$/i;
export const PROCEDURE_HEADING = /^(actions? (you|to) (must |should )?take|what (to do|you (must|should) do)|how to (report|respond)|procedure for)\b/i;
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'with', 'via', 'vs', 'e.g.']);

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** Markdown and pasted HTML down to plain lines; list items keep a bullet so they are still recognised as lists. */
function toPlainLines(text: string): string[] {
  const plain = decodeEntities(
    text
      .replace(/\r\n?/g, '\n')
      .replace(/<li\b[^>]*>/gi, '\n• ')
      .replace(/<br\s*\/?>|<\/(p|div|li|ul|ol|tr|h\d)>/gi, '\n')
      .replace(/<[^>]+>/g, ' '),
  )
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__/g, '')
    .replace(/(^|\s)\*(\S[^*]*\S)\*(?=\s|[.,;:]|$)/g, '$1$2');
  return plain.split('\n').map((line) =>
    line
      .replace(/\t+/g, ' | ')
      .replace(/[ \u00a0]+/g, ' ')
      .replace(/^\s*\|\s*|\s*\|\s*$/g, '')
      .trim(),
  );
}

function isPageFurniture(line: string): boolean {
  return (
    /^(page\s*)?\d{1,3}(\s*(of|\/)\s*\d{1,3})?$/i.test(line) ||
    /^[-–]\s*\d{1,3}\s*[-–]$/.test(line) ||
    /^page\s+\d+\s*\|/i.test(line) ||
    /(\.{4,}|…{2,})\s*\d{1,3}$/.test(line) ||
    /^(table of )?contents:?$/i.test(line) ||
    (line.split(/\s+/).length <= 14 && /\b(last (reviewed|updated)|page \d+ of \d+)\b/i.test(line) && !/[.!?]$/.test(line)) ||
    !/[a-z]/i.test(line)
  );
}

/** Lines repeated on many pages (running headers and footers), but never list items, which legitimately repeat. */
function repeatedFurniture(lines: string[]): Set<string> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (line.length === 0 || line.length > 100 || BULLET.test(line)) continue;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= 3).map(([line]) => line));
}

const endsSentence = (text: string) => /[.!?:;)"'\]]$/.test(text);
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

function isTitleCase(text: string): boolean {
  const significant = text.split(/\s+/).filter((w) => /^[A-Za-z]/.test(w) && !SMALL_WORDS.has(w.toLowerCase()));
  if (significant.length === 0) return false;
  const capitalised = significant.filter((w) => /^[A-Z]/.test(w)).length;
  return capitalised / significant.length >= 0.6;
}

function isShouting(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  return letters.length >= 3 && letters === letters.toUpperCase();
}

/** Short line, starts with a capital, does not end like a sentence: the shape of a heading. */
function looksLikeHeading(text: string): boolean {
  if (text.length < 2 || text.length > 100 || wordCount(text) > 14) return false;
  if (!/^["'(]?[A-Z0-9]/.test(text) || / \| /.test(text) || /[.;,!]$/.test(text)) return false;
  if (text.endsWith(':')) return isTitleCase(text) || isShouting(text);
  return isShouting(text) || isTitleCase(text) || wordCount(text) <= 10;
}

/**
 * "Technical – filtering and monitoring:" followed by a paragraph is a heading; followed by a list it is the
 * list's lead-in. A short unpunctuated line followed by a list is a heading too: lead-ins end with a colon.
 */
function introducesProse(paragraph: string, next: string | undefined): boolean {
  if (next === undefined || !/^[A-Z]/.test(paragraph) || / \| /.test(paragraph)) return false;
  if (paragraph.endsWith(':')) return wordCount(paragraph) <= 12 && !isListMarker(next) && next.length > 80;
  return !/[.;,!?)]$/.test(paragraph) && !/[.!?]\s/.test(paragraph.replace(/\b(e\.g|i\.e)\./g, '')) && wordCount(paragraph) <= 14 && BULLET.test(next);
}

const KEEP_UPPER = new Set(['ICT', 'IT', 'AUP', 'DSL', 'DSLS', 'CE', 'UK', 'PSHE', 'PSHCE', 'GDPR', 'EYFS', 'BYOD', 'VPN', 'CCTV', 'SEND', 'USB', 'DCF']);
const LOWER_WORDS = new Set(['and', 'of', 'the', 'for', 'to', 'in', 'on', 'at', 'a', 'an', 'or', 'with', 'by']);

/** "USE OF THE INTERNET" → "Use of the Internet", keeping acronyms; mixed-case text is left alone. */
export function titleCaseIfShouting(text: string): string {
  if (!isShouting(text)) return text;
  return text.toLowerCase().replace(/[a-z][a-z']*/g, (word, offset: number) => {
    if (KEEP_UPPER.has(word.toUpperCase())) return word.toUpperCase();
    if (offset > 0 && LOWER_WORDS.has(word)) return word;
    return word[0].toUpperCase() + word.slice(1);
  });
}

function isListMarker(line: string): boolean {
  return BULLET.test(line) || SUB_ITEM.test(line) || DECIMAL.test(line) || /^#{1,6}\s/.test(line);
}

/**
 * Paragraphs from lines: hard-wrapped lines (PDF) are joined, and a sentence broken by a page break
 * (previous text unfinished, next starts in lower case) is rejoined.
 */
function toParagraphs(lines: string[]): string[] {
  const paragraphs: string[] = [];
  let blankBefore = true;
  for (const line of lines) {
    if (line.length === 0) {
      blankBefore = true;
      continue;
    }
    const previous = paragraphs[paragraphs.length - 1];
    const continuesSentence = previous !== undefined && !endsSentence(previous) && /^[a-z]/.test(line) && !isListMarker(line);
    const wrapped =
      previous !== undefined && !blankBefore && !endsSentence(previous) && !isListMarker(line) &&
      !/ \| /.test(line) && !/ \| /.test(previous) && !looksLikeHeading(previous) && !/^#{1,6}\s/.test(previous);
    if (continuesSentence || wrapped) paragraphs[paragraphs.length - 1] = `${previous} ${line}`;
    else paragraphs.push(line);
    blankBefore = false;
  }
  return paragraphs;
}

function classify(paragraph: string, next?: string): Block {
  const markdown = /^(#{1,6})\s+(.*)$/.exec(paragraph);
  if (markdown) {
    const inner = classify(markdown[2]);
    if (inner.kind === 'numbered') return inner;
    return { kind: 'heading', text: titleCaseIfShouting(markdown[2].replace(/:$/, '')), level: markdown[1].length };
  }
  // A clause number behind a bullet ("- 1.1 The aim…") is still a clause number.
  const unbulleted = paragraph.replace(BULLET, '');
  const decimal = DECIMAL.exec(unbulleted);
  if (decimal) {
    const parts = decimal[1].replace(/\s/g, '').split('.').filter(Boolean).map(Number);
    const rest = decimal[3].trim();
    const explicit = decimal[2] !== undefined || parts.length > 1;
    if (rest.length > 0 && /[A-Za-z]/.test(rest[0]) && (explicit || looksLikeHeading(rest))) {
      return { kind: 'numbered', parts, rest, raw: unbulleted };
    }
  }
  const appendix = APPENDIX.exec(paragraph);
  if (appendix && wordCount(paragraph) <= 12 && !/[.;,]$/.test(paragraph)) {
    const label = `${appendix[1][0].toUpperCase()}${appendix[1].slice(1).toLowerCase()} ${appendix[2]}`;
    return { kind: 'heading', text: titleCaseIfShouting(appendix[3].trim()) || label, level: 1, label };
  }
  const upper = UPPER_LABEL.exec(paragraph);
  if (upper && looksLikeHeading(upper[3])) return { kind: 'heading', text: titleCaseIfShouting(upper[3].replace(/:$/, '')), level: 1, label: upper[1] ?? upper[2] };
  const sub = SUB_ITEM.exec(unbulleted);
  if (sub) return { kind: 'sub', label: sub[1], rest: sub[2], raw: unbulleted };
  const item = paragraph.replace(BULLET, '');
  // "What to do if…" headings are often typed as list items; they still head what follows.
  if (BULLET.test(paragraph) && PROCEDURE_HEADING.test(item) && !/[.;,!]$/.test(item) && wordCount(item) <= 20) {
    return { kind: 'heading', text: item.replace(/:$/, ''), level: 3 };
  }
  if (BULLET.test(paragraph) && item.length > 0) return { kind: 'bullet', text: item };
  if (looksLikeHeading(paragraph) || introducesProse(paragraph, next)) {
    return { kind: 'heading', text: titleCaseIfShouting(paragraph.replace(/:$/, '')), level: isShouting(paragraph) ? 1 : 3 };
  }
  return { kind: 'body', text: paragraph };
}

/** A clause number must follow on from the previous one: next sibling, a first child, or a later ancestor's sibling. */
export function followsOn(previous: number[], next: number[]): boolean {
  if (previous.length === 0) return next.every((n, i) => (i === 0 ? n <= 3 : n <= 2));
  let common = 0;
  while (common < previous.length && common < next.length && previous[common] === next[common]) common++;
  const tailIsStart = next.slice(common + 1).every((n) => n <= 2);
  if (common === previous.length) return next.length > common && next[common] <= 3 && tailIsStart;
  if (common === next.length) return false;
  const step = next[common] - previous[common];
  return step >= 1 && step <= 3 && tailIsStart;
}

/** Runs of short numbered lines with nothing between them are a contents list or an ordered list, not clauses. */
function demoteNumberedLists(blocks: Block[]): Block[] {
  const out = [...blocks];
  let i = 0;
  while (i < out.length) {
    let j = i;
    const first = out[i];
    while (j < out.length) {
      const b = out[j];
      if (b.kind !== 'numbered' || first.kind !== 'numbered' || b.parts.length !== first.parts.length || wordCount(b.rest) > 10) break;
      j++;
    }
    if (j - i >= 2) {
      for (let k = i; k < j; k++) {
        const b = out[k] as Extract<Block, { kind: 'numbered' }>;
        out[k] = { kind: 'bullet', text: b.raw };
      }
    }
    i = Math.max(j, i + 1);
  }
  return out;
}

/** A clause's own heading ("File Attachments: To avoid…"), else its first few words. */
export function clauseTitle(rest: string): { title: string; body: string; fromBody?: boolean } {
  const clean = rest.trim();
  if (looksLikeHeading(clean) || (!/[.!?;]$/.test(clean) && wordCount(clean) <= 16 && !/ \| /.test(clean))) {
    const heading = clean.replace(/[:?]$/, '').trim();
    // "The DSLs are: (a list of names)" names its subject before the colon.
    const short = heading.length > 70 && heading.includes(':') ? heading.slice(0, heading.indexOf(':')) : heading;
    return { title: titleCaseIfShouting(short), body: short === heading ? '' : clean };
  }
  const labelled = /^([^.:;!?]{2,80}?)[:–-]\s+(\S.*)$/.exec(clean);
  if (labelled && wordCount(labelled[1]) <= 8) return { title: labelled[1].trim(), body: labelled[2] };
  const words = clean.replace(/[.;:]$/, '').split(/\s+/);
  if (words.length <= 10) return { title: words.join(' '), body: clean, fromBody: true };
  const firstClause = clean.split(/[,;:(]/)[0].split(/\s+/);
  const title = firstClause.length <= 8 ? firstClause.join(' ') : `${words.slice(0, 6).join(' ')}…`;
  return { title: title.replace(/[.]$/, ''), body: clean, fromBody: true };
}

interface Draft {
  number: string;
  title: string;
  path: string[];
  titleFromBody?: boolean;
  lines: string[];
}

function buildDrafts(blocks: Block[]): Draft[] {
  const drafts: Draft[] = [];
  let current: Draft = { number: '', title: 'Introduction', path: ['Introduction'], lines: [] };
  drafts.push(current);
  // Open numbered clauses, outermost first.
  let stack: Array<{ parts: number[]; title: string }> = [];
  let lastParts: number[] = [];
  let context: { number: string; path: string[] } = { number: '', path: [] };
  let topic: string | undefined;
  const open = (number: string, title: string, path: string[]) => {
    current = { number, title, path, lines: [] };
    drafts.push(current);
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'numbered': {
        if (!followsOn(lastParts, block.parts)) {
          current.lines.push(block.raw);
          break;
        }
        lastParts = block.parts;
        while (stack.length > 0 && !isPrefix(stack[stack.length - 1].parts, block.parts)) stack.pop();
        const { title, body, fromBody } = clauseTitle(block.rest);
        const path = [...stack.map((s) => s.title), title];
        stack.push({ parts: block.parts, title });
        const number = block.parts.join('.');
        context = { number, path };
        open(number, title, path);
        if (fromBody) current.titleFromBody = true;
        if (body) current.lines.push(body);
        break;
      }
      case 'heading': {
        if (block.label || (block.level === 1 && (stack.length > 0 || lastParts.length > 0))) {
          // A new top-level part (appendix, shouted heading after numbered clauses) closes the open clauses.
          stack = [];
          lastParts = block.label ? [] : lastParts;
          const number = block.label ?? '';
          context = { number, path: [block.text] };
          open(number, block.text, [block.text]);
        } else if (context.number || context.path.length > 0) {
          open(context.number, block.text, [...context.path, block.text]);
        } else if (PROCEDURE_HEADING.test(block.text) && topic) {
          // "Action you must take if an incident occurs" is about the topic heading above it (texting, email…).
          open('', block.text, [topic, block.text]);
        } else {
          topic = block.text;
          open('', block.text, [block.text]);
        }
        break;
      }
      case 'sub': {
        if (looksLikeHeading(block.rest) && current.number) {
          const base = context.number || current.number;
          open(`${base}(${block.label})`, block.rest.replace(/:$/, ''), [...context.path, block.rest.replace(/:$/, '')]);
        } else {
          current.lines.push(`${block.label}) ${block.rest}`);
        }
        break;
      }
      case 'bullet':
        current.lines.push(`• ${block.text}`);
        break;
      case 'body':
        current.lines.push(block.text);
        break;
    }
  }
  return drafts;
}

function isPrefix(prefix: number[], parts: number[]): boolean {
  return prefix.length < parts.length && prefix.every((n, i) => parts[i] === n);
}

function label(d: { number: string; title: string }): string {
  return d.number ? `${d.number} ${d.title}` : d.title;
}

/** Tiny sections fold into the one before; empty ones vanish (their titles live on in children's paths). */
function mergeTiny(drafts: Draft[]): Draft[] {
  const out: Draft[] = [];
  for (const draft of drafts) {
    const text = draft.lines.join('\n').trim();
    if (text.length === 0) continue;
    const previous = out[out.length - 1];
    if (text.length < MIN_SECTION_CHARS && previous) {
      previous.lines.push(draft.number ? `${draft.number} ${text}` : text);
      continue;
    }
    out.push(draft);
  }
  return out;
}

/** Very long runs (usually an unnumbered stretch) become paragraph groups that still cite their heading. */
function splitGiant(draft: Draft, warnings: string[]): PolicySection[] {
  const text = draft.lines.join('\n');
  const base = { number: draft.number, title: draft.title, path: draft.path, ...(draft.titleFromBody ? { titleFromBody: true } : {}) };
  if (text.length <= MAX_SECTION_CHARS) return [{ ...base, text }];
  const parts: string[][] = [[]];
  let size = 0;
  for (const line of draft.lines) {
    // Prefer not to separate a list from its lead-in, unless the list itself is long.
    const full = size + line.length > MAX_SECTION_CHARS;
    if (size > 0 && size + line.length > TARGET_PART_CHARS && (full || !line.startsWith('• ') || size > TARGET_PART_CHARS * 1.5)) {
      parts.push([]);
      size = 0;
    }
    parts[parts.length - 1].push(line);
    size += line.length;
  }
  if (parts.length > 1) warnings.push(`section "${label(draft)}" is very long (${text.length} chars); split into ${parts.length} parts`);
  else warnings.push(`section "${label(draft)}" is very long (${text.length} chars) and has no paragraph breaks`);
  return parts.map((lines) => ({ ...base, text: lines.join('\n') }));
}

export function parseSections(text: string): ParseResult {
  const warnings: string[] = [];
  const rawLines = toPlainLines(text);
  const furniture = repeatedFurniture(rawLines);
  const lines = rawLines.map((l) => (isPageFurniture(l) || furniture.has(l) ? '' : l));
  const paragraphs = toParagraphs(lines);
  const blocks = demoteNumberedLists(paragraphs.map((p, i) => classify(p, paragraphs[i + 1])));
  const drafts = mergeTiny(buildDrafts(blocks));
  const sections = drafts.flatMap((d) => splitGiant(d, warnings));
  if (sections.length === 0) warnings.push('no sections found');
  else if (!sections.some((s) => s.number)) warnings.push('no numbered sections found; using headings only');
  return { sections, warnings };
}
