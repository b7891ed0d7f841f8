import stem from 'wink-porter2-stemmer';

// Words that carry no meaning for retrieval, in documents or questions.
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are aren as at be because been before being below
  between both but by could did do does doing down during each few for from further had has have having he
  her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor
  not of off on once only or other our ours ourselves out over same she should so some such than that the
  their theirs them themselves then there these they this those through to too under until up very was we
  were what when where which while who whom why will with would you your yours yourself yourselves also etc
  eg ie e.g i.e us may might must shall can cannot could let lets got get im ive id youre dont doesnt isnt
  arent wont cant shouldnt mustnt wat wot u ur r pls plz ya yeah hi hey thx cheers`.split(/\s+/).filter(Boolean),
);

// Extra words that only add noise when they appear in a question ("is it ok to…", "what's the rule on…").
// Documents keep them: "not permitted" in a rule is worth quoting, it just should not drive retrieval.
const QUESTION_NOISE = new Set(
  `allowed allow ok okay fine acceptable permitted rule rules without policy policies say says said
  school staff member teacher teachers colleague need want wanted please thanks thank know tell happen happens
  happening supposed able anyone someone somebody something anything thing things way ways really actually
  still ever also use using used time quick question help whats hows wheres whos good best like ask asking stuff`.split(/\s+/).filter(Boolean),
);

// Spelling variants that tokenising would otherwise split or miss; applied before tokenising.
const NORMALISATIONS: Array<[RegExp, string]> = [
  [/[\u2018\u2019\u02bc`´]/g, "'"],
  [/[\u201c\u201d]/g, '"'],
  [/[\u2013\u2014]/g, ' - '],
  [/\be-?mails?\b/gi, 'email'],
  [/\bwi-?fi\b/gi, 'wifi'],
  [/\be-?safety\b/gi, 'esafety'],
  [/\bon-?line\b/gi, 'online'],
  [/\bweb[- ](site|page)/gi, 'web$1'],
  [/\boff[- ](site|premises?)\b/gi, 'offsite'],
  [/\bcyber[- ]?bull/gi, 'cyberbull'],
  [/\blog[- ](in|on)\b/gi, 'login'],
  [/\bsign[- ]in\b/gi, 'signin'],
  [/\bsmart[- ]?phones?\b/gi, 'smartphone'],
  [/\bsmart[- ]?watch(es)?\b/gi, 'smartwatch'],
  [/\bchat[- ]?rooms?\b/gi, 'chatroom'],
  [/\bwhats[- ']?app\b/gi, 'whatsapp'],
  [/\bu\.?s\.?b\b/gi, 'usb'],
  [/\b(1|one|i)\s*(-to-|-|:|to)\s*(1|one|i)\b/gi, 'onetoone'],
  [/\b(\w+)'s\b/g, '$1'],
  [/\b(\w+)n't\b/g, '$1 not'],
];

/** Lower-cased, spelling-normalised text; "IT" (the department) survives as "ict" instead of vanishing as a stop word. */
export function normalise(text: string): string {
  let out = text.replace(/\bIT\b/g, 'ict');
  for (const [pattern, replacement] of NORMALISATIONS) out = out.replace(pattern, replacement);
  return out.toLowerCase();
}

/** Raw word tokens of already-normalised text. */
export function words(normalised: string): string[] {
  return normalised.match(/[a-z0-9]+/g) ?? [];
}

// Irregular past forms the Porter stemmer leaves alone ("brought" must meet "bring").
const IRREGULAR: Record<string, string> = {
  brought: 'bring', took: 'take', taken: 'take', sent: 'send', saw: 'see', seen: 'see', told: 'tell', gave: 'give',
  given: 'give', made: 'make', bought: 'buy', kept: 'keep', found: 'find', wrote: 'write', written: 'write',
  spoke: 'speak', spoken: 'speak', broke: 'break', broken: 'break', met: 'meet', thought: 'think', heard: 'hear',
  chose: 'choose', chosen: 'choose', forgot: 'forget', forgotten: 'forget', hid: 'hide', hidden: 'hide', shown: 'show',
  stole: 'steal', went: 'go', gone: 'go', did: 'do', done: 'do', paid: 'pay', ran: 'run', felt: 'feel',
};

const stemCache = new Map<string, string>();

export function stemWord(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = /^\d+$/.test(word) ? word : stem(IRREGULAR[word] ?? word);
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

export function isQuestionNoise(word: string): boolean {
  return QUESTION_NOISE.has(word) || STOP_WORDS.has(word);
}

/** Stemmed content terms of a text, in order, as used by the index. */
export function analyse(text: string): string[] {
  return words(normalise(text))
    .filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map(stemWord);
}

/** Levenshtein distance, abandoned early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length];
}

/** How many typos we forgive in a word of this length: none for short words, where a typo is usually another word. */
export function typoAllowance(word: string): number {
  if (word.length >= 9) return 2;
  if (word.length >= 6) return 1;
  return 0;
}

/** Split prose into sentences without breaking on "e.g.", "i.e.", initials or decimal numbers. */
export function splitSentences(text: string): string[] {
  const protectedText = text.replace(/\b(e\.g|i\.e|etc|vs|approx|incl|Mr|Mrs|Ms|Dr|St)\./gi, (m) => m.replace(/\./g, '\u0000'));
  return protectedText
    .split(/(?<=[.!?])\s+(?=["'(\[]?[A-Z0-9])/)
    .map((s) => s.replace(/\u0000/g, '.').trim())
    .filter((s) => s.length > 0);
}
