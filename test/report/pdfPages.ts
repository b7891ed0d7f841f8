import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodePng, type RgbaImage } from '../../bot/tools/png';

const run = promisify(execFile);

/**
 * Whether Debian's poppler-utils is here. In CI (env CI set) its absence fails the test with this
 * message; on a developer's machine without it the PDF page check is skipped.
 */
export async function pdftoppmAvailable(): Promise<boolean> {
  try {
    await run('pdftoppm', ['-v']);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      if (process.env.CI) throw new Error('pdftoppm is not installed: CI must install poppler-utils (apt-get install poppler-utils) to check the report PDF is drawn');
      return false;
    }
    return true; // it ran, only `-v` exits non-zero on some versions
  }
}

/** Every page of `pdf` as pixels, rendered by pdftoppm at `dpi`. */
export async function pdfPages(pdf: Buffer, dpi = 40): Promise<RgbaImage[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-pdf-'));
  try {
    await writeFile(path.join(dir, 'report.pdf'), pdf);
    await run('pdftoppm', ['-r', String(dpi), '-png', path.join(dir, 'report.pdf'), path.join(dir, 'page')]);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    return Promise.all(files.map(async (f) => decodePng(await readFile(path.join(dir, f)))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Pixels that are not (near) white: what was drawn on the page. */
export function inkedPixels(page: RgbaImage): number {
  let n = 0;
  for (let i = 0; i < page.pixels.length; i += 4) if (page.pixels[i] < 240 || page.pixels[i + 1] < 240 || page.pixels[i + 2] < 240) n += 1;
  return n;
}

/** Pixels close to `hex` (anti-aliased edges aside): a chart's own colour, which no text uses. */
export function pixelsOf(page: RgbaImage, hex: string, tolerance = 12): number {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < page.pixels.length; i += 4) if (want.every((v, c) => Math.abs(page.pixels[i + c] - v) <= tolerance)) n += 1;
  return n;
}
