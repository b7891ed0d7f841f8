/**
 * The embeddings deployment (Azure OpenAI) or model (OpenAI-compatible) that switches semantic retrieval on.
 * Everything else — endpoint, key, the chat deployment that re-ranks — is the generative answers' own configuration.
 */
export interface SemanticSettings {
  embeddings: string;
}

// Azure deployment names: letters, digits, '-', '_' and '.', up to 64; OpenAI model names look the same.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// The key travels with every request, so only https leaves the machine; plain http is for a stand-in or proxy on it.
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i;

/** Reads AZURE_OPENAI_EMBEDDING_DEPLOYMENT / OPENAI_EMBEDDING_MODEL; pushes a problem naming the variable for anything wrong. */
export function readSemanticSettings(str: (name: string) => string | undefined, problems: string[]): SemanticSettings | undefined {
  const azure = str('AZURE_OPENAI_EMBEDDING_DEPLOYMENT');
  const openai = str('OPENAI_EMBEDDING_MODEL');
  if (azure && openai) problems.push('OPENAI_EMBEDDING_MODEL: set either AZURE_OPENAI_EMBEDDING_DEPLOYMENT or OPENAI_EMBEDDING_MODEL, not both');
  if (azure) {
    if (!NAME.test(azure)) problems.push(`AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "${azure}" is not a deployment name (letters, digits, - _ .)`);
    if (!str('AZURE_OPENAI_API_KEY')) problems.push('AZURE_OPENAI_EMBEDDING_DEPLOYMENT: needs AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT');
    const endpoint = str('AZURE_OPENAI_ENDPOINT');
    if (endpoint && !/^https:\/\/[^/\s]+/i.test(endpoint) && !LOOPBACK.test(endpoint)) problems.push('AZURE_OPENAI_ENDPOINT: must be an https:// URL for embeddings (plain http only on this machine)');
    return { embeddings: azure };
  }
  if (openai) {
    if (!NAME.test(openai)) problems.push(`OPENAI_EMBEDDING_MODEL: "${openai}" is not a model name (letters, digits, - _ .)`);
    if (!str('OPENAI_API_KEY')) problems.push('OPENAI_EMBEDDING_MODEL: needs OPENAI_API_KEY');
    if (str('AZURE_OPENAI_API_KEY')) problems.push('OPENAI_EMBEDDING_MODEL: Azure OpenAI is configured; name its embeddings deployment in AZURE_OPENAI_EMBEDDING_DEPLOYMENT');
    const endpoint = str('OPENAI_ENDPOINT');
    if (endpoint && !/^https:\/\/[^/\s]+/i.test(endpoint) && !LOOPBACK.test(endpoint)) problems.push('OPENAI_ENDPOINT: must be an https:// URL for embeddings (plain http only on this machine)');
    return { embeddings: openai };
  }
  return undefined;
}
