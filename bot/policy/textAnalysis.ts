import stem from 'wink-porter2-stemmer';
import { own } from '../core/ownLookup';

// Words that carry no meaning for retrieval, in documents or questions.
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are aren as at be because been before being below
  between both but by could did do does doing down during each few for from further had has have having he
  her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor
  not of off on once only or other our ours ourselves out over same she should so some such than that the
  their theirs them themselves then there these they this those through to too under until up very was we
  were what when where which while who whom why will with would you your yours yourself yourselves also etc
  eg ie e.g i.e us may might must shall can cannot could let lets got get im ive id youre dont doesnt isnt
  arent wont cant shouldnt mustnt wat wot u ur r pls plz ya yeah hi hey thx cheers cos coz cuz bc tho thru
  abt bout lol tbh idk btw ok theres thats heres`.split(/\s+/).filter(Boolean),
);

// Extra words that only add noise when they appear in a question ("is it ok to…", "what's the rule on…").
// Documents keep them: "not permitted" in a rule is worth quoting, it just should not drive retrieval.
const QUESTION_NOISE = new Set(
  `allowed allow ok okay fine acceptable permitted rule rules without policy policies say says said
  school staff member teacher teachers colleague need want wanted please thanks thank know tell happen happens
  happening supposed able anyone someone somebody something anything thing things way ways really actually
  still ever also use using used time quick question help whats hows wheres whos good best like ask asking stuff
  think reckon wondering wonder guess sure keeps basically literally just sorry anyway mate bit`.split(/\s+/).filter(Boolean),
);

// Misspellings staff type in a hurry, too far from the right word (or too short) for typo matching to be safe.
const MISSPELLINGS: Record<string, string> = {
  recieve: 'receive', recieved: 'received', recieving: 'receiving', pasword: 'password', passwrd: 'password', pword: 'password',
  harrass: 'harass', harrassed: 'harassed', harrassing: 'harassing', harrassment: 'harassment',
  seperate: 'separate', definately: 'definitely', accomodation: 'accommodation', occured: 'occurred', untill: 'until',
  wierd: 'weird', freind: 'friend', freinds: 'friends', frend: 'friend', frends: 'friends', emial: 'email', 
  inapropriate: 'inappropriate', innapropriate: 'inappropriate', inappropiate: 'inappropriate', approriate: 'appropriate',
  safegaurding: 'safeguarding', safeguading: 'safeguarding', bulling: 'bullying', buling: 'bullying', bulied: 'bullied',
  photoes: 'photos', fotos: 'photos', foto: 'photo', pitcure: 'picture', pitcures: 'pictures', vidoe: 'video', vidoes: 'videos',
  laptob: 'laptop', labtop: 'laptop', computor: 'computer', compter: 'computer', phne: 'phone', fone: 'phone', mobil: 'mobile',
  interent: 'internet', intenet: 'internet', interweb: 'internet', webiste: 'website', websit: 'website', blokced: 'blocked',
  adress: 'address', adresses: 'addresses', attachement: 'attachment', attatchment: 'attachment', attachemnt: 'attachment',
  softwear: 'software', instal: 'install', downlaod: 'download', dowload: 'download', privacey: 'privacy', priviledge: 'privilege',
  stollen: 'stolen', lossed: 'lost', goverment: 'government', governers: 'governors', govenors: 'governors', polcy: 'policy',
  studens: 'students', stuednts: 'students', parnets: 'parents', parants: 'parents', collegue: 'colleague',
  collegues: 'colleagues', colleage: 'colleague', acess: 'access', acces: 'access', accesing: 'accessing', sumone: 'someone',
  someones: 'someone is', sombody: 'somebody', teh: 'the', wat: 'what', wot: 'what', msgs: 'messages', msg: 'message',
  txt: 'text', txts: 'texts', txting: 'texting', pic: 'picture', pics: 'pictures', vid: 'video', vids: 'videos',
  insta: 'instagram', ig: 'instagram', snap: 'snapchat', fb: 'facebook', yt: 'youtube', tiktoks: 'tiktok', ppl: 'people',
  elses: 'else', 'ex-student': 'former student', 'ex-pupil': 'former pupil',
};

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
  [/\bex[- ](students?|pupils?|tutees?)\b/gi, 'former $1'],
  [/\b(is|are|was|were|went|goes|gone|keeps going) down\b/gi, '$1 outage'],
  [/\b(is|are|was|were|keeps|stopped|stops) (not |n't )?(working|connecting|loading)\b/gi, '$1 outage'],
  [/\b(isn't|aren't|wasn't|not) (working|connecting|loading)\b/gi, 'outage'],
  // "personal internet use" is personal use (of the internet): keep the policy's phrase whole.
  [/\b(personal|private|own) (internet|web|email|phone|mobile|computer|laptop|device|social media) (use|usage)\b/gi, '$1 use of $2'],
  [/\b(\w+)'s\b/g, '$1'],
  [/\b(\w+)n't\b/g, '$1 not'],
];

// How staff ask about things the policies name formally; for questions only, since a policy's own
// "this policy should be read" is not about monitoring.
const QUESTION_NORMALISATIONS: Array<[RegExp, string]> = [
  // A year group ("yr 9", "y10s", "year 11") is a group of pupils, whatever the school calls its years.
  [/\b(?:yr|year|y)\s?(?:[1-9]|1[0-3])s?\b/gi, 'pupils'],
  [/\b(in charge of|looks after|deals with|handles)\b/gi, 'responsible for'],
  // "take my phone off me": the particle is a stop word, so the phrase would read as "take phone".
  [/\b(take|takes|took|taking|have|get)\s+((?:(?:my|his|her|their|your|a|the|an)\s+)?(?:\w+\s+){0,2})off\s+(me|him|her|them|you|pupils?|students?|staff|kids?)\b/gi, 'confiscate $2'],
  // Phrasal verbs whose particle is a stop word or a stray word: "sent round" is circulating, "sign up" registering.
  [/\b(send|sends|sent|sending|pass|passed|passing|spread|spreading|share|shared|sharing|forward|forwarded|forwarding)\s+(it\s+|them\s+)?a?round\b/gi, 'circulate'],
  [/\bsign(s|ed|ing)?[- ]up\b/gi, 'register'],
  [/\bsign(s|ed|ing)? ((?:(?:my|our|the|a|his|her|their|them|him|whole|class|form|group|tutor|year|\d+|kids|pupils|students)\s+){1,3})up\b/gi, 'register $2'],
  // "too friendly" with a pupil is about the boundaries of the relationship, not a friend request.
  [/\b(too|over(?:ly)?|very|bit) (friendly|familiar|pally|close)\b/gi, 'inappropriate relationship'],
  // "a kid who left last summer" is a former pupil.
  [/\b(who|that) (has |have |had )?left( the school)?\b/gi, 'former'],
  // "are my emails being read", "can they see what I look at": staff asking whether they are monitored.
  [/\b(being|be|been|get|gets|getting|are|is) (read|watched|checked|looked at|tracked|spied on|snooped on)\b/gi, '$1 monitored'],
  [/\b(read|reading|check|checking|see|seeing|watch|watching|track|tracking) (my|our|staff|your) (emails?|messages|browsing|internet|history|searches|screen)\b/gi, 'monitor $2 $3'],
  [/\b(checks?|sees?|watch(?:es)?|tracks?|knows?|logs?) (what|which) (sites|websites|pages|i|we|staff|you) (visit|look at|search|browse|do|go on)\b/gi, 'monitor $3 $4'],
];

/** A question, normalised: its everyday phrasings first, then as any text. */
export function normaliseQuestion(text: string): string {
  let out = text;
  for (const [pattern, replacement] of QUESTION_NORMALISATIONS) out = out.replace(pattern, replacement);
  return normalise(out);
}

/** Lower-cased, spelling-normalised text; "IT" (the department) survives as "ict" instead of vanishing as a stop word. */
export function normalise(text: string): string {
  let out = text.replace(/\bIT\b/g, 'ict');
  for (const [pattern, replacement] of NORMALISATIONS) out = out.replace(pattern, replacement);
  return out.toLowerCase().replace(/[a-z][a-z'-]*[a-z]/g, (w) => own(MISSPELLINGS, w) ?? w);
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

// Words the Porter stemmer cuts down to a different word ("evening" to "even", "business" to "busy", "authority"
// to "author", "officer" to "office"): kept whole, so that "parents' evenings" does not meet "even if".
const OVERSTEMMED: Record<string, string> = {
  evening: 'evening', evenings: 'evening', business: 'business', businesses: 'business', authority: 'authority',
  authorities: 'authority', officer: 'officer', officers: 'officer',
};

const stemCache = new Map<string, string>();

export function stemWord(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = /^\d+$/.test(word) ? word : (own(OVERSTEMMED, word) ?? stem(own(IRREGULAR, word) ?? word));
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

/**
 * Edit distance counting a swap of neighbouring letters as one typo ("recieve", "teh"), as typists make them;
 * abandoned early once it exceeds `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > max) return max + 1;
    before = previous;
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
