import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
/** .vscode files are JSON with whole-line // comments (what VS Code and the toolkit templates write). */
const jsonc = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
const yml = (file: string) => parse(readFileSync(path.join(ROOT, file), 'utf8'));

interface Task {
  label: string;
  type?: string;
  command?: string;
  dependsOn?: string[];
  args?: { env?: string; ports?: Array<{ portNumber: number }>; portOccupancy?: number[] };
}
interface Step {
  uses: string;
  with?: { target?: string; envs?: Record<string, string>; artifactFolder?: string; args?: string };
}

const tasks: Task[] = jsonc('.vscode/tasks.json').tasks;
const launch = jsonc('.vscode/launch.json');
const byLabel = (label: string) => tasks.find((t) => t.label === label);
/** The settings file and port an environment's deploy step writes for the local bot process. */
function localSettings(file: string): { target: string; port: string } {
  const step = (yml(file).deploy as Step[]).find((s) => s.uses === 'file/createOrUpdateEnvironmentFile');
  assert.ok(step?.with?.target && step.with.envs, `${file} writes no settings file`);
  return { target: path.normalize(step.with.target), port: step.with.envs.PORT };
}
/** Every task a compound runs before launching, following dependsOn. */
function chain(label: string): Task[] {
  const task = byLabel(label);
  assert.ok(task, `no task "${label}"`);
  return [task, ...(task.dependsOn ?? []).flatMap(chain)];
}

describe('VS Code F5 (.vscode/launch.json, tasks.json)', () => {
  it('names only tasks and configurations that exist', () => {
    const configurations = new Set(launch.configurations.map((c: { name: string }) => c.name));
    for (const compound of launch.compounds) {
      for (const name of compound.configurations) assert.ok(configurations.has(name), `${compound.name}: no configuration "${name}"`);
      chain(compound.preLaunchTask);
    }
  });

  for (const [compound, env, file] of [['Debug in Teams (Edge)', 'local', 'teamsapp.local.yml'], ['Debug in Microsoft 365 Agents Playground', 'playground', 'teamsapp.playground.yml']]) {
    it(`"${compound}" deploys with ${file} and starts the bot with the settings it writes`, () => {
      const steps = chain(launch.compounds.find((c: { name: string }) => c.name === compound).preLaunchTask);
      const deploy = steps.find((t) => t.type === 'teamsfx' && t.command === 'deploy');
      assert.equal(deploy?.args?.env, env);
      const { target, port } = localSettings(file);
      const start = steps.find((t) => t.type === 'shell' && / dist\/bot\/index\.js$/.test(t.command ?? ''));
      const envFile = /--env-file=(\S+)/.exec(start?.command ?? '')?.[1];
      assert.equal(envFile && path.normalize(envFile), target);
      const inspect = Number(/--inspect=(\d+)/.exec(start?.command ?? '')?.[1]);
      assert.equal(launch.configurations.find((c: { name: string }) => c.name === 'Attach to Lantern').port, inspect);
      const occupancy = steps.find((t) => t.command === 'debug-check-prerequisites')?.args?.portOccupancy ?? [];
      assert.ok(occupancy.includes(Number(port)) && occupancy.includes(inspect), `ports checked: ${occupancy}`);
    });
  }

  it('tunnels the port the local bot listens on', () => {
    const tunnel = byLabel('Start local tunnel');
    assert.deepEqual(tunnel?.args?.ports?.map((p) => String(p.portNumber)), [localSettings('teamsapp.local.yml').port]);
  });
});

describe('teamsapp.yml deploy', () => {
  it('zip-deploys the folder `npm run package` stages, not the working tree', () => {
    const steps = yml('teamsapp.yml').deploy as Step[];
    assert.ok(steps.some((s) => s.uses === 'cli/runNpmCommand' && s.with?.args === 'run package'));
    const zip = steps.find((s) => s.uses === 'azureAppService/zipDeploy');
    assert.equal(path.normalize(zip?.with?.artifactFolder ?? ''), path.normalize('.deploy/app'));
    assert.match(readFileSync(path.join(ROOT, 'bot/tools/packageApp.ts'), 'utf8'), /projectPath\('\.deploy', 'app'\)/);
    assert.equal(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.package, 'tsx bot/tools/packageApp.ts');
  });
});
