import type { Settings } from '../../settings';
import type { TableProvisioner } from '../../storage/tableService';
import type { PolicyLibrary } from '../policyLibrary';
import { createEmbeddingsClient } from './embeddingsClient';
import type { RequestOptions } from './openAIRequest';
import { createReranker } from './reranker';
import { SectionVectors } from './sectionVectors';
import { SemanticRetriever } from './semanticRetriever';
import { VectorStore } from './vectorStore';

/** Vectors of one deployment at one endpoint only compare with each other. */
function vectorSource(ai: NonNullable<Settings['openAI']>, embeddings: string): string {
  const host = ai.endpoint ? new URL(ai.endpoint).host : 'api.openai.com';
  return `${ai.kind}:${host}:${embeddings}`;
}

/**
 * Undefined (lexical retrieval only, as without any AI settings) unless an embeddings deployment is configured.
 * Builds the section vectors before the first question, so they are there from the start; a failure here is
 * logged and retried later, and questions are answered lexically meanwhile.
 */
export async function semanticFromSettings(
  ai: Settings['openAI'],
  tables: TableProvisioner,
  library: PolicyLibrary,
  log: (m: string) => void,
  options: Partial<RequestOptions> = {},
): Promise<SemanticRetriever | undefined> {
  if (!ai?.embeddings) return undefined;
  const embeddings = createEmbeddingsClient(ai, ai.embeddings, options);
  const store = new VectorStore(tables, vectorSource(ai, ai.embeddings));
  const retriever = new SemanticRetriever(new SectionVectors(store, embeddings), embeddings, createReranker(ai, options), { log });
  log(`policies: semantic retrieval on (${ai.kind}, embeddings ${ai.embeddings}, re-ranked by ${ai.model})`);
  await retriever.index(library);
  return retriever;
}
