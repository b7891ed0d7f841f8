import type { ZodError, ZodIssue } from 'zod';

/** Start-up stops with this: the message names the file and every bad field. */
export class ConfigError extends Error {
  constructor(readonly source: string, readonly problems: string[]) {
    super(`${source} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function fieldPath(path: Array<string | number>): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

export function describeIssues(error: ZodError, prefix: Array<string | number> = []): string[] {
  return error.issues.map((issue: ZodIssue) => `${fieldPath([...prefix, ...issue.path]) || '(top level)'}: ${issue.message}`);
}
