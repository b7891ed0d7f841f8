import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { settingsBlocks } from './bot/capabilities';
import { Roster } from './bot/config/roster';
import { readTrustFile } from './bot/trust/readTrustFile';
import { writeBenchTrust } from './test/bench/benchTrustFile';
(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tb-'));
  const t = await writeBenchTrust(dir, { schools: 30, people: 6000, policies: false });
  const trust = (await readTrustFile(t.file, settingsBlocks()))!;
  const rosters = trust.schools.map((s) => new Roster(s.validated.school));
  const domain = t.schools[17].unlisted[0].email!.split('@')[1];
  const old = (r: Roster) => new Set(r.config.people.map((p) => p.email?.split('@')[1]?.toLowerCase()).filter((d): d is string => !!d));
  for (const [label, has] of [['before (a Set of every roster\'s domains each turn)', (r: Roster) => old(r).has(domain)], ['after (Roster.mailDomains, once per configuration)', (r: Roster) => r.mailDomains().has(domain)]] as const) {
    for (let w = 0; w < 50; w++) rosters.filter(has);
    const t0 = performance.now(); const n = 500;
    for (let k = 0; k < n; k++) if (rosters.filter(has).length !== 1) throw new Error('not one school');
    console.log(label, ((performance.now() - t0) / n).toFixed(3), 'ms per routed turn');
  }
})();
