// Turns what page/measure.js reported about one rendered card into findings a person can act on.
import { budgetPx, contrastRatio, flatten, hex, isLight, overflows, parseColour, requiredContrast, squeezed, type CardKind, type Rgba } from './checkRules';

export interface Measurement {
  error?: string;
  events: Array<{ event: string; message: string }>;
  height: number;
  overflow: Array<{ what: string; scrollWidth: number; clientWidth: number }>;
  squeezed: Array<{ what: string; length: number; lines: number; width: number }>;
  texts: Array<{ what: string; text: string; colour: string; backgrounds: string[]; fontSize: number; fontWeight: number; placeholder: boolean }>;
}

export type Rule = 'render' | 'overflow' | 'squeezed' | 'height' | 'contrast';

export interface Finding { rule: Rule; reason: string }

/**
 * Renderer events that mean Teams would drop or mangle part of the card. Hints and deprecation
 * notes are advice, not faults.
 */
const IGNORED_EVENTS = new Set(['Hint', 'Deprecated']);

/**
 * Teams draws the chart elements; this renderer does not know them and draws their fallback,
 * which is what is then measured here (the card schema check requires every chart to have one).
 */
const teamsChart = (e: { event: string; message: string }) => e.event === 'UnknownElementType' && /Unknown element type "Chart\.[A-Za-z.]+"/.test(e.message);

/** The host-config colour name of a rendered text colour, to say "Warning text" not "#F8D22A". */
export function colourName(colour: Rgba, palette: Record<string, { default: string; subtle: string }>): string | undefined {
  for (const [name, shades] of Object.entries(palette)) {
    for (const [shade, value] of Object.entries(shades)) {
      const p = parseColour(value);
      if (p && Math.abs(p.r - colour.r) < 2 && Math.abs(p.g - colour.g) < 2 && Math.abs(p.b - colour.b) < 2) {
        return shade === 'subtle' && value !== shades.default ? `${name} (subtle)` : name;
      }
    }
  }
  return undefined;
}

export function judge(m: Measurement, kind: CardKind, palette: Record<string, { default: string; subtle: string }>): Finding[] {
  if (m.error) return [{ rule: 'render', reason: `renderer error: ${m.error.split('\n')[0]}` }];
  const findings: Finding[] = [];
  for (const e of m.events) {
    if (!IGNORED_EVENTS.has(e.event) && !teamsChart(e)) findings.push({ rule: 'render', reason: `renderer ${e.event}: ${e.message}` });
  }
  for (const o of m.overflow) {
    if (overflows(o.scrollWidth, o.clientWidth)) findings.push({ rule: 'overflow', reason: `${o.what} is ${o.scrollWidth} px wide in a ${o.clientWidth} px box` });
  }
  for (const s of m.squeezed) {
    if (squeezed(s.length, s.lines)) findings.push({ rule: 'squeezed', reason: `${s.what} wraps into ${s.lines} lines of about ${Math.round(s.length / s.lines)} characters (${s.width} px wide)` });
  }
  const budget = budgetPx(kind);
  if (m.height > budget) findings.push({ rule: 'height', reason: `${m.height} px tall, over the ${budget} px budget for a ${kind}` });
  const reported = new Set<string>();
  for (const t of m.texts) {
    if (t.placeholder) continue;
    const fg = parseColour(t.colour);
    if (!fg) continue;
    const bg = flatten(t.backgrounds.map(parseColour).filter((c): c is Rgba => !!c));
    const ratio = contrastRatio(fg, bg);
    const needed = requiredContrast(t.fontSize, t.fontWeight);
    if (ratio + 1e-9 >= needed) continue;
    const name = colourName(fg, palette);
    const where = isLight(bg) ? 'light' : 'dark';
    const reason = `${name ? `${name} ` : ''}text ${hex(fg)} on ${where} ${hex(bg)} has contrast ${ratio.toFixed(2)}:1, below ${needed}:1 (${t.what})`;
    if (!reported.has(reason)) findings.push({ rule: 'contrast', reason });
    reported.add(reason);
  }
  return findings;
}
