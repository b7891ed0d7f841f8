import type { Outbound } from '../../chat/turn';
import type { Settings } from '../../settings';
import type { PolicyAnswer } from '../policyLibrary';
import { groundingPassages } from './grounding';
import { createOpenAIPhraser, type PhraserOptions } from './openAIPhraser';
import { aiOutbound, type Phraser } from './phraser';

/** What the policy capability calls: a message to send before the quoted card, or nothing. */
export type PhraseAnswer = (question: string, answer: PolicyAnswer) => Promise<Outbound | undefined>;

// Contact details are the pupil data most often pasted into a question; the model never needs them.
export function minimise(question: string): string {
  return question
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(/\+?\d[\d ()-]{7,}\d/g, (run) => (run.replace(/\D/g, '').length >= 9 ? '[number]' : run));
}

export function phraseAnswers(phraser: Phraser): PhraseAnswer {
  return async (question, answer) => {
    // A question about a child in danger usually describes that child: it stays in school, and
    // the safety notice plus the quoted rule are what the asker needs.
    if (!answer.found || answer.childInDanger) return undefined;
    const phrased = await phraser.phrase(minimise(question), groundingPassages(answer));
    return phrased && aiOutbound(phrased);
  };
}

/** Undefined (generation off) unless an endpoint is configured and the client accepts it. */
export function phrasingFromSettings(ai: Settings['openAI'], log: (m: string) => void, options: PhraserOptions = {}): PhraseAnswer | undefined {
  if (!ai) return undefined;
  try {
    const phraser = createOpenAIPhraser(ai, { log, ...options });
    log(`policies: generative answers on (${ai.kind}, ${ai.model})`);
    return phraseAnswers(phraser);
  } catch (err) {
    log(`policies: generative answers off: ${(err as Error).message}`);
    return undefined;
  }
}
