import type { PolicyAnswer } from '../policyLibrary';
import type { GroundingPassage } from './phraser';

// The quote bolds the asker's own words for the reader; to the model that is noise.
const unbold = (markdown: string) => markdown.replace(/\*\*/g, '');
const titleOf = (c: { document: string; section: string }) => `${c.document}, ${c.section}`;

/**
 * The retrieved quote is passage [1]; the other rules that may apply follow with their snippets. A see-also
 * section with no snippet is given by title only, and the model is told so rather than left to guess.
 */
export function groundingPassages(answer: PolicyAnswer): GroundingPassage[] {
  if (!answer.found || !answer.citation || !answer.quote.trim()) return [];
  return [
    { position: 1, title: titleOf(answer.citation), text: unbold(answer.quote) },
    ...answer.seeAlso.map((c, i) => {
      const other = answer.others.find((o) => o.citation.document === c.document && o.citation.section === c.section);
      return { position: i + 2, title: titleOf(c), text: other ? unbold(other.quote) : `(Only the section title is available: "${c.section}" in ${c.document}.)` };
    }),
  ];
}
