/**
 * Text people typed, made safe to show on a card: Teams renders TextBlocks as Markdown and
 * turns addresses into links, and Unicode direction overrides can make "gpj.exe" read as
 * "exe.jpg". Cards show such text literally and never as a live link (for safeguarding, a DSL
 * must not be one click from the content being reported). Only the display is changed: what is
 * stored, exported and put back into form inputs stays exactly as typed.
 */

// Direction controls (embeddings, overrides, isolates, marks) and invisible characters.
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// A zero-width joiner between two pictographs is part of an emoji (a family, a flag); elsewhere it hides text.
const INVISIBLE = /[\u200B\u200C\u2060\uFEFF\u180E\u00AD]|(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
const MARKDOWN_LINK = /\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
// Only a scheme followed by something to link to: "starting with http:// or https://" stays as written.
const SCHEME = /\b(https?|ftp|file|mailto|javascript|data|vbscript|tel|sms|msteams|ms-[a-z-]+):(\/\/)?(?=[\p{L}\p{N}%[])/giu;
const WWW = /\bwww\./gi;

const codePoint = (c: string) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;

export function plainText(text: string): string {
  return text
    .replace(BIDI, codePoint)
    .replace(INVISIBLE, codePoint)
    .replace(MARKDOWN_LINK, (_m, label: string, target: string) => (target ? `${label} (${target})` : `${label}`))
    .replace(SCHEME, (_m, scheme: string, slashes?: string) => `${scheme}[:]${slashes ?? ''}`)
    .replace(WWW, (m) => `${m.slice(0, 3)}[.]`)
    // A CommonMark autolink needs its angle brackets; without them nothing is left to link.
    .replace(/<([a-z][a-z0-9+.-]*\[:\][^>\s]*)>/gi, '$1');
}

type Node = Record<string, unknown>;

/** Every place a card shows text: TextBlocks, TextRuns and facts. Inputs keep their values as typed. */
export function plainCardText<T>(card: T): T {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if ((n.type === 'TextBlock' || n.type === 'TextRun') && typeof n.text === 'string') n.text = plainText(n.text);
    if (Array.isArray(n.facts)) {
      for (const fact of n.facts as Node[]) {
        if (typeof fact?.title === 'string') fact.title = plainText(fact.title);
        if (typeof fact?.value === 'string') fact.value = plainText(fact.value);
      }
    }
    for (const [key, child] of Object.entries(n)) if (key !== 'facts' && typeof child === 'object') walk(child);
  };
  walk(card);
  return card;
}
