import type { Outbound } from '../../chat/turn';

/** One numbered passage the model may use; `position` is the n in its [n] marker. */
export interface GroundingPassage {
  position: number;
  /** "document, section", as shown on the quoted card. */
  title: string;
  text: string;
}

export interface PhrasedAnswer {
  /** The model's words, with [n] markers that all refer to given passages. */
  text: string;
  /** Only the passages the text cites, in position order. */
  citations: GroundingPassage[];
}

/**
 * Rewords retrieved passages as a short answer. Undefined means "show the quoted card only":
 * the endpoint failed, timed out, or answered in a way we cannot check against the passages.
 */
export interface Phraser {
  phrase(question: string, passages: GroundingPassage[]): Promise<PhrasedAnswer | undefined>;
}

// Teams truncates longer citation names and abstracts (ClientCitation: name ≤ 80, abstract ≤ 160).
const NAME_MAX = 80;
const ABSTRACT_MAX = 160;

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);
const plain = (markdown: string) => markdown.replace(/\*\*|__/g, '').replace(/\s+/g, ' ').trim();

export function aiOutbound(answer: PhrasedAnswer): Outbound {
  return {
    text: answer.text,
    aiGenerated: {
      citations: answer.citations.map((p) => ({ position: p.position, title: clip(p.title, NAME_MAX), abstract: clip(plain(p.text), ABSTRACT_MAX) })),
    },
  };
}
