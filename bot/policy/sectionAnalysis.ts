import { analyse } from './textAnalysis';
import { sectionPassages, sectionUnits, type Passage, type Unit } from './passages';
import type { PolicySection } from './sectionParser';

/**
 * What indexing a section works out from its own words alone: its sentences with their stems, its
 * heading stems and its passage windows. It depends on nothing else in the index (ids and weights
 * are the index's), so every index holding the same section can hold the same analysis: in a trust,
 * each school's index includes the trust-wide policies, and thirty schools would otherwise keep
 * thirty copies of them. Nothing here is changed after it is made.
 */
export interface SectionAnalysis {
  units: Unit[];
  titleStems: Set<string>;
  headingStems: Set<string>;
  /** Stems of the section's headings (with its ancestors'), the index's topics. */
  headingTopics: string[];
  /** Every stem of the section: its units' and its headings'. */
  sectionStems: Set<string>;
  /** The passage windows with ids and section id 0, renumbered by each index that uses them. */
  windows: Passage[];
}

// Held weakly: an analysis lives as long as some index keeps it (PolicyIndex does), so a rebuilt or dropped
// library frees its own.
const shared = new Map<string, WeakRef<SectionAnalysis>>();
const forget = new FinalizationRegistry<string>((key) => {
  if (shared.get(key)?.deref() === undefined) shared.delete(key);
});

export function analyseSection(documentTitle: string, section: PolicySection): SectionAnalysis {
  const key = JSON.stringify([documentTitle, section.path, section.title, section.titleFromBody ?? false, section.text]);
  const known = shared.get(key)?.deref();
  if (known) return known;
  const units = sectionUnits(section.text);
  // A title made of the clause's first words is already counted as text; only real headings add evidence.
  const headings = section.titleFromBody ? section.path.slice(0, -1) : [...section.path, section.title];
  const titleStems = new Set(section.titleFromBody ? [] : analyse(section.title));
  const headingStems = new Set(analyse([documentTitle, ...headings].join(' ')));
  const sectionStems = new Set<string>(headingStems);
  for (const u of units) for (const s of u.stems) sectionStems.add(s);
  const windows = sectionPassages({ ...section, id: 0, documentId: '', documentTitle, units, titleStems, headingStems, forStaff: false }, 0);
  const analysis: SectionAnalysis = { units, titleStems, headingStems, headingTopics: analyse(headings.join(' ')), sectionStems, windows };
  shared.set(key, new WeakRef(analysis));
  forget.register(analysis, key);
  return analysis;
}
