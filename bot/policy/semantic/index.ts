export { semanticFromSettings } from './semanticFromSettings';
export { SemanticRetriever } from './semanticRetriever';
export { SectionVectors, embeddedText, type EmbeddableSection, type SyncReport } from './sectionVectors';
export { VectorStore, textHash } from './vectorStore';
export { createEmbeddingsClient, type EmbeddingsClient } from './embeddingsClient';
export { createReranker, parseOrder, type Reranker } from './reranker';
export { candidatesToOffer, fuseRankings } from './fusion';
export { OpenAIRequestError } from './openAIRequest';
export { readSemanticSettings } from './semanticSettings';
