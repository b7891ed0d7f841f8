/**
 * What a reporter can say happened. `illegal` marks the categories where the person must stop,
 * preserve the device and the case goes to the police: the school must not gather the material.
 */
export interface Category {
  id: string;
  label: string;
  illegal: boolean;
  /** Who handles it when it is not about a member of staff. */
  route: 'dsl' | 'staff' | 'data' | 'filter';
}

export const CATEGORIES: readonly Category[] = [
  { id: 'inappropriate-accidental', label: 'Inappropriate content seen (accidental)', illegal: false, route: 'dsl' },
  { id: 'inappropriate-deliberate', label: 'Inappropriate content seen (deliberate)', illegal: false, route: 'dsl' },
  { id: 'cyberbullying', label: 'Cyberbullying', illegal: false, route: 'dsl' },
  { id: 'grooming', label: 'Grooming concern', illegal: true, route: 'dsl' },
  { id: 'indecent-image', label: 'Indecent image of a child found', illegal: true, route: 'dsl' },
  { id: 'obscene-to-child', label: 'Obscene material sent to a child', illegal: true, route: 'dsl' },
  { id: 'extremism', label: 'Extremist content / Prevent concern', illegal: false, route: 'dsl' },
  { id: 'terrorist-racist', label: 'Criminally racist or terrorist material', illegal: true, route: 'dsl' },
  { id: 'filter-bypass', label: 'Filter bypass or VPN', illegal: false, route: 'filter' },
  { id: 'staff-misuse', label: 'Staff misuse of ICT', illegal: false, route: 'staff' },
  { id: 'threat-online', label: 'Threatening or malicious content about the school online', illegal: false, route: 'dsl' },
  { id: 'abuse-of-staff', label: 'Abusive message to a member of staff', illegal: false, route: 'dsl' },
  { id: 'data-breach', label: 'Data breach or lost device', illegal: false, route: 'data' },
  { id: 'other', label: 'Other', illegal: false, route: 'dsl' },
];

export function categoryById(id: unknown): Category | undefined {
  return CATEGORIES.find((c) => c.id === id);
}

export type Subject = 'pupil' | 'staff' | 'head' | 'outside' | 'unknown';

export const SUBJECTS: ReadonlyArray<{ id: Subject; label: string }> = [
  { id: 'pupil', label: 'A pupil or pupils' },
  { id: 'staff', label: 'A member of staff' },
  { id: 'head', label: 'The Head' },
  { id: 'outside', label: 'Someone outside school' },
  { id: 'unknown', label: 'Not known' },
];

export const PLACES = [
  { id: 'on-site', label: 'On site' },
  { id: 'off-site', label: 'Off site' },
  { id: 'online', label: 'Online' },
  { id: 'remote-lesson', label: 'Remote lesson' },
] as const;

/** The rules shown before anything else when the content may be illegal; each is recorded as done or not. */
export const PRESERVE_STEPS = [
  { id: 'stoppedLooking', label: 'I have not looked any further' },
  { id: 'notCopied', label: 'I have not copied, forwarded, printed or screenshotted it' },
  { id: 'screenOff', label: 'The screen is turned off, but the device is still switched on' },
  { id: 'secured', label: 'The device is secured where no one can use it' },
  { id: 'urlNoted', label: 'I have noted the web address (URL)' },
] as const;

export type PreserveStep = (typeof PRESERVE_STEPS)[number]['id'];

/** What the reporter should do next, by category: given on the receipt, in the policies' terms. */
export function adviceFor(category: Category): string[] {
  const advice: string[] = [];
  if (category.illegal) advice.push('Leave the device switched on and secured; do not look at, copy or send the material. The police will collect it.');
  if (category.id === 'abuse-of-staff') advice.push('Do not reply to the message. Keep it as evidence.');
  if (category.id === 'data-breach') advice.push('If a device is lost, tell IT now so it can be locked or wiped.');
  if (category.id === 'filter-bypass') advice.push('Do not try the bypass yourself; IT will check the filter.');
  advice.push('Do not discuss this with others or investigate further yourself. The person handling it may contact you.');
  return advice;
}
