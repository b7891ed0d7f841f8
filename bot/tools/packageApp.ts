import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { projectPath } from '../projectRoot';

/**
 * `npm run package`: what App Service runs, and nothing else. Compiles, then stages in
 * .deploy/app/ the compiled bot (dist/bot), the data files the bot reads at run time (cards/,
 * and every non-TypeScript file under bot/: example configuration and policies) and the
 * production dependencies from the lockfile, and zips that folder to .deploy/lantern-app.zip.
 * teamsapp.yml deploys .deploy/app; the zip is the same content for a manual zip deploy.
 */
const STAGE = projectPath('.deploy', 'app');
const ZIP = projectPath('.deploy', 'lantern-app.zip');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
}

function copyData(fromDir: string, toDir: string): void {
  for (const entry of readdirSync(fromDir, { withFileTypes: true })) {
    const from = path.join(fromDir, entry.name);
    if (entry.isDirectory()) copyData(from, path.join(toDir, entry.name));
    else if (!entry.name.endsWith('.ts')) {
      mkdirSync(toDir, { recursive: true });
      cpSync(from, path.join(toDir, entry.name));
    }
  }
}

function addFolder(zip: JSZip, dir: string, prefix: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) addFolder(zip, full, name);
    else if (entry.isFile()) zip.file(name, readFileSync(full), { unixPermissions: statSync(full).mode });
  }
}

async function main(): Promise<void> {
  rmSync(projectPath('.deploy'), { recursive: true, force: true });
  run(npm, ['run', 'build'], projectPath());
  mkdirSync(STAGE, { recursive: true });
  cpSync(projectPath('dist', 'bot'), path.join(STAGE, 'dist', 'bot'), { recursive: true });
  cpSync(projectPath('cards'), path.join(STAGE, 'cards'), { recursive: true });
  copyData(projectPath('bot'), path.join(STAGE, 'bot'));
  for (const file of ['package.json', 'package-lock.json']) cpSync(projectPath(file), path.join(STAGE, file));
  // No production dependency needs its install script (package.json allowScripts says why each is off),
  // so none runs here, whichever npm version packages the app.
  run(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], STAGE);

  const zip = new JSZip();
  addFolder(zip, STAGE, '');
  const content = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
  writeFileSync(ZIP, content);
  const files = Object.values(zip.files).filter((f) => !f.dir).length;
  console.log(`package: ${path.relative(projectPath(), ZIP)}, ${(content.length / 1024 / 1024).toFixed(1)} MB, ${files} files (staged in ${path.relative(projectPath(), STAGE)}/)`);
}

main().catch((err: unknown) => {
  console.error(`package: ${(err as Error).message}`);
  process.exit(1);
});
