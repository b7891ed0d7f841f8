// `npm run cards:check` / `npm run cards:gallery`: renders every card template (with the unit
// tests' samples and this folder's long-text samples) and every card the e2e tests captured, with
// the official Adaptive Cards renderer in headless Chromium, in Teams-like light, dark and
// high-contrast host configs at 450 px and 340 px. Writes a PNG of each and an HTML gallery;
// the check exits non-zero listing card, theme, width and reason for each new finding.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../bot/projectRoot';
import { budgetPx, kindOf, openFolds, type CardKind } from './checkRules';
import { capturedCards, templateCards, untaggedFinding, type CardUnderCheck } from './collectCards';
import { CARDS_DIR, jsonNames } from '../support/cardSamples';
import { writeGallery, type GalleryCard } from './gallery';
import { judge, type Finding, type Measurement } from './judge';

interface Theme {
  name: string;
  hostConfig: Record<string, any>;
  page: Record<string, string>;
}

interface Variant { theme: Theme; width: number; label: string }

interface KnownFinding { card: string; rule: string; reason?: string; why: string }

const HERE = __dirname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where Debian's Chromium keeps its UI languages. */
const DEBIAN_LOCALES = '/usr/lib/chromium/locales';
const AC_DIST = join(PROJECT_ROOT, 'node_modules', 'adaptivecards', 'dist');

function usage(): never {
  console.error('usage: cardsCheck [--gallery] [--captured DIR] [--out DIR] [--only TEXT]');
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const opts = { gallery: false, captured: process.env.LANTERN_CARD_CAPTURE_DIR ?? join(PROJECT_ROOT, 'reports', 'captured-cards'), out: join(PROJECT_ROOT, 'reports', 'cards'), only: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--gallery') opts.gallery = true;
    else if (a === '--captured') opts.captured = resolve(argv[++i] ?? usage());
    else if (a === '--out') opts.out = resolve(argv[++i] ?? usage());
    else if (a === '--only') opts.only = argv[++i] ?? usage();
    else usage();
  }
  return opts;
}

function loadTheme(name: string): Theme {
  const raw = JSON.parse(readFileSync(join(HERE, 'hostConfigs', `${name}.json`), 'utf8'));
  return { name, hostConfig: raw.hostConfig, page: raw.page };
}

/** The host's own styling around the card: page, buttons and inputs, as Teams draws them per theme. */
function hostCss(t: Theme): string {
  const p = t.page;
  const bg = t.hostConfig.containerStyles.default.backgroundColor;
  return `
html, body { margin: 0; background: ${p.background}; }
#frame { display: inline-block; padding: 12px; background: ${p.background}; }
#host { background: ${bg}; border: 1px solid ${p.cardBorder}; border-radius: 6px; overflow: hidden; }
.ac-pushButton { background: ${p.buttonBackground}; color: ${p.buttonText}; border: 1px solid ${p.buttonBorder}; border-radius: 4px; font-family: 'Segoe UI', 'Liberation Sans', Arial, sans-serif; min-height: 32px; }
.ac-pushButton.style-positive, .ac-pushButton.expanded { background: ${p.positiveBackground}; color: ${p.positiveText}; border-color: ${p.positiveBackground}; }
.ac-pushButton.style-destructive { background: ${p.destructiveBackground}; color: ${p.destructiveText}; border-color: ${p.destructiveText === '#FFFF01' ? p.destructiveText : p.destructiveBackground}; }
.ac-input, .ac-input select, .ac-input input, .ac-input textarea { background: ${p.inputBackground}; color: ${p.inputText}; border-color: ${p.inputBorder}; font-family: 'Segoe UI', 'Liberation Sans', Arial, sans-serif; }
.ac-input { border-color: ${p.inputBorder} !important; }
/* The renderer draws a show-card button's chevron in an icon font a browser here does not have. */
.ac-pushButton.expandable:after { font-family: inherit; content: ' \\25BE'; }
.ac-pushButton.expandable.expanded:after { content: ' \\25B4'; }
.ac-textBlock a, .ac-richTextBlock a { color: ${p.link}; }
.ac-textBlock p { margin: 0; }
/* The renderer sets a list's width to 100%; Teams' own list style keeps the indent inside it. */
.ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 20px; box-sizing: border-box; }
`;
}

async function openPage(browser: BrowserContext, theme: Theme): Promise<Page> {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><div id="frame"><div id="host"></div></div></body></html>');
  await page.addStyleTag({ path: join(AC_DIST, 'adaptivecards.css') });
  await page.addStyleTag({ content: hostCss(theme) });
  await page.addScriptTag({ path: join(AC_DIST, 'adaptivecards.min.js') });
  await page.addScriptTag({ path: join(HERE, 'page', 'measure.js') });
  return page;
}

/** Teams on a phone stacks a card's buttons full width; on a desktop it lays them in a row. */
function hostConfigAt(theme: Theme, width: number): Record<string, any> {
  if (width > PHONE_MAX_WIDTH) return theme.hostConfig;
  return { ...theme.hostConfig, actions: { ...theme.hostConfig.actions, actionsOrientation: 'vertical', actionAlignment: 'stretch' } };
}

const PHONE_MAX_WIDTH = 360;

const safe = (id: string) => id.replace(/[^A-Za-z0-9+_-]+/g, '_');

function knownFor(known: KnownFinding[], card: CardUnderCheck, f: Finding): KnownFinding | undefined {
  return known.find((k) => (card.template === k.card || card.id === k.card || card.id.startsWith(`${k.card}#`) || card.id.startsWith(`${k.card}+`))
    && k.rule === f.rule && (!k.reason || f.reason.includes(k.reason)));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(CHROMIUM)) {
    console.error(`cards:check needs Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`);
    process.exit(2);
  }
  if (!hasLiberationSans()) {
    console.log('no Liberation Sans (apt-get install fonts-liberation): text is measured in a wider fallback font, so buttons that fit in Teams may be reported as overflowing');
  }
  if (existsSync(DEBIAN_LOCALES) && !existsSync(join(DEBIAN_LOCALES, 'en-GB.pak'))) {
    console.log(`no en-GB locale in ${DEBIAN_LOCALES}: date inputs will show mm/dd/yyyy, not what a UK teacher sees (apt-get install chromium-l10n)`);
  }
  const known = JSON.parse(readFileSync(join(HERE, 'known-findings.json'), 'utf8')) as KnownFinding[];
  const captured = capturedCards(opts.captured);
  const cards = [...templateCards(), ...captured.sample].filter((c) => !opts.only || c.id.includes(opts.only));
  const light = loadTheme('light');
  const dark = loadTheme('dark');
  const contrast = loadTheme('highContrast');
  const variants: Variant[] = [
    { theme: light, width: 450, label: 'light 450' },
    { theme: light, width: 340, label: 'light 340' },
    { theme: dark, width: 450, label: 'dark 450' },
    { theme: dark, width: 340, label: 'dark 340' },
    { theme: contrast, width: 450, label: 'highContrast 450' },
  ];
  rmSync(opts.out, { recursive: true, force: true });
  mkdirSync(opts.out, { recursive: true });

  // A new empty profile each run: nothing from an earlier run or another Chromium user leaks in.
  const userDataDir = mkdtempSync(join(tmpdir(), 'lantern-cards-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 520, height: 800 },
    // A UK school's Teams. `locale` sets the page's language and Intl; the date input's own
    // dd/mm/yyyy comes from the browser's UI language, which Chromium on Linux takes from LANGUAGE
    // and can only use when its en-GB locale file is installed (Debian: chromium-l10n).
    locale: 'en-GB',
    env: { ...process.env, LANGUAGE: 'en_GB' },
    timezoneId: 'Europe/London',
    deviceScaleFactor: 1,
    args: ['--headless', '--lang=en-GB', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const gallery: GalleryCard[] = cards.map((c) => {
    const kind = kindOf(c.template, c.card);
    return { id: c.id, source: c.source, kind, budgetPx: budgetPx(kind), shots: [] };
  });
  // A captured card with no template is a finding of its own, before any browser work.
  const failures: string[] = captured.untagged.map((c) => untaggedFinding(c)!);
  const knownSeen = new Set<KnownFinding>();
  const counts = { renders: 0, findings: 0, known: 0, failedRenders: 0 };
  try {
    // One page per theme and width, all at once: the two cores stay busy while one page waits.
    await Promise.all(variants.map(async (v) => {
      const page = await openPage(browser, v.theme);
      const hostConfig = hostConfigAt(v.theme, v.width);
      const palette = v.theme.hostConfig.containerStyles.default.foregroundColors;
      for (const [i, c] of cards.entries()) {
        const render = async (card: unknown) => (await page.evaluate(([cj, hc, w]) => (window as any).lanternRender(cj, hc, w), [card, hostConfig, v.width] as const)) as Measurement;
        // What folds away (a report's detail, a form's optional fields) is judged opened too,
        // as the reader who opens it sees it; the height budget is for the card as it arrives.
        const opened = openFolds(c.card);
        const openedFindings = opened ? judge(await render(opened), gallery[i].kind as CardKind, palette).filter((f) => f.rule !== 'height') : [];
        const m = await render(c.card);
        counts.renders++;
        const closed = judge(m, gallery[i].kind as CardKind, palette);
        const seenClosed = new Set(closed.map((f) => f.reason));
        const findings = [...closed, ...openedFindings.filter((f) => !seenClosed.has(f.reason)).map((f) => ({ ...f, reason: `${f.reason} (with the folded parts opened)` }))].map((f): Finding & { known?: string } => {
          const k = knownFor(known, c, f);
          if (k) knownSeen.add(k);
          return k ? { ...f, known: k.why } : f;
        });
        if (findings.some((f) => !f.known)) counts.failedRenders++;
        for (const f of findings) {
          if (f.known) counts.known++;
          else {
            counts.findings++;
            failures.push(`${c.id} [${v.label}] ${f.rule}: ${f.reason}`);
          }
        }
        const png = join(safe(c.id), `${safe(v.label)}.png`);
        mkdirSync(join(opts.out, safe(c.id)), { recursive: true });
        await page.locator('#frame').screenshot({ path: join(opts.out, png) });
        gallery[i].shots.push({ variant: v.label, png, height: m.height, findings });
      }
      await page.close();
    }));
  } finally {
    await browser.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  for (const g of gallery) g.shots.sort((a, b) => variants.findIndex((v) => v.label === a.variant) - variants.findIndex((v) => v.label === b.variant));

  const templates = cards.filter((c) => !c.id.startsWith('captured/')).length;
  const sentTemplates = new Set(captured.all.map((c) => c.template).filter(Boolean));
  const summary = `${cards.length} cards (${templates} from templates and samples, ${cards.length - templates} of the ${captured.all.length} distinct cards the e2e tests sent, from ${sentTemplates.size} templates) × ${variants.length} theme/width variants = ${counts.renders} renders; ${counts.findings + captured.untagged.length} new findings, ${counts.known} known ones.`;
  const index = writeGallery(opts.out, gallery, summary);
  console.log(summary);
  if (captured.all.length) {
    const unsent = jsonNames(CARDS_DIR).filter((t) => !sentTemplates.has(t));
    if (unsent.length) console.log(`templates no e2e test sent (checked with their samples only): ${unsent.join(', ')}`);
  }
  if (captured.all.length === 0) console.log(`no captured cards in ${relative(PROJECT_ROOT, opts.captured) || opts.captured}: run the e2e tests with LANTERN_CARD_CAPTURE_DIR set to add them`);
  // With --only most cards are not rendered, so an unseen known finding says nothing.
  if (!opts.only) for (const k of known) if (!knownSeen.has(k)) console.log(`known finding no longer seen (remove it from known-findings.json): ${k.card} ${k.rule}${k.reason ? ` "${k.reason}"` : ''}`);
  console.log(`gallery: ${relative(process.cwd(), index)}`);
  if (failures.length) {
    console.log(`\n${failures.length} findings:`);
    for (const f of failures) console.log(`  ${f}`);
  }
  // The plain closing line CI reads: a render passes when it has no new finding.
  console.log(`cards: ${counts.renders - counts.failedRenders} passed, ${counts.failedRenders + captured.untagged.length} failed`);
  if (failures.length && !opts.gallery) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});

/** Whether fontconfig knows Liberation Sans, the font the card check's CSS measures text in (Arial's metrics). */
function hasLiberationSans(): boolean {
  const listed = spawnSync('fc-list', [':family'], { encoding: 'utf8' });
  // No fontconfig tools: nothing to say either way.
  return listed.status !== 0 || /Liberation Sans/.test(listed.stdout);
}
