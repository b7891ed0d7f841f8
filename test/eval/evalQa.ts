import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE_POLICIES, policyModule } from '../../bot/policy';
import { projectPath } from '../../bot/projectRoot';
import { visibleText } from '../support/cards';
import { startHarness } from '../support/harness';
import type { Member } from '../support/fakeConnector';

/**
 * `npm run eval:qa -- <questions.json> [--policies <dir>] [--verbose]`: asks every question through
 * the full bot over HTTP, one school's policy set per run (POLICY_DIR), and prints the hit rate.
 * A hit: one of the item's `any` phrases appears in the reply, and the reply is under 2,500
 * characters. Items naming a file of the example set use the whole example set.
 */
interface Item {
  policy: string;
  q: string;
  any: string[];
}

const MAX_REPLY = 2500;
const asker: Member = { id: '29:eval', name: 'Eval Teacher', aadObjectId: '33333333-3333-4333-8333-333333333333' };
const plain = (s: string) => s.replace(/\*\*/g, '').replace(/\s+/g, ' ').toLowerCase();

async function policyDirFor(policy: string, referenceDir: string): Promise<string> {
  if (existsSync(path.join(EXAMPLE_POLICIES, policy))) return EXAMPLE_POLICIES;
  const source = path.join(referenceDir, policy);
  if (!existsSync(source)) throw new Error(`policy file ${policy} not found in ${referenceDir}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-eval-'));
  await copyFile(source, path.join(dir, policy));
  return dir;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--policies');
  if (!file) throw new Error('usage: npm run eval:qa -- <questions.json> [--policies <dir>] [--verbose]');
  const policiesArg = args.indexOf('--policies');
  const referenceDir = policiesArg >= 0 ? path.resolve(args[policiesArg + 1]) : path.resolve(projectPath(), '../shared/policies');
  const verbose = args.includes('--verbose');
  const items = JSON.parse(await readFile(path.resolve(file), 'utf8')) as Item[];
  const groups = new Map<string, Item[]>();
  const dirs = new Map<string, string>();
  for (const item of items) {
    if (!dirs.has(item.policy)) dirs.set(item.policy, await policyDirFor(item.policy, referenceDir));
    const dir = dirs.get(item.policy)!;
    groups.set(dir, [...(groups.get(dir) ?? []), item]);
  }
  let hits = 0;
  const perPolicy: string[] = [];
  for (const [dir, group] of groups) {
    const h = await startHarness({ modules: [policyModule], env: { POLICY_DIR: dir } });
    let groupHits = 0;
    try {
      for (const item of group) {
        const reply = (await h.say(asker, item.q)).map(visibleText).join('\n');
        const hit = reply.length < MAX_REPLY && item.any.some((phrase) => plain(reply).includes(plain(phrase)));
        if (hit) groupHits += 1;
        else if (verbose) console.log(`MISS [${item.policy}] ${item.q}\n  wanted: ${item.any.join(' | ')}\n  got: ${plain(reply).slice(0, 300)}\n`);
      }
    } finally {
      await h.stop();
    }
    hits += groupHits;
    perPolicy.push(`  ${dir === EXAMPLE_POLICIES ? 'example policy set' : group[0].policy}`.padEnd(42) + `${groupHits}/${group.length}`);
  }
  console.log(`Policy Q&A evaluation: ${path.basename(file)} (${items.length} questions, over HTTP)`);
  console.log(perPolicy.join('\n'));
  console.log(`hit rate: ${hits}/${items.length} = ${((100 * hits) / items.length).toFixed(1)}%`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
