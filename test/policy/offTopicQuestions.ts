import { readFileSync } from 'node:fs';
import path from 'node:path';

// School questions that no online-safety or acceptable-use policy answers (facilities, calendar, HR,
// events), kept as data in test/eval/off-topic.json so `eval:measure` reads the same list: formal
// ones, several sharing a word with the policies ("term", "work", "lost", "park", "pay") to make the
// test honest, and informal ones typed the way staff write in Teams.
const SET = JSON.parse(readFileSync(path.resolve(__dirname, '../eval/off-topic.json'), 'utf8')) as { formal: string[]; informal: string[] };

export const OFF_TOPIC: readonly string[] = [...SET.formal, ...SET.informal];
