// Regenerates teamsapp/color.png (192x192) and teamsapp/outline.png (32x32).
// Run by hand: `npx tsx bot/tools/makeIcons.ts`. The PNGs are committed, so
// this only matters when the artwork changes. Shapes are drawn in a unit
// square and supersampled so the edges are anti-aliased at both sizes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodePng, type RgbaImage } from "./png";

type Rgb = readonly [number, number, number];
type Shape = (x: number, y: number) => boolean;

const NAVY: Rgb = [0x1b, 0x3a, 0x5c]; // also the manifest accentColor
const BRASS: Rgb = [0xf2, 0xb3, 0x3d];
const GLOW: Rgb = [0xff, 0xf1, 0xc4];
const FLAME: Rgb = [0xff, 0x8c, 0x1a];
const FLAME_CORE: Rgb = [0xff, 0xd9, 0x66];
const WHITE: Rgb = [0xff, 0xff, 0xff];

const circle = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const and = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && b(x, y);
const or = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const not = (a: Shape): Shape => (x, y) => !a(x, y);

/** Horizontal trapezoid between y0 and y1, centred on x = 0.5. */
const trapezoid = (y0: number, y1: number, halfTop: number, halfBottom: number): Shape => (x, y) => {
  if (y < y0 || y > y1) return false;
  const half = halfTop + ((y - y0) / (y1 - y0)) * (halfBottom - halfTop);
  return Math.abs(x - 0.5) <= half;
};

/** A teardrop: a circle with a point rising above it. */
const teardrop = (cx: number, cy: number, r: number, tipY: number): Shape => (x, y) => {
  if (circle(cx, cy, r)(x, y)) return true;
  if (y < tipY || y > cy) return false;
  const half = (r * (y - tipY)) / (cy - tipY);
  return Math.abs(x - cx) <= half;
};

// The lantern, shared by both icons so they read as the same mark.
const handle = and(and(circle(0.5, 0.2, 0.1), not(circle(0.5, 0.2, 0.06))), (_x, y) => y <= 0.24);
const cap = trapezoid(0.24, 0.31, 0.12, 0.22);
const bodyOuter = rect(0.3, 0.31, 0.7, 0.73);
const bodyInner = rect(0.35, 0.34, 0.65, 0.7);
const frame = and(bodyOuter, not(bodyInner));
const base = trapezoid(0.73, 0.82, 0.22, 0.16);
const flame = teardrop(0.5, 0.6, 0.075, 0.4);
const flameCore = teardrop(0.5, 0.63, 0.04, 0.5);

interface Layer {
  shape: Shape;
  color: Rgb;
}

/** Paint layers back to front with `samples`² supersampling per pixel. */
function render(size: number, background: Rgb | null, layers: Layer[], samples: number): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let color: Rgb | null = background;
          for (const layer of layers) if (layer.shape(x, y)) color = layer.color;
          if (color) {
            r += color[0]; g += color[1]; b += color[2]; a += 255;
          }
        }
      }
      const n = samples * samples;
      const i = (py * size + px) * 4;
      // Average colour over covered samples only, so edges fade in alpha
      // rather than darkening towards black.
      const covered = a / 255;
      pixels[i] = covered ? Math.round(r / covered) : 0;
      pixels[i + 1] = covered ? Math.round(g / covered) : 0;
      pixels[i + 2] = covered ? Math.round(b / covered) : 0;
      pixels[i + 3] = Math.round(a / n);
    }
  }
  return { width: size, height: size, pixels };
}

export function makeColorIcon(): RgbaImage {
  return render(192, NAVY, [
    { shape: bodyInner, color: GLOW },
    { shape: or(handle, cap, frame, base), color: BRASS },
    { shape: flame, color: FLAME },
    { shape: flameCore, color: FLAME_CORE },
  ], 4);
}

export function makeOutlineIcon(): RgbaImage {
  // Teams tints the outline icon itself, so it must be white on transparent.
  return render(32, null, [{ shape: or(handle, cap, frame, base, flame), color: WHITE }], 8);
}

if (require.main === module) {
  const dir = join(__dirname, "..", "..", "teamsapp");
  writeFileSync(join(dir, "color.png"), encodePng(makeColorIcon()));
  writeFileSync(join(dir, "outline.png"), encodePng(makeOutlineIcon()));
  console.log(`wrote ${dir}/color.png and ${dir}/outline.png`);
}
