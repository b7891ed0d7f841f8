import type { CapabilityModule } from '../chat/capability';
import { projectPath } from '../projectRoot';
import { phrasingFromSettings } from './generative';
import { createPolicyCapability } from './policyCapability';
import { PolicyLibrary } from './policyLibrary';
import { sharedSearchThread } from './searchThread';
import { semanticFromSettings } from './semantic';

export const EXAMPLE_POLICIES = projectPath('bot', 'policy', 'example');
export const POLICIES_NOT_SET_UP = "Policy questions are not set up for this school yet: the school's IT admin sets POLICY_DIR to the folder holding the school's own policy documents (see the README).";

/**
 * The policy folder a school uses: POLICY_DIR, else the example policies for the example school
 * only (they are its policies, not anyone else's); undefined means policy questions are not set up.
 */
export function policyFolder(policyDir: string | undefined, config: { usesExample(): boolean }): string | undefined {
  return policyDir ?? (config.usesExample() ? EXAMPLE_POLICIES : undefined);
}

/** Policy Q&A: loads POLICY_DIR (or the example policies) at start and rebuilds on change. */
export const policyModule: CapabilityModule = {
  async create(services) {
    // In a trust, the trust's own policies join every school's (or stand alone if a school has none).
    const trustDir = services.environment.trustPolicyDir;
    const dir = policyFolder(services.environment.policyDir, services.config) ?? trustDir;
    if (!dir) {
      services.log('policies: not set up (POLICY_DIR is not set, and the example policies belong to the example school)');
      return { name: 'policy', fallback: async (turn) => void (await turn.send(POLICIES_NOT_SET_UP)) };
    }
    let library = await PolicyLibrary.fromDirectory(dir, trustDir && trustDir !== dir ? [trustDir] : []);
    const docs = library.documents();
    services.log(`policies: ${docs.length} documents, ${docs.reduce((n, d) => n + d.sections, 0)} sections from ${dir} in ${library.buildMs.toFixed(0)} ms`);
    for (const w of library.warnings()) services.log(`policies: warning: ${w}`);
    const search = sharedSearchThread().slot(services.log);
    void search.prepare(library);
    const stopWatching = library.watch(
      (next) => {
        library = next;
        void search.prepare(next);
        services.log(`policies: rebuilt from ${dir} (${next.documents().length} documents)`);
      },
      (err) => services.log(`policies: rebuild failed, keeping the previous index: ${err.message}`),
    );
    // Undefined unless an OpenAI / Azure OpenAI endpoint is configured: generation is opt-in.
    const phrase = phrasingFromSettings(services.environment.openAI, services.log);
    // Undefined unless an embeddings deployment is configured too: lexical retrieval alone, as without AI settings.
    const retriever = await semanticFromSettings(services.environment.openAI, services.tables, library, services.log);
    const capability = createPolicyCapability(services, () => library, search, phrase, retriever);
    return {
      ...capability,
      stop: async () => {
        stopWatching();
        search.close();
      },
    };
  },
};
