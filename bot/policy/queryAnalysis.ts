import { analyse, editDistance, isQuestionNoise, isStopWord, normaliseQuestion, stemWord, typoAllowance, words } from './textAnalysis';
import { DEFAULT_SYNONYMS, expansionsFor, isKnownTerm, SynonymTable } from './synonyms';

/** One way of saying a concept: every stemmed token must occur for it to count. */
export interface Variant {
  tokens: string[];
  weight: number;
}

/** Something the question is about ("usb stick"), with the words a policy might use for it instead. */
export interface Concept {
  label: string;
  variants: Variant[];
  /** Below 1 for words that say little about the topic ("taking", "put"), whatever their rarity in the policies. */
  importance?: number;
  /** A situation the policies cover (a lost device), recognised from how it is told rather than from one word. */
  topic?: boolean;
  /** The kind of answer the question asks for (a requirement, a consequence), read from how it is asked. */
  intent?: boolean;
}

// Light verbs carry the question's grammar, not its topic: "taking photos" is about photos.
const LIGHT_VERBS = new Set(['take', 'put', 'get', 'find', 'open', 'make', 'go', 'have', 'give', 'come', 'let', 'do', 'try', 'look'].map(stemWord));
const LIGHT_IMPORTANCE = 0.5;

/** Corrects a misspelt stem to the closest word the policies actually use, if one is close enough. */
function correct(stemmed: string, vocabulary: ReadonlySet<string>, synonyms: SynonymTable): string {
  if (vocabulary.has(stemmed) || isKnownTerm(stemmed, synonyms)) return stemmed;
  // The stemmer leaves plural acronyms alone ("dvds", "pcs"): the singular is the word the policies use.
  if (stemmed.length >= 3 && stemmed.endsWith('s') && vocabulary.has(stemmed.slice(0, -1))) return stemmed.slice(0, -1);
  // Judged on the stem: "banking" → "bank" is a real word one letter from "back", not a typo.
  const allowance = typoAllowance(stemmed);
  if (allowance === 0) return stemmed;
  let best = stemmed;
  let bestDistance = allowance + 1;
  // The stemmer turns a final y into i, so a misspelt word ending in y ("memroy") would pay for it twice.
  const typed = stemmed.endsWith('y') ? `${stemmed.slice(0, -1)}i` : stemmed;
  for (const term of vocabulary) {
    if (term[0] !== stemmed[0] && allowance < 2) continue;
    const d = Math.min(editDistance(stemmed, term, bestDistance - 1), editDistance(typed, term, bestDistance - 1));
    if (d < bestDistance) {
      best = term;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Staff write as one word what a policy writes as two ("antivirus" for "anti-virus", "screensaver" for
 * "screen saver"), and the other way round: a typed word the policies never use is read as the two words they
 * do use, if it splits into them (each part at least three letters, both in the policies' vocabulary).
 */
export function splitCompound(word: string, vocabulary: ReadonlySet<string>): string[] | undefined {
  if (word.length < 7) return undefined;
  for (let cut = 3; cut <= word.length - 3; cut++) {
    const head = stemWord(word.slice(0, cut));
    const tail = stemWord(word.slice(cut));
    if (vocabulary.has(head) && vocabulary.has(tail) && !isStopWord(word.slice(0, cut)) && !isStopWord(word.slice(cut))) return [head, tail];
  }
  return undefined;
}

/**
 * How a question is asked says what kind of answer it wants, even when the words for it are absent:
 * "what happens if…" wants the consequence, "who do I tell" wants the reporting route.
 */
const QUESTION_INTENTS: Array<{ pattern: RegExp; label: string; phrases: string[]; absorbs?: RegExp; topic?: boolean }> = [
  {
    // "do I have to…", "is it compulsory…": the answer is a requirement, or the absence of one.
    pattern: /\b(do|does|did) (i|we|staff|you|teachers?|tutors?) (have|need|got) to\b|\b(have|has) (i|we|staff) got to\b|\bis (it|there) (compulsory|mandatory|required|a requirement|an obligation)\b|\b(am|are|is) (i|we|staff) (required|obliged|expected|meant)\b|\bmust (i|we|staff)\b/i,
    label: 'obligation',
    phrases: ['requirement', 'required', 'mandatory', 'compulsory', 'obliged', 'expected'],
  },
  {
    // A lost or stolen device or data is a reportable loss (a possible data breach), whatever the device is called.
    pattern: /\b(lost|lose|losing|stolen|nicked|mislaid|missing|left)\b[^.?!]{0,30}\b(laptop|phone|mobile|ipad|tablet|device|usb|memory stick|pen ?drive|flash drive|hard drive|data|files?|paperwork|records?|camera)\b|\b(laptop|phone|mobile|ipad|tablet|device|usb|memory stick|pen ?drive|camera)\b[^.?!]{0,30}\b(lost|stolen|nicked|missing|gone missing)\b/i,
    label: 'loss',
    phrases: ['lost', 'stolen', 'loss', 'theft', 'data breach', 'personal data', 'report'],
    topic: true,
  },
  {
    // "someone keeps sending me…", "a parent posted…": a situation to act on, so the steps to take.
    pattern: /\b(someone|somebody|some one|a (parent|pupil|student|colleague|child|kid)|parents?|pupils?|students?|kids?|children|colleagues?|he|she|they)\b[^.?!]{0,30}\b(posted|posting|posts|sent|sending|sends|keeps|texting|texted|messaging|messaged|emailing|emailed|calling|ringing|uploaded|shared|sharing|threaten\w*|abusing)\b/i,
    label: 'incident',
    phrases: ['action', 'report', 'evidence', 'immediately', 'preserve'],
    // "sending" only tells that something is happening (the intent stands for it); "texting", "ringing" say how.
    absorbs: /^(sent|sending|sends|keeps)$/,
  },
  {
    pattern: /\bwhat (happens|will happen|would happen|are the consequences)\b|\b(in trouble|get sacked|get fired|consequences?|punish\w*|sanctions?)\b|\bif (i|we|staff|someone|a colleague) (break|breaks|broke|breach\w*|ignore\w*|(do|does|did)(n't| not) follow)\b/i,
    label: 'consequence',
    phrases: ['disciplinary', 'misconduct', 'dismissal', 'sanction', 'breach', 'consequence', 'prosecution', 'action'],
    // "break the policy" is about breaches, not break time.
    absorbs: /^(break|breaks|broke|breach\w*|happen\w*|consequences?)$/,
  },
  {
    pattern: /\b(who (do|should) i (tell|report|contact|inform|speak)|who to (tell|report|contact)|where (do|should) i report|how (do|should) i report|(what|wat|wot) (do|should) i do)\b/i,
    label: 'reporting',
    phrases: ['report', 'inform', 'immediately', 'contact', 'designated safeguarding lead', 'line manager'],
  },
  {
    pattern: /\b(how (do|can|should) (i|we) (get|request|ask|apply)|request)\b/i,
    label: 'request',
    phrases: ['request', 'apply', 'submit', 'form', 'ask', 'written request'],
  },
  {
    // "how often…" wants a frequency, which policies give as "termly", "regularly", "annually".
    pattern: /\bhow (often|frequently|regularly)\b|\bhow many times a (day|week|term|year)\b/i,
    label: 'frequency',
    phrases: ['termly', 'regularly', 'regular', 'annually', 'periodically', 'weekly', 'daily', 'frequently', 'each term', 'time to time'],
    absorbs: /^(often|frequently|regularly)$/,
  },
  {
    // "how long can we keep…" asks for a duration or a retention limit, not about size ("long" is not "large").
    pattern: /\bhow long\b|\bfor how long\b|\bhow many (days|weeks|months|years)\b/i,
    label: 'duration',
    phrases: ['longer than', 'kept', 'retained', 'retention', 'period', 'deleted', 'necessary for their original purpose', 'until'],
    absorbs: /^(long|longer)$/,
  },
  {
    // "when is it ok to…", "any exceptions?": the clause that says when a rule does not apply.
    pattern: /\bwhen (is|are|can|may|would) (it|i|we|staff|you)\b[^.?!]{0,20}\b(ok|okay|allowed|acceptable|fine|permitted|alright|all right)\b|\bany exceptions?\b|\bexceptions? to\b|\bever (ok|okay|allowed|acceptable)\b/i,
    label: 'exception',
    phrases: ['unless', 'except', 'exception', 'exceptions', 'exceptional', 'does not apply', 'necessary', 'only when'],
  },
  {
    pattern: /\b(who (approves|authorises|authorizes|signs off|agrees|decides|sanctions)|who (has to|needs to|must|can) (approve|authorise|authorize|sign off|agree))\b/i,
    label: 'approval',
    phrases: ['approve', 'approval', 'authorised', 'sanctioned', 'signed off', 'agreed', 'permission'],
  },
];

function applyIntents(question: string, concepts: Concept[]): Concept[] {
  const intents = QUESTION_INTENTS.filter((i) => i.pattern.test(question));
  const kept = concepts.filter((c) => !intents.some((i) => i.absorbs?.test(c.label)));
  return [
    ...kept,
    ...intents.map((i) => ({
      label: i.label,
      variants: i.phrases.map((p) => ({ tokens: analyse(p), weight: 0.6 })).filter((v) => v.tokens.length > 0),
      intent: true,
      ...(i.topic ? { topic: true } : {}),
    })),
  ];
}

/**
 * "install software": each word is the other's synonym, so a passage mentioning only one of them would
 * otherwise count as covering both. A variant that is another concept's own word counts for little.
 */
function discountSharedVariants(concepts: Concept[]): Concept[] {
  const originals = new Set(concepts.map((c) => c.variants[0].tokens.join(' ')));
  return concepts.map((c) => ({
    ...c,
    variants: c.variants.map((v, i) => (i > 0 && originals.has(v.tokens.join(' ')) ? { ...v, weight: Math.min(v.weight, 0.3) } : v)),
  }));
}

/**
 * The concepts of a question: content words (stemmed, spelling-corrected against the policies' own
 * vocabulary), with multi-word phrases ("memory stick", "friend request") recognised as one concept,
 * each expanded with synonyms at a lower weight.
 */
export function analyseQuestion(question: string, vocabulary: ReadonlySet<string>, synonyms: SynonymTable = DEFAULT_SYNONYMS): Concept[] {
  const tokens = words(normaliseQuestion(question)).filter((w) => !isStopWord(w) && (w.length > 1 || /\d/.test(w)));
  const stems = tokens.map(stemWord);
  const concepts: Concept[] = [];
  const used = new Set<number>();
  for (let n = Math.min(synonyms.maxPhraseLength, stems.length); n >= 2; n--) {
    for (let i = 0; i + n <= stems.length; i++) {
      if ([...Array(n).keys()].some((k) => used.has(i + k))) continue;
      const phrase = stems.slice(i, i + n);
      const expansions = expansionsFor(phrase, synonyms);
      if (expansions.length === 0) continue;
      for (let k = 0; k < n; k++) used.add(i + k);
      const parts = phrase.filter((_, k) => !isQuestionNoise(tokens[i + k])).map((t) => ({ tokens: [t], weight: 0.5 }));
      concepts.push({ label: tokens.slice(i, i + n).join(' '), variants: [{ tokens: phrase, weight: 1 }, ...expansions, ...parts] });
    }
  }
  // Two typed words the policies write as one ("screen saver", "anti virus").
  for (let i = 0; i + 1 < stems.length; i++) {
    if (used.has(i) || used.has(i + 1) || isQuestionNoise(tokens[i]) || isQuestionNoise(tokens[i + 1])) continue;
    const joined = stemWord(tokens[i] + tokens[i + 1]);
    if (vocabulary.has(stems[i]) && vocabulary.has(stems[i + 1])) continue;
    if (!vocabulary.has(joined)) continue;
    used.add(i).add(i + 1);
    concepts.push({ label: `${tokens[i]} ${tokens[i + 1]}`, variants: [{ tokens: [joined], weight: 1 }, ...expansionsFor([joined], synonyms)] });
  }
  stems.forEach((stemmed, i) => {
    if (used.has(i) || isQuestionNoise(tokens[i])) return;
    const parts = vocabulary.has(stemmed) || isKnownTerm(stemmed, synonyms) ? undefined : splitCompound(tokens[i], vocabulary);
    if (parts) {
      concepts.push({ label: tokens[i], variants: [{ tokens: parts, weight: 1 }] });
      return;
    }
    const fixed = correct(stemmed, vocabulary, synonyms);
    const expansions = [...expansionsFor([stemmed], synonyms), ...(fixed !== stemmed ? expansionsFor([fixed], synonyms) : [])];
    if (concepts.some((c) => c.variants[0].tokens.length === 1 && c.variants[0].tokens[0] === fixed)) return;
    // A guessed correction is less certain than a word typed correctly.
    const light = LIGHT_VERBS.has(stemmed) || LIGHT_VERBS.has(fixed);
    concepts.push({
      label: tokens[i],
      variants: [{ tokens: [fixed], weight: fixed === stemmed ? 1 : 0.8 }, ...expansions],
      importance: light ? LIGHT_IMPORTANCE : 1,
    });
  });
  return discountSharedVariants(applyIntents(question, concepts));
}
