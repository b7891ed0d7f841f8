import type { ChildProcess } from 'node:child_process';

/** The connection string a table server's process prints as `READY <it>` once it listens. */
export function connectionStringFrom(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the table server's process exited (code ${code}) before it was ready: ${out}`)));
  });
}
