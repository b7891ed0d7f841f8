export { aiOutbound, type GroundingPassage, type PhrasedAnswer, type Phraser } from './phraser';
export { groundingPassages } from './grounding';
export { checkAnswer } from './checkAnswer';
export { createOpenAIPhraser, DEFAULT_TIMEOUT_MS, type PhraserOptions } from './openAIPhraser';
export { minimise, phraseAnswers, phrasingFromSettings, type PhraseAnswer } from './policyPhrasing';
