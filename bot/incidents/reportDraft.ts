/** The reporter's draft in the draft store, and the steps it passes through after the form. */
export const REPORT_FORM = 'incident';
/** Send pressed: the draft holds the report until its outbox task has finished. */
export const SENDING_STEP = 'sending';
/** Sent: a later press on the old card shows the receipt again. */
export const SENT_STEP = 'sent';
