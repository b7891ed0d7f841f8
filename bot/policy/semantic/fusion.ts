// The usual constant for reciprocal rank fusion: it damps the weight of the very first places so that two
// lists agreeing on a second place outvote one list's first.
const RRF_K = 60;

/**
 * Reciprocal rank fusion of several rankings (best first): a key scores 1/(k + rank) in each list it is in.
 * Ranks, not scores, are fused, because BM25-style and cosine scores are on scales that do not compare.
 * Ties keep the order of the first list (the lexical one), so fusion never reshuffles equal evidence.
 */
export function fuseRankings(rankings: string[][], limit: number): string[] {
  const score = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  let seen = 0;
  for (const ranking of rankings) {
    ranking.forEach((key, rank) => {
      score.set(key, (score.get(key) ?? 0) + 1 / (RRF_K + rank + 1));
      if (!firstSeen.has(key)) firstSeen.set(key, seen++);
    });
  }
  return [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)! || firstSeen.get(a)! - firstSeen.get(b)!).slice(0, limit);
}

/**
 * The candidates a model re-ranks: the first `limit` of the fused order, except that the best `keep` of the first
 * ranking (the lexical one) are always among them. The vectors can then add a clause the words missed but never
 * push out one the tuned lexical index ranks near the top, whatever the embedding model is worth.
 */
export function candidatesToOffer(rankings: string[][], limit: number, keep: number): string[] {
  const fused = fuseRankings(rankings, Number.MAX_SAFE_INTEGER);
  const kept = new Set((rankings[0] ?? []).slice(0, keep));
  const chosen = new Set(kept);
  for (const key of fused) if (chosen.size < limit) chosen.add(key);
  return fused.filter((key) => chosen.has(key));
}
