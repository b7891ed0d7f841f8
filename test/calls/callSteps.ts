import { cardText } from '../support/cards';

/** A call plan as the form submits it; tests override what they need. */
export const call = (over: Record<string, unknown> = {}) => ({ kind: 'video', pupil: 'Jamie Smith', year: 'Year 9', purpose: 'learning-enrichment', department: '', date: '2026-11-26', time: '16:00', reason: '', ...over });

/** The call's reference shown on a card. */
export const idOf = (card: unknown) => /CALL-\d{8}-[0-9A-F]{6}/.exec(cardText(card))?.[0] ?? '';
