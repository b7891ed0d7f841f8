/**
 * What a message implies beyond "answer my question": whether a child may be at risk right now, and which
 * guided follow-up (incident report, filter change) to offer. Phrase patterns rather than single words,
 * because staff ask about "the dangers of the internet" far more often than they report danger.
 */

export type NextStep = 'report-incident' | 'filter-change';

const CHILD = String.raw`(?:child|children|kid|kids|pupil|pupils|student|students|boy|girl|learner|young person|he|she|they|him|her|them|my tutee|someone in my class|a year \d+)`;

const DANGER_PATTERNS: RegExp[] = [
  new RegExp(String.raw`\b${CHILD}\b[^.?!]{0,40}\b(?:is|are|may be|might be|could be|seems?|looks?)\b[^.?!]{0,20}\b(?:in (?:immediate |serious )?danger|at (?:immediate |serious |significant )?risk|unsafe|not safe)\b`, 'i'),
  /\b(?:in immediate danger|immediate risk|at risk of (?:significant )?harm|risk of serious harm|life is in danger|not safe to go home|scared to go home|afraid to go home)\b/i,
  /\b(?:suicid\w*|kill (?:him|her|them)sel(?:f|ves)|end (?:his|her|their) life|self[- ]?harm\w*|cutting (?:him|her|them)sel(?:f|ves)|overdos\w*)\b/i,
  /\b(?:hits?|hitting|beats?|beating|beaten|punch\w*|kick\w*|hurts?|hurting|burn\w*|strangl\w*|chok\w*|touch\w* (?:her|him|them) inappropriately|sexually abus\w*|abus(?:es|ing|ed))\b[^.?!]{0,30}\b(?:her|him|them|me|a child|a pupil|the child|the pupil)\b/i,
  /\b(?:stepdad|stepfather|stepmum|stepmother|dad|father|mum|mother|uncle|brother|boyfriend|parent|carer|someone at home)\b[^.?!]{0,30}\b(?:hits?|beats?|hurts?|abuses?|touches?|threaten\w*|punch\w*|kick\w*)\b/i,
  /\b(?:is being|was being|has been|been|being|got) (?:abused|hurt|hit|beaten|assaulted|raped|groomed|sexually exploited|trafficked|threatened with)\b/i,
  /\b(?:has gone |gone |is |went )?missing\b[^.?!]{0,30}\b(?:child|pupil|student|from school|from home|since)\b|\b(?:child|pupil|student|boy|girl)\b[^.?!]{0,30}\b(?:is missing|has gone missing|went missing|has run away|ran away)\b/i,
  /\b(?:meet(?:ing)? up with|going to meet|arranged to meet)\b[^.?!]{0,40}\b(?:stranger|someone (?:she|he|they) met online|adult (?:she|he|they) met online|person from (?:snapchat|instagram|tiktok|online))\b/i,
  /\bmeet(?:ing)?(?: up)?\b[^.?!]{0,40}\bmet (?:online|on (?:snapchat|instagram|tiktok|discord|roblox|a game))\b/i,
  /\b(?:has a (?:knife|weapon|gun)|brought a (?:knife|weapon|gun)|threatening to (?:hurt|kill|stab))\b/i,
];

const SAFE_FRAMING = /\b(?:teach(?:ing)?|lesson|curriculum|assembly|pshe|pshce|training|resources?|video about|talk about the)\b[^.?!]{0,30}\b(?:danger|risk|suicide|self[- ]?harm|abuse)/i;

/** True when the message says a child may be in immediate danger or is being harmed. */
export function childInDanger(text: string): boolean {
  const matched = DANGER_PATTERNS.some((p) => p.test(text));
  if (!matched) return false;
  // "how do I teach the dangers of self-harm" is a curriculum question; a disclosure in the same message still wins.
  return !SAFE_FRAMING.test(text) || /\b(?:told me|disclosed|said (?:that )?(?:her|his|their)|has been|is being)\b/i.test(text);
}

const REPORT_PATTERNS: RegExp[] = [
  /\breport(?:ing|ed)?\b/i,
  /\b(?:saw|seen|see|found|came across|showed me|shown|stumbled on|accidentally (?:opened|accessed|visited|clicked))\b[^.?!]{0,50}\b(?:porn\w*|nude\w*|inappropriate|indecent|explicit|obscene|offensive|violent|extremis\w*|gore|sexual|illegal|upsetting|disturbing)\b/i,
  /\b(?:porn\w*|nudes?|indecent images?|sexting|explicit (?:images?|photos?|pictures?|content))\b/i,
  /\b(?:disclos\w*|told me|confided)\b/i,
  /\b(?:abuse|abused|abusive|grooming|groomed|exploitation|radicali[sz]\w*|extremis\w*)\b/i,
  /\b(?:lost|stolen|left|mislaid|missing)\b[^.?!]{0,30}\b(?:laptop|phone|ipad|tablet|device|usb|memory stick|pen drive|data|files?|paperwork)\b|\b(?:laptop|phone|ipad|tablet|device|usb|memory stick|pen drive)\b[^.?!]{0,30}\b(?:lost|stolen|missing)\b/i,
  /\b(?:data breach|breach of data|sent (?:it|an email|the email|data) to the wrong|wrong (?:person|recipient|parent)|personal data (?:was |has been )?(?:shared|leaked|sent))\b/i,
  /\b(?:cyber ?bull\w*|bullied|bullying|harass\w*|troll\w*)\b/i,
  /\b(?:received|got|getting|been sent|sent me)\b[^.?!]{0,40}\b(?:abusive|threatening|offensive|nasty|inappropriate|malicious|obscene)\b/i,
  /\b(?:bypass\w*|get(?:ting)? round|get(?:ting)? around|circumvent\w*|vpn|proxy|hotspot\w*)\b[^.?!]{0,40}\b(?:filter\w*|block\w*|firewall|restrictions?)\b|\b(?:using|use|uses|used) (?:a )?(?:vpn|proxy)\b/i,
  /\b(?:hacked|phish\w*|virus|ransomware|malware|compromised)\b/i,
];

const FILTER_PATTERNS: RegExp[] = [
  /\b(?:unblock\w*|whitelist\w*|allow ?list\w*|blacklist\w*|block ?list\w*)\b/i,
  /\b(?:block(?:ed|ing)?|filter(?:ed|ing)?|restricted)\b[^.?!]{0,40}\b(?:site|website|page|url|link|category|app|youtube|domain)\b/i,
  /\b(?:site|website|page|url|link|category|youtube|domain)\b[^.?!]{0,40}\b(?:block(?:ed|ing)?|filtered|restricted|unblock\w*|open(?:ed)? up|allowed|access)\b/i,
  /\b(?:filter(?:ing)? change|change (?:to )?the filter\w*|change filter\w*|filter request|request (?:a )?(?:site|access))\b/i,
];

/** Which guided follow-ups fit the message (the answer's section is consulted so "what do I do if…" questions still qualify). */
export function nextSteps(text: string, answer?: { sectionTitle?: string }): NextStep[] {
  const steps: NextStep[] = [];
  const filterAsk = FILTER_PATTERNS.some((p) => p.test(text));
  const bypassing = /\b(?:bypass\w*|get(?:ting)? round|get(?:ting)? around|circumvent\w*|vpn|proxy)\b/i.test(text);
  if (REPORT_PATTERNS.some((p) => p.test(text)) && !(filterAsk && !bypassing && !/\breport/i.test(text))) steps.push('report-incident');
  else if (answer?.sectionTitle && /\b(incident|reporting|breach|misuse|concern)\b/i.test(answer.sectionTitle) && /\bwhat (?:do|should) i do\b/i.test(text)) steps.push('report-incident');
  if (filterAsk && !bypassing) steps.push('filter-change');
  return steps;
}
