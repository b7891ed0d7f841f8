/**
 * Words of the safeguarding and school-IT field that staff type instead of the policies' formal wording,
 * each with the reason it belongs here. An entry is general knowledge of the field (statutory guidance,
 * the bodies schools deal with, how schools name people and places), never a patch for one question.
 * Merged into the synonym table (synonyms.ts); a group starting with '~' is everyday vocabulary that helps
 * retrieval without making a question about online safety.
 */
export interface LexiconEntry {
  group: string[];
  reason: string;
}

export const FIELD_LEXICON: LexiconEntry[] = [
  {
    group: ['lado', 'local authority designated officer', 'designated officer', 'allegation', 'allegations'],
    reason: 'KCSIE Part 4: allegations that an adult working with children may have harmed a child go to the LADO.',
  },
  {
    group: ['iwf', 'internet watch foundation', 'child abuse list', 'url list'],
    reason: 'The IWF keeps the list of child sexual abuse URLs that school filters must block; staff name the body for the content.',
  },
  {
    group: ['ceop', 'child exploitation', 'online protection', 'report abuse button', 'report button', 'online report'],
    reason: "CEOP is the National Crime Agency's child protection command; its report button is how pupils report online abuse.",
  },
  {
    group: ['kcsie', 'keeping children safe', 'statutory guidance', 'safer working practice'],
    reason: "Keeping Children Safe in Education is the DfE's statutory safeguarding guidance that these policies follow.",
  },
  {
    group: ['aup', 'acceptable use policy', 'acceptable use agreement', 'acceptable use', 'responsible use'],
    reason: 'AUP is how every school abbreviates its acceptable use policy or agreement.',
  },
  {
    group: ['esafety', 'online safety', 'internet safety', 'digital safety'],
    reason: 'Schools renamed e-safety to online safety; staff use either.',
  },
  {
    group: ['slt', 'senior leadership team', 'senior leader', 'senior leaders', 'senior management', 'smt', 'leadership team'],
    reason: 'SLT/SMT is the usual name for the senior leadership team that policies make responsible.',
  },
  {
    group: ['hod', 'department head', 'hoy', 'year head', 'hoh', 'house head', 'middle leader', 'line manager:0.5'],
    reason: 'Middle leaders are named by abbreviation; policies route many reports through them or the line manager.',
  },
  {
    group: ['~', 'trip', 'school trip', 'residential', 'outing', 'excursion', 'visit', 'offsite'],
    reason: 'A school trip is an off-site visit; policies speak of visits and off-site activities.',
  },
  {
    group: ['~', 'tutor group', 'form', 'form group', 'form class', 'tutor time', 'form time', 'tutees'],
    reason: 'The pastoral group is called a form or tutor group depending on the school.',
  },
  {
    group: ['instant messaging', 'direct message', 'private message', 'pm', 'dms', 'group chat'],
    reason: 'DMs and group chats on social apps are the instant messaging the policies regulate.',
  },
  {
    group: ['friend request', 'follow request', 'followed', 'following', 'follow back'],
    reason: 'On Instagram, TikTok or Snapchat a "follow" is what policies call accepting a pupil as a friend.',
  },
  {
    group: ['sexting', 'nudes', 'semi nudes', 'youth produced sexual imagery', 'indecent image', 'sexual images'],
    reason: "UKCIS guidance calls pupils' sharing of nudes 'youth produced sexual imagery'; staff say nudes or sexting.",
  },
  {
    group: ['prevent', 'radicalisation', 'extremism', 'extremist', 'channel referral'],
    reason: 'The Prevent duty covers radicalisation; a Channel referral is its route.',
  },
  {
    group: ['~', 'wear', 'wearing', 'dressed', 'dress', 'attire', 'clothes', 'clothing', 'outfit'],
    reason: 'Staff ask what to wear; policies on live lessons and photographs say "appropriately dressed" or "attire".',
  },
  {
    group: ['~', 'hide', 'hiding', 'conceal', 'mask', 'disguise'],
    reason: 'Policies forbid concealing identities or activity (VPNs, proxies); staff say hide.',
  },
  {
    group: ['~', 'confiscate', 'confiscation', 'seize', 'take away', 'search'],
    reason: 'Policies give the school the power to search or confiscate devices; staff say take it off them or take it away.',
  },
  {
    group: ['~', 'new starter', 'new staff', 'new employee', 'new employees', 'joining', 'induction', 'beginning employment'],
    reason: 'Schools call staff in their first weeks new starters; policies speak of new employees, joining the school and induction.',
  },
  {
    group: ['~', 'teaching assistant', 'teaching assistants', 'ta', 'tas', 'lsa', 'lsas', 'learning support assistant', 'support staff'],
    reason: 'Schools call classroom support staff TAs or LSAs; policies write teaching assistants or support staff.',
  },
  {
    group: ['commercial', 'business', 'commercial business', 'commercial purposes', 'financial gain', 'personal financial gain', 'profit', 'sell', 'selling', 'side business', 'side hustle', 'etsy', 'vinted', 'advertise', 'advertising'],
    reason: 'Acceptable use policies forbid school IT for commercial purposes or personal financial gain; staff speak of selling, their shop or a side business.',
  },
  {
    group: ['ip', 'ip address', 'network identity', 'network identities'],
    reason: 'An IP address is what identifies a device on a network; policies forbid concealing network identities.',
  },
  {
    group: ['google', 'google images', 'image search', 'web images', 'copyright:0.5', 'copyright issues:0.5'],
    reason: "Pictures and text taken 'off Google' are other people's work found on the internet, which the policies' copyright rules cover.",
  },
];
