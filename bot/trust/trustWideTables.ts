/**
 * Tables every school of a trust shares; every other table is partitioned by school (see
 * TableProvisioner.forSchool), so one school's export, report, retention sweep or deletion never
 * reads another's rows. A table is trust-wide only when its rows are read before a turn's school
 * is known, or belong to a person or a Teams conversation rather than to a school:
 *
 * - inbox: where earlier versions claimed activity ids; only swept now. Ids and times, nothing more.
 * - turnstate: teams-ai loads it (per conversation and user) before any route runs, and the
 *   redelivery claim lives in the user's row, so a Teams redelivery is caught whichever school the
 *   turn turns out to be for. Lantern keeps only small conversation memory there, never a record.
 * - people: the people directory. A person has one Teams identity and one 1:1 chat with the bot
 *   however many schools list them; team member lists belong to the team, not to a school.
 * - pendingFiles: a file-consent press carries only the file's id, and the messenger that offers
 *   files is shared. Its rows are short-lived and only ever read by that id.
 * - schoolchoice: which school a conversation is for, needed to route the turn in the first place.
 * - startuplease: the one row saying which instance is moving a single school's old rows into the
 *   trust's layout at start-up (bot/trust/migrationLease.ts), taken before any school runs.
 */
export const TRUST_WIDE_TABLES = ['inbox', 'turnstate', 'people', 'pendingFiles', 'schoolchoice', 'startuplease'] as const;
