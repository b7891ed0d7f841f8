import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { encodePng } from "../../bot/tools/png";
import { localSchemaPath, substitutePlaceholders, validateManifest } from "../../bot/tools/validateManifest";

const TEAMSAPP = resolve(__dirname, "..", "..", "teamsapp");

/** A scratch copy of teamsapp/ so a test can break one thing and see it named. */
function scratchApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "lantern-manifest-"));
  for (const f of ["manifest.json", "color.png", "outline.png"]) copyFileSync(join(TEAMSAPP, f), join(dir, f));
  return dir;
}

function editManifest(dir: string, edit: (m: any) => void): string {
  const file = join(dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8"));
  edit(manifest);
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  return file;
}

function solidPng(size: number, rgba: [number, number, number, number]): Buffer {
  const pixels = new Uint8Array(size * size * 4);
  for (let i = 0; i < pixels.length; i += 4) pixels.set(rgba, i);
  return encodePng({ width: size, height: size, pixels });
}

describe("teamsapp/manifest.json", () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchApp();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("passes the bundled schema, icon and bot checks", () => {
    const result = validateManifest();
    assert.deepEqual(result.errors, []);
    assert.ok(result.ok);
    assert.match(result.schemaFile ?? "", /teams[\\/]v1\.\d+[\\/]MicrosoftTeams\.schema\.json$/);
  });

  it("names a missing bot scope and its missing command list", () => {
    const file = editManifest(dir, (m) => {
      m.bots[0].scopes = ["personal", "groupChat"];
      m.bots[0].commandLists = m.bots[0].commandLists.filter((l: { scopes: string[] }) => !l.scopes.includes("team"));
    });
    const { ok, errors } = validateManifest({ manifestPath: file });
    assert.equal(ok, false);
    assert.ok(errors.includes('bots[0].scopes: missing "team"'), errors.join("\n"));
    assert.ok(errors.includes('bots[0].commandLists: no command list for scope "team"'), errors.join("\n"));
  });

  it("names an icon of the wrong size", () => {
    writeFileSync(join(dir, "color.png"), solidPng(96, [27, 58, 92, 255]));
    const { errors } = validateManifest({ manifestPath: join(dir, "manifest.json") });
    assert.deepEqual(errors, ['icons.color: "color.png" is 96x96, must be 192x192']);
  });

  it("rejects an outline icon that is coloured or has no transparency", () => {
    writeFileSync(join(dir, "outline.png"), solidPng(32, [255, 0, 0, 255]));
    const { errors } = validateManifest({ manifestPath: join(dir, "manifest.json") });
    assert.deepEqual(errors, [
      'icons.outline: "outline.png" has 1024 visible pixels that are not white',
      'icons.outline: "outline.png" has no transparent pixels; the background must be transparent',
    ]);
  });

  it("reports schema violations, long command titles and supportsFiles", () => {
    const file = editManifest(dir, (m) => {
      m.bots[0].supportsFiles = false;
      m.bots[0].commandLists[0].commands[0].title = "a command title that is far too long";
      m.accentColor = "navy";
    });
    const { errors } = validateManifest({ manifestPath: file });
    assert.ok(errors.some((e) => e.startsWith("schema: /accentColor")), errors.join("\n"));
    assert.ok(errors.some((e) => e.startsWith("bots[0].supportsFiles")), errors.join("\n"));
    assert.ok(errors.some((e) => e.includes("longer than 32 characters")), errors.join("\n"));
  });

  it("reports a $schema that is not bundled, or a mismatched manifestVersion", () => {
    const file = editManifest(dir, (m) => {
      m.manifestVersion = "1.16";
    });
    assert.ok(validateManifest({ manifestPath: file }).errors.some((e) => e.startsWith("manifestVersion:")));
    editManifest(dir, (m) => {
      m.$schema = "https://example.org/schema.json";
    });
    assert.ok(validateManifest({ manifestPath: file }).errors.some((e) => e.startsWith("$schema:")));
  });
});

describe("validateManifest helpers", () => {
  it("fills blank ids with a GUID and URLs with https placeholders", () => {
    const out = substitutePlaceholders('{"a":"${{BOT_ID}}","b":"${{DEVELOPER_PRIVACY_URL}}","c":"${{NAME}}"}', {
      NAME: 'say "hi"',
    });
    assert.deepEqual(JSON.parse(out), {
      a: "00000000-0000-4000-8000-000000000000",
      b: "https://example.org",
      c: 'say "hi"',
    });
  });

  it("maps localised developer.microsoft.com schema URLs to the bundled files", () => {
    assert.ok(localSchemaPath("https://developer.microsoft.com/en-us/json-schemas/teams/v1.24/MicrosoftTeams.schema.json"));
    assert.equal(localSchemaPath("https://developer.microsoft.com/json-schemas/teams/v9.99/MicrosoftTeams.schema.json"), undefined);
  });
});
