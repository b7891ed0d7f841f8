import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root, found from this file whether it runs as TypeScript (bot/) or compiled
 * (dist/bot/). Data files (cards/, example config and policies) are read from the source tree
 * rather than copied into dist/.
 */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);

export function projectPath(...segments: string[]): string {
  return path.join(PROJECT_ROOT, ...segments);
}
