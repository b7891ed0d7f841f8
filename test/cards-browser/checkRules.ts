// The pure parts of the real-browser card check: colour contrast (WCAG 2.x), when a measured box
// counts as overflowing or squeezed, and how tall each kind of card may be. The browser only
// measures; every judgement is made here, so `npm test` covers it without a browser.

export interface Rgba { r: number; g: number; b: number; a: number }

/** Parses a CSS colour as computed styles report it (`rgb(…)`, `rgba(…)`) or a hex literal. */
export function parseColour(css: string): Rgba | undefined {
  const s = css.trim().toLowerCase();
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(s);
  if (fn) {
    const alpha = fn[4] === undefined ? 1 : fn[4].endsWith('%') ? Number(fn[4].slice(0, -1)) / 100 : Number(fn[4]);
    return { r: Number(fn[1]), g: Number(fn[2]), b: Number(fn[3]), a: alpha };
  }
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(s);
  if (!hex) return undefined;
  let h = hex[1];
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
  // Adaptive Cards host configs write 8-digit colours as #AARRGGBB.
  return h.length === 8 ? { r: n(2), g: n(4), b: n(6), a: n(0) / 255 } : { r: n(0), g: n(2), b: n(4), a: 1 };
}

/** `top` painted over an opaque `bottom`. */
export function composite(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a;
  return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1 };
}

/** Paints a stack of backgrounds, nearest last, over white (the page a browser starts from). */
export function flatten(layers: Rgba[]): Rgba {
  return layers.reduce((under, layer) => composite(layer, under), { r: 255, g: 255, b: 255, a: 1 });
}

/** WCAG relative luminance of an opaque colour. */
export function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

export function contrastRatio(foreground: Rgba, background: Rgba): number {
  const bg = background.a < 1 ? composite(background, { r: 255, g: 255, b: 255, a: 1 }) : background;
  const fg = foreground.a < 1 ? composite(foreground, bg) : foreground;
  const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** WCAG "large text": at least 18pt (24 px), or 14pt (18.66 px) and bold. */
export function isLargeText(fontSizePx: number, fontWeight: number): boolean {
  return fontSizePx >= 24 || (fontSizePx >= 18.66 && fontWeight >= 600);
}

/** The AA minimum for text of this size and weight. */
export function requiredContrast(fontSizePx: number, fontWeight: number): number {
  return isLargeText(fontSizePx, fontWeight) ? 3 : 4.5;
}

/** A background a reader sees as light (so yellow or green text on it is the problem). */
export function isLight(background: Rgba): boolean {
  return luminance(background) > 0.5;
}

export function hex(c: Rgba): string {
  const h = (v: number) => Math.round(v).toString(16).padStart(2, '0');
  return `#${h(c.r)}${h(c.g)}${h(c.b)}`.toUpperCase();
}

/**
 * A box overflows when its content is wider than the box. Browsers round both to whole pixels,
 * so one pixel is noise, not text hanging out.
 */
export function overflows(scrollWidth: number, clientWidth: number): boolean {
  return clientWidth > 0 && scrollWidth > clientWidth + 1;
}

/**
 * Text is squeezed when it wraps into a column too narrow to read: several lines of a few
 * characters each (a tutor's email broken letter by letter in a week grid).
 */
export function squeezed(textLength: number, lines: number): boolean {
  return lines >= 3 && textLength / lines < 8;
}

/**
 * Height budgets, in CSS pixels at the phone width (340 px), where cards are tallest. A phone
 * shows about 640 px of a card between Teams' header and the compose box.
 */
export const PHONE_SCREEN_PX = 640;

export type CardKind = 'notice' | 'form' | 'record' | 'list';

export const BUDGETS: Record<CardKind, { screens: number; why: string }> = {
  notice: { screens: 1, why: 'a status, receipt or alert reads in one screen' },
  form: { screens: 2, why: 'a form fits in two scrolls on a phone' },
  record: { screens: 3, why: 'a case record, policy answer or check report is read with care, once' },
  list: { screens: 4, why: 'a week grid, log list or export lists a period of work' },
};

export function budgetPx(kind: CardKind): number {
  return BUDGETS[kind].screens * PHONE_SCREEN_PX;
}

/** Each template's kind. A template not listed is a form when it has inputs, else a notice. */
export const TEMPLATE_KINDS: Readonly<Record<string, CardKind>> = {
  'acks-done': 'notice',
  'acks-new-version': 'notice',
  'acks-progress': 'record',
  // The note, the version and the document's section headings, and the one button.
  'acks-request': 'record',
  'acks-start': 'form',
  // One part of a document's full text (bot/acknowledgements/cards.ts pages it), read with care.
  'acks-text': 'record',
  'away-confirm': 'notice',
  'call-mine': 'list',
  'call-note-notice': 'notice',
  'call-note': 'form',
  'call-permission': 'notice',
  'call-plan-form': 'form',
  'call-plan-result': 'notice',
  'call-record-form': 'form',
  'call-recorded': 'notice',
  'filter-check': 'form',
  'filter-export': 'notice',
  'filter-form': 'form',
  'filter-log': 'list',
  'filter-review': 'notice',
  'filter-step': 'form',
  'filter-summary': 'notice',
  help: 'record',
  'incident-alert': 'notice',
  'incident-case': 'notice',
  'incident-category': 'form',
  'incident-danger': 'notice',
  'incident-details': 'form',
  'incident-illegal': 'notice',
  'incident-receipt': 'notice',
  'incident-record': 'record',
  'incident-resume': 'notice',
  'incident-safety': 'form',
  'policy-answer': 'record',
  'policy-choose': 'notice',
  'policy-lead-answer': 'record',
  'policy-none': 'notice',
  'policy-question': 'form',
  // Every section of the report, each with its chart and the chart's fallback table.
  'report-term': 'list',
  // Which school a chat is for: one button per school of the person.
  'school-choice': 'notice',
  // One entry per role holder and channel: it grows with the school.
  'setup-check': 'list',
  'tutor-log-form': 'form',
  'tutor-log-saved': 'notice',
  'tutor-my-logs': 'list',
  'tutor-week': 'list',
  welcome: 'notice',
};

/** Does the card (or anything in it) hold an input? */
export function hasInputs(card: unknown): boolean {
  if (Array.isArray(card)) return card.some(hasInputs);
  if (!card || typeof card !== 'object') return false;
  const n = card as Record<string, unknown>;
  if (typeof n.type === 'string' && n.type.startsWith('Input.')) return true;
  return Object.values(n).some(hasInputs);
}

/**
 * The kind of a card: its template's listed kind (every rendered card, captured ones included,
 * names its template), else a form when it asks for input, else a notice. A card with no template
 * at all is judged as a record (the most generous budget short of a list) while the check fails
 * it for the missing template anyway.
 */
export function kindOf(template: string | undefined, card: unknown): CardKind {
  if (template && TEMPLATE_KINDS[template]) return TEMPLATE_KINDS[template];
  if (hasInputs(card)) return 'form';
  return template ? 'notice' : 'record';
}

/**
 * The card with everything that starts folded (`isVisible: false`, opened by a toggle button)
 * shown, or undefined when nothing is folded.
 */
export function openFolds(card: unknown): unknown {
  let folded = false;
  const open = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(open);
    if (!n || typeof n !== 'object') return n;
    return Object.fromEntries(Object.entries(n as Record<string, unknown>).map(([k, v]) => {
      if (k === 'isVisible' && v === false) {
        folded = true;
        return [k, true];
      }
      return [k, k === 'data' ? v : open(v)];
    }));
  };
  const opened = open(card);
  return folded ? opened : undefined;
}
