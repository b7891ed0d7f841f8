import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CardKind } from './checkRules';
import type { Finding } from './judge';

export interface GalleryCard {
  id: string;
  source: string;
  kind: CardKind;
  budgetPx: number;
  shots: Array<{ variant: string; png: string; height: number; findings: Array<Finding & { known?: string }> }>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One HTML page a reviewer opens: every card, side by side in each theme and width, findings under each. */
export function writeGallery(outDir: string, cards: GalleryCard[], summary: string): string {
  const rows = cards.map((c) => {
    const bad = c.shots.some((s) => s.findings.some((f) => !f.known));
    const shots = c.shots.map((s) => `
      <figure class="${s.findings.some((f) => !f.known) ? 'bad' : s.findings.length ? 'known' : 'ok'}">
        <figcaption>${esc(s.variant)} · ${s.height} px</figcaption>
        <a href="${esc(s.png)}"><img loading="lazy" src="${esc(s.png)}" alt="${esc(`${c.id} ${s.variant}`)}"></a>
        ${s.findings.length ? `<ul>${s.findings.map((f) => `<li>${f.known ? `<b>known</b> (${esc(f.known)}): ` : ''}<b>${f.rule}</b>: ${esc(f.reason)}</li>`).join('')}</ul>` : ''}
      </figure>`).join('');
    return `<section id="${esc(c.id)}" class="${bad ? 'bad' : 'ok'}"><h2>${esc(c.id)} <small>${esc(c.kind)}, budget ${c.budgetPx} px · ${esc(c.source)}</small></h2><div class="shots">${shots}</div></section>`;
  });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lantern cards</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 16px; background: #fafafa; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 15px; margin: 24px 0 8px; } small { font-weight: normal; color: #555; }
.shots { display: flex; gap: 12px; align-items: flex-start; overflow-x: auto; }
figure { margin: 0; padding: 6px; border: 2px solid #ccc; background: #fff; }
figure.bad { border-color: #c4314b; } figure.known { border-color: #c19c00; }
figure img { display: block; max-width: 470px; }
figure ul { max-width: 460px; margin: 6px 0 0; padding-left: 18px; font-size: 12px; }
nav label { margin-right: 12px; }
body.only-bad section.ok { display: none; }
</style></head><body>
<h1>Lantern cards in the Adaptive Cards renderer (headless Chromium)</h1>
<p>${esc(summary)}</p>
<nav><label><input type="checkbox" onchange="document.body.classList.toggle('only-bad', this.checked)"> only cards with findings</label></nav>
${rows.join('\n')}
</body></html>`;
  const file = join(outDir, 'index.html');
  writeFileSync(file, html);
  return file;
}
