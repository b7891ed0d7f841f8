/** One clause offered to the model: `id` is the only thing it may answer with. */
export interface RerankCandidate {
  id: number;
  /** "document, section" */
  title: string;
  text: string;
}

// The stand-in for the API (test/support/fakeOpenAI.ts) finds the candidates after this line.
export const CANDIDATES_HEADING = 'Passages (JSON):';

// The passages are the school's own documents; the question is the only outside text, so it is the user message.
const INSTRUCTIONS = [
  "You rank passages from a UK school's own policies by how directly each one answers a staff member's question.",
  'Reply with JSON only, in the form {"order": [3, 1]}: the ids of the passages that answer the question, best first.',
  'Leave out passages that do not answer it. If none does, reply {"order": []}. Use only the ids listed below.',
  '',
  CANDIDATES_HEADING,
].join('\n');

export function rerankMessages(question: string, candidates: RerankCandidate[]): Array<{ role: 'system' | 'user'; content: string }> {
  return [
    { role: 'system', content: `${INSTRUCTIONS}\n${JSON.stringify(candidates)}` },
    { role: 'user', content: question },
  ];
}
