import { analyse } from './textAnalysis';
import { FIELD_LEXICON } from './fieldLexicon';

/**
 * Groups of words and phrases that staff use interchangeably when asking about school IT and online safety.
 * A question term found in a group is expanded to the group's other members (at a lower weight), so
 * "usb stick" finds "removable media" and "whatsapp" finds "instant messaging".
 */
// A group starting with '~' is everyday vocabulary (people, time, places, verbs): it helps retrieval but
// does not by itself make a question about IT or online safety. The other groups are topics.
// "word:0.4" marks a member that is ambiguous ("video" may be a call, "watch" a smartwatch): it still
// expands, but weighs less when it stands in for another member of the group, or another member for it.
const GROUPS: string[][] = [
  ['phone', 'mobile', 'mobile phone', 'smartphone', 'cell', 'cellphone', 'iphone', 'android', 'handset', 'device:0.5', 'personal device'],
  ['call', 'ring', 'telephone', 'phone call', 'phone'],
  ['unblock', 'allow access', 'whitelist', 'allowlist', 'unfilter', 'remove from the filter', 'filter change', 'change the filter', 'access to a blocked site', 'blocked site', 'temporarily remove'],
  ['block', 'filter', 'filtering', 'restrict', 'blacklist', 'blocklist', 'web filter', 'content filter'],
  ['filter', 'smoothwall', 'iboss', 'lightspeed', 'netsweeper', 'securly', 'fortiguard', 'firewall'],
  ['~', 'pupil', 'student', 'child', 'children', 'kid', 'young person', 'young people', 'learner', 'tutee', 'boy', 'girl', 'teenager', 'teen', 'sixth former', 'classmate', 'class:0.4'],
  ['social media', 'social network', 'social networking', 'facebook', 'instagram', 'snapchat', 'tiktok', 'twitter', 'linkedin', 'youtube', 'whatsapp', 'blog', 'discord', 'reddit', 'threads', 'bereal', 'pinterest', 'socials'],
  ['friend request', 'friend', 'follow', 'follower', 'add as a friend', 'connection request', 'befriend', 'add:0.4', 'accept:0.4'],
  ['instant messaging', 'instant message', 'whatsapp', 'imessage', 'text message', 'text', 'sms', 'messenger', 'message', 'msg', 'dm', 'chat:0.5'],
  ['memory stick', 'usb', 'usb stick', 'usb media', 'pen drive', 'flash drive', 'thumb drive', 'removable media', 'removable device', 'external hard drive', 'portable media', 'storage media'],
  ['email', 'mail', 'webmail', 'outlook', 'inbox', 'hotmail', 'gmail'],
  ['password', 'passphrase', 'login', 'credentials', 'username', 'passcode', 'signin', 'account details', 'pin'],
  ['photo', 'photograph', 'picture', 'image', 'pic', 'selfie', 'snap:0.4', 'video:0.4', 'footage', 'camera', 'film', 'digital image', 'imagery'],
  ['laptop', 'device', 'computer', 'ipad', 'tablet', 'pc', 'chromebook', 'desktop', 'equipment', 'hardware', 'machine', 'workstation', 'macbook', 'kindle', 'surface', 'ict systems:0.5', 'school systems:0.5'],
  ['~', 'parent', 'carer', 'guardian', 'family', 'mum', 'dad', 'mother', 'father'],
  ['teams', 'video call', 'video conferencing', 'zoom', 'live lesson', 'webcam', 'facetime', 'skype', 'google meet', 'online lesson', 'remote lesson', 'conferencing'],
  ['vpn', 'proxy', 'bypass', 'circumvent', 'get round', 'get around', 'workaround', 'tor', 'hotspot', 'tethering'],
  ['~', 'personal', 'own', 'home:0.5', 'private'],
  ['~', 'report', 'tell', 'inform', 'notify', 'raise a concern', 'flag', 'escalate', 'refer'],
  ['dsl', 'designated safeguarding lead', 'safeguarding lead', 'designated senior person', 'dsp', 'safeguarding team', 'child protection officer'],
  ['ict', 'ict support', 'helpdesk', 'help desk', 'technician', 'network manager', 'computer services', 'ict team', 'ict department', 'ict manager', 'technical staff'],
  ['pornography', 'porn', 'pornographic', 'obscene', 'indecent', 'explicit', 'adult content', 'adult material', 'sexual', 'nude', 'nudes', 'sexting', 'inappropriate material', 'inappropriate materials'],
  ['inappropriate', 'unsuitable', 'offensive', 'harmful', 'upsetting', 'disturbing', 'dodgy', 'horrible:0.5', 'vile:0.5', 'malicious:0.5'],
  ['bullying', 'cyberbullying', 'bully', 'bullied', 'harass', 'harassment', 'trolling', 'abusive', 'threatening', 'nasty', 'picking on', 'horrible:0.5', 'mean:0.3'],
  // Everyday words for a message or post that hurts: they point at the policies' formal ones.
  ['abusive', 'offensive', 'threatening', 'malicious', 'horrible', 'nasty', 'vile', 'rude', 'hurtful', 'unkind', 'hateful', 'racist', 'sexist', 'homophobic', 'worrying', 'unpleasant', 'unwanted'],
  ['compromised', 'hacked', 'hack:0.5', 'hijacked', 'breached:0.5', 'someone else has my password', 'account taken over', 'unauthorised access:0.5', 'unauthorized access:0.5'],
  ['violence', 'violent', 'fight', 'fighting', 'assault', 'weapon', 'weapons', 'gore', 'gory'],
  ['register', 'registration', 'sign up', 'signup', 'subscribe', 'subscription', 'create an account', 'contract:0.5', 'terms and conditions'],
  ['~', 'responsible', 'responsibility', 'responsibilities', 'lead:0.5', 'role:0.5', 'duty:0.5', 'accountable'],
  ['allegation', 'accusation', 'accuse', 'accused', 'allege', 'alleged', 'complaint:0.5'],
  ['head', 'headteacher', 'head teacher', 'headmaster', 'headmistress', 'principal', 'head of school'],
  ['outage', 'technical difficulties', 'technical problems', 'technical issues', 'not working:0.5', 'crashed', 'fault', 'glitch', 'fails', 'failure'],
  ['large', 'big', 'bigger', 'biggest', 'huge', 'size', 'limit', 'maximum', 'max', 'mb', 'megabytes', 'gb'],
  ['former', 'ex', 'recent', 'past', 'left the school', 'leaver', 'alumni', 'old'],
  ['~', 'receive', 'receipt', 'been sent', 'got sent', 'arrived'],
  ['critical', 'criticise', 'criticize', 'criticism', 'complain', 'complaining', 'rant', 'slag off', 'badmouth', 'bad mouth', 'negative comments', 'disrepute', 'reputation:0.5'],
  ['~', 'withdraw', 'withdrawn', 'take back', 'revoke', 'opt out', 'change their mind', 'cancel'],
  ['consent', 'permission', 'agreement:0.5', 'opt in', 'sign off:0.5'],
  ['personal information', 'personal info', 'personal details', 'identifiable information', 'personal data:0.7'],
  ['~', 'someone else', 'somebody else', 'another person', 'another individual', 'another user', 'other users', 'other people'],
  ['~', 'concern', 'concerned', 'worried', 'worry', 'worrying', 'uneasy'],
  ['~', 'lost', 'lose', 'stolen', 'theft', 'missing', 'mislaid', 'left:0.3'],
  ['data breach', 'breach', 'personal data', 'gdpr', 'data protection', 'leak', 'sensitive data', 'confidential'],
  ['virus', 'malware', 'ransomware', 'phishing', 'scam', 'suspicious', 'hoax', 'spam', 'dodgy link'],
  ['attachment', 'attached', 'attach', 'file', 'exe', 'executable', 'download'],
  ['install', 'download', 'software', 'app', 'application', 'program', 'programme'],
  ['gambling', 'gamble', 'betting', 'bet', 'casino', 'bookies', 'lottery'],
  ['shopping', 'shop', 'buy', 'purchase', 'amazon', 'ebay', 'order'],
  ['banking', 'bank', 'financial transaction', 'finance', 'pay bills'],
  ['game', 'gaming', 'games', 'play:0.4'],
  ['sanction', 'discipline', 'disciplinary', 'consequence', 'punishment', 'dismissal', 'misconduct', 'sacked', 'fired', 'trouble', 'breach'],
  ['monitor', 'monitoring', 'monitored', 'track', 'tracking', 'surveillance', 'spy', 'spying', 'snoop', 'watch:0.4', 'log:0.5', 'logged:0.5', 'screen:0.4', 'intercept:0.5'],
  ['record', 'log', 'note', 'write down', 'keep a record', 'spreadsheet'],
  ['~', 'contact', 'communicate', 'communication', 'speak', 'talk', 'get in touch', 'message', 'msg', 'dm', 'text', 'texting', 'ring:0.5', 'phone call:0.5'],
  ['~', 'remote', 'working from home', 'work from home', 'wfh', 'off site', 'offsite', 'remote learning', 'remote access', 'remotely', 'home'],
  ['wifi', 'wireless', 'network', 'internet', 'hotspot', 'broadband', 'web', 'internet access', 'online:0.5'],
  ['website', 'site', 'web page', 'webpage', 'url', 'link', 'web address'],
  ['smartwatch', 'watch', 'apple watch', 'wearable', 'fitbit'],
  ['encrypt', 'encryption', 'encrypted', 'password protected', 'secure'],
  ['cctv', 'security camera', 'surveillance', 'camera:0.4'],
  ['anonymous', 'anonymously', 'anonymity', 'without my name', 'unnamed'],
  ['lock', 'locked', 'lock screen', 'screen lock', 'log off', 'logged off', 'unattended'],
  ['~', 'incident', 'event', 'situation', 'episode'],
  ['~', 'colleague', 'employee', 'staff member', 'member of staff', 'coworker', 'co worker'],
  ['~', 'late at night', 'at night', 'night', 'evening', 'weekend', 'out of hours', 'after hours', 'outside school hours', 'outside normal school hours', 'specific times'],
  ['~', 'off sick', 'sick', 'ill', 'illness', 'absence', 'absent', 'on leave'],
  ['inappropriate relationship', 'relationship', 'favouritism', 'boundaries', 'professional boundaries'],
  ['copyright', 'plagiarism', 'intellectual property', 'cite', 'citation', 'reference', 'bibliography', 'source', 'acknowledge'],
  ['chatroom', 'chat', 'forum', 'web forum', 'message board'],
  ['grooming', 'groom', 'sexual exploitation', 'cse', 'predator', 'stranger'],
  ['extremism', 'radicalisation', 'radicalization', 'terrorism', 'terrorist', 'prevent', 'extremist'],
  ['police', '999', 'emergency', 'ceop'],
  ['guest', 'visitor', 'supply teacher', 'supply', 'trainee', 'contractor', 'temporary access'],
  ['personal use', 'own use', 'private use', 'recreational', 'non work', 'personal business', 'personal browsing', 'personal matters', 'personal stuff', 'personal reasons', 'browsing'],
  ['abuse', 'abused', 'hit', 'hurt', 'harm', 'neglect', 'disclosure', 'disclose'],
  ['~', 'delete', 'remove', 'erase', 'wipe', 'get rid'],
  ['~', 'share', 'forward', 'send', 'distribute', 'pass on', 'circulate', 'post', 'put:0.5', 'upload', 'publish'],
  ['screenshot', 'screen shot', 'copy', 'capture', 'print screen'],
  ['print', 'printer', 'printing', 'photocopy'],
  ['cc', 'bcc', 'reply all', 'recipients', 'mailing list', 'distribution list', 'group email'],
  ['~', 'break', 'lunchtime', 'lunch', 'lunch break', 'lunch hour', 'breaktime', 'break time', 'free period', 'before school', 'after school', 'outside lesson time', 'outside recorded working time', 'free time'],
  ['~', 'work', 'workplace', 'working hours', 'working time', 'school time', 'job'],
  ['~', 'lesson', 'class', 'classroom', 'teaching'],
  ['wellbeing', 'pastoral', 'counselling', 'mental health', 'welfare'],
  ['cloud', 'onedrive', 'dropbox', 'google drive', 'icloud', 'sharepoint', 'cloud storage'],
  ['information', 'info', 'details', 'data'],
  ['wrong', 'incorrect', 'mistake', 'wrong person', 'wrong recipient'],
  ['~', 'accidentally', 'inadvertently', 'by mistake', 'unintentionally', 'accidental', 'inadvertent'],
  ['investigate', 'investigation', 'review', 'inquiry', 'suspicion', 'suspected'],
  ['~', 'admin', 'administrative', 'administration', 'office'],
  ['~', 'change', 'alter', 'modify', 'amend', 'edit', 'tamper', 'reconfigure'],
  ['~', 'settings', 'configuration', 'config', 'set up', 'setup'],
  ['mfa', 'multi factor', '2fa', 'two factor', 'authenticator', 'sign in prompt', 'authentication', 'approve a sign in'],
  ['~', 'invite', 'invited', 'attendee', 'participant', 'attend', 'join', 'optional attendee'],
  ['~', 'abroad', 'overseas', 'another country', 'international', 'outside the school'],
  ['credit', 'acknowledge', 'cite', 'reference', 'attribution', 'plagiarism', 'copyright'],
  ['crime', 'criminal', 'illegal', 'unlawful', 'offence', 'against the law', 'prosecution'],
  ['film', 'filming', 'video', 'footage'],
  ['~', 'play', 'performance', 'concert', 'school event', 'show:0.4'],
  ['~', 'see', 'view', 'access:0.5', 'look at', 'read', 'viewed'],
  ['ai', 'chatgpt', 'copilot', 'gemini', 'generative ai', 'artificial intelligence'],
];

export interface Expansion {
  /** Stemmed tokens of the related phrase: all must occur for the phrase to match. */
  tokens: string[];
  weight: number;
}

export interface SynonymTable {
  /** Longest phrases (in tokens) we look for in a question. */
  maxPhraseLength: number;
  /** Stemmed phrase (tokens joined by space) → related phrases. */
  related: Map<string, Expansion[]>;
  /** Stemmed phrases of topic groups, and of everyday ones. */
  topical: Set<string>;
  everyday: Set<string>;
}

const SYNONYM_WEIGHT = 0.7;

function buildTable(groups: string[][]): SynonymTable {
  const related = new Map<string, Expansion[]>();
  const topical = new Set<string>();
  const everyday = new Set<string>();
  let maxPhraseLength = 1;
  for (const entries of groups) {
    const isEveryday = entries[0] === '~';
    const group = isEveryday ? entries.slice(1) : entries;
    const members = group.map((entry) => {
      const [phrase, weight] = entry.split(':');
      return { phrase, tokens: analyse(phrase), weight: weight === undefined ? SYNONYM_WEIGHT : Number(weight) };
    });
    // A phrase that loses words to the stop list ("off site" → "site") would stand for something else entirely.
    const phrases = members.filter((m) => m.tokens.length === m.phrase.split(/\s+/).length);
    for (const { tokens, weight } of phrases) {
      const key = tokens.join(' ');
      (isEveryday ? everyday : topical).add(key);
      maxPhraseLength = Math.max(maxPhraseLength, tokens.length);
      const list = related.get(key) ?? [];
      for (const other of phrases) {
        const otherKey = other.tokens.join(' ');
        if (otherKey === key || list.some((e) => e.tokens.join(' ') === otherKey)) continue;
        list.push({ tokens: other.tokens, weight: Math.min(weight, other.weight) });
      }
      related.set(key, list);
    }
  }
  return { maxPhraseLength, related, topical, everyday };
}

/** Whether a stemmed word appears anywhere in the table (such words are known, so never "corrected"). */
export function isKnownTerm(stemmed: string, table: SynonymTable = DEFAULT_SYNONYMS): boolean {
  return table.related.has(stemmed);
}

export const DEFAULT_SYNONYMS: SynonymTable = buildTable([...GROUPS, ...FIELD_LEXICON.map((e) => e.group)]);

/** Related phrases for a stemmed phrase, or an empty list. */
export function expansionsFor(stemmedPhrase: string[], table: SynonymTable = DEFAULT_SYNONYMS): Expansion[] {
  return table.related.get(stemmedPhrase.join(' ')) ?? [];
}
