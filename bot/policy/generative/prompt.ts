import { Prompt, SystemMessage, UserMessage, type PromptTemplate } from '@microsoft/teams-ai';
import type { GroundingPassage } from './phraser';

export const NOT_IN_POLICY = 'The policy does not say';

// The passages are the school's own documents; the question is the only text from outside, so it
// goes in its own user message rather than being mixed into these rules.
export const INSTRUCTIONS = [
  'You answer questions from staff at a UK school about the school\'s own policies.',
  'Answer ONLY from the numbered passages below. Do not use outside knowledge, other schools\' practice or general law.',
  'Cite every statement with the number of the passage it comes from, written as [1], [2] and so on. Cite only passage numbers listed below.',
  `If the passages do not answer the question, reply "${NOT_IN_POLICY}." and nothing else.`,
  'Write plain British English for teachers and school staff, at most 120 words. Do not invent names, dates, contacts or steps.',
  '',
  'Passages:',
  '{{$temp.passages}}',
].join('\n');

export function passagesText(passages: GroundingPassage[]): string {
  return passages.map((p) => `[${p.position}] ${p.title}\n${p.text.trim()}`).join('\n\n');
}

export const PROMPT_NAME = 'policy-answer';

export function policyPromptTemplate(): PromptTemplate {
  return {
    name: PROMPT_NAME,
    prompt: new Prompt([new SystemMessage(INSTRUCTIONS), new UserMessage('{{$temp.input}}', 300)]),
    config: {
      schema: 1.1,
      type: 'completion',
      completion: {
        completion_type: 'chat',
        include_history: false,
        include_input: true,
        include_images: false,
        max_input_tokens: 2500,
        max_tokens: 350,
        temperature: 0,
        top_p: 1,
        presence_penalty: 0,
        frequency_penalty: 0,
      },
    },
  };
}
