// Offline check of teamsapp/manifest.json: the toolkit's own validation needs
// a login and network, so CI runs this instead. It validates against the
// schema bundled in @microsoft/app-manifest, then checks what the schema
// cannot: the icon files, and the bot shape Lantern depends on.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { decodePng, readPngHeader } from "./png";
import { own, setOwn } from '../core/ownLookup';

/** The repository root, whether this runs from bot/tools (tsx) or dist/bot/tools (compiled). */
const REPO_ROOT = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  return resolve(__dirname, "..", "..");
})();
const SCHEMA_ROOT = join(dirname(require.resolve("@microsoft/app-manifest/package.json")), "build", "json-schemas");

/** Placeholder values that satisfy the schema's formats when an env value is blank. */
const PLACEHOLDER_GUID = "00000000-0000-4000-8000-000000000000";

const REQUIRED_SCOPES = ["personal", "team", "groupChat"] as const;
const COMMAND_TITLE_MAX = 32;
const ICONS = { color: 192, outline: 32 } as const;

export interface ValidateOptions {
  manifestPath?: string;
  /** A toolkit .env file whose values fill `${{VAR}}`; blanks get placeholders. */
  envFile?: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: string[];
  /** Local schema file the manifest was validated against, if one was found. */
  schemaFile?: string;
}

type Json = Record<string, unknown>;

export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith("#")) setOwn(values, m[1]!, m[2]!.replace(/^(['"])(.*)\1$/, "$2"));
  }
  return values;
}

function placeholderFor(name: string): string {
  if (/(^|_)ID$/.test(name)) return PLACEHOLDER_GUID;
  if (/URL$|ENDPOINT$/.test(name)) return "https://example.org";
  if (/DOMAIN$/.test(name)) return "example.org";
  if (/SUFFIX$/.test(name)) return "";
  return "placeholder";
}

/** Replace `${{VAR}}` the way the toolkit does, so formats (guid, https) can be checked. */
export function substitutePlaceholders(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name: string) => {
    const value = own(env, name) || placeholderFor(name);
    // The manifest is JSON: escape the value as the inside of a JSON string.
    return JSON.stringify(value).slice(1, -1);
  });
}

/** Map a developer.microsoft.com schema URL (optionally with a locale) to the bundled copy. */
export function localSchemaPath(schemaUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(schemaUrl);
  } catch {
    return undefined;
  }
  if (url.hostname !== "developer.microsoft.com") return undefined;
  const m = /^(?:\/[a-z]{2}(?:-[a-z]{2})?)?\/json-schemas\/(.+)$/i.exec(url.pathname);
  if (!m) return undefined;
  const file = join(SCHEMA_ROOT, ...m[1]!.split("/"));
  return existsSync(file) ? file : undefined;
}

function loadSchema(file: string): Json {
  // Some published schemas contain "\a" / "\v" escapes, which JSON forbids.
  const raw = readFileSync(file, "utf8").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b");
  return JSON.parse(raw) as Json;
}

function schemaErrors(manifest: Json, schema: Json): string[] {
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => {
    const where = e.instancePath || "/";
    const detail = e.keyword === "additionalProperties" ? ` (${JSON.stringify(e.params)})` : "";
    return `schema: ${where} ${e.message ?? e.keyword}${detail}`;
  });
}

function iconErrors(manifest: Json, manifestDir: string): string[] {
  const errors: string[] = [];
  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  for (const [kind, size] of Object.entries(ICONS)) {
    const rel = own(icons, kind);
    if (typeof rel !== "string") continue; // the schema already reports it
    const file = join(manifestDir, rel);
    if (!existsSync(file)) {
      errors.push(`icons.${kind}: file "${rel}" not found next to the manifest`);
      continue;
    }
    const png = readFileSync(file);
    let header;
    try {
      header = readPngHeader(png);
    } catch (e) {
      errors.push(`icons.${kind}: "${rel}" is not a readable PNG (${(e as Error).message})`);
      continue;
    }
    if (header.width !== size || header.height !== size) {
      errors.push(`icons.${kind}: "${rel}" is ${header.width}x${header.height}, must be ${size}x${size}`);
    }
    if (kind === "outline") errors.push(...outlineColourErrors(png, rel));
  }
  return errors;
}

/** Teams recolours the outline icon, so every visible pixel must be pure white. */
function outlineColourErrors(png: Buffer, rel: string): string[] {
  let image;
  try {
    image = decodePng(png);
  } catch (e) {
    return [`icons.outline: "${rel}" must be an 8-bit RGBA PNG (${(e as Error).message})`];
  }
  let coloured = 0;
  let transparent = 0;
  const p = image.pixels;
  for (let i = 0; i < p.length; i += 4) {
    if (p[i + 3] === 0) transparent++;
    else if (p[i] !== 255 || p[i + 1] !== 255 || p[i + 2] !== 255) coloured++;
  }
  const errors: string[] = [];
  if (coloured) errors.push(`icons.outline: "${rel}" has ${coloured} visible pixels that are not white`);
  if (!transparent) errors.push(`icons.outline: "${rel}" has no transparent pixels; the background must be transparent`);
  return errors;
}

interface CommandList {
  scopes?: string[];
  commands?: { title?: string }[];
}

function botErrors(manifest: Json): string[] {
  const bots = manifest.bots as Json[] | undefined;
  const bot = bots?.[0];
  if (!bot) return ["bots: Lantern needs exactly one bot"];
  const errors: string[] = [];
  const scopes = (bot.scopes as string[] | undefined) ?? [];
  for (const scope of REQUIRED_SCOPES) {
    if (!scopes.includes(scope)) errors.push(`bots[0].scopes: missing "${scope}"`);
  }
  // Exports reach staff through Teams' file consent cards, which work only with supportsFiles.
  if (bot.supportsFiles !== true) errors.push("bots[0].supportsFiles: must be true (exports are sent with file consent cards)");
  const lists = (bot.commandLists as CommandList[] | undefined) ?? [];
  for (const scope of REQUIRED_SCOPES) {
    if (!lists.some((l) => l.scopes?.includes(scope))) errors.push(`bots[0].commandLists: no command list for scope "${scope}"`);
  }
  lists.forEach((list, i) => {
    (list.commands ?? []).forEach((cmd, j) => {
      if ((cmd.title ?? "").length > COMMAND_TITLE_MAX) {
        errors.push(`bots[0].commandLists[${i}].commands[${j}].title: "${cmd.title}" is longer than ${COMMAND_TITLE_MAX} characters`);
      }
    });
  });
  return errors;
}

export function validateManifest(options: ValidateOptions = {}): ValidationResult {
  const manifestPath = resolve(options.manifestPath ?? join(REPO_ROOT, "teamsapp", "manifest.json"));
  const envFile = options.envFile ?? join(REPO_ROOT, "env", ".env.dev");
  const env = existsSync(envFile) ? parseEnvFile(readFileSync(envFile, "utf8")) : {};

  let manifest: Json;
  try {
    manifest = JSON.parse(substitutePlaceholders(readFileSync(manifestPath, "utf8"), env)) as Json;
  } catch (e) {
    return { ok: false, errors: [`manifest: cannot read ${manifestPath}: ${(e as Error).message}`] };
  }

  const errors: string[] = [];
  const schemaUrl = manifest.$schema;
  const schemaFile = typeof schemaUrl === "string" ? localSchemaPath(schemaUrl) : undefined;
  if (!schemaFile) {
    errors.push(`$schema: "${String(schemaUrl)}" does not name a schema bundled in @microsoft/app-manifest`);
  } else {
    const schemaVersion = /\/v(\d+\.\d+)\//.exec(schemaFile.split("\\").join("/"))?.[1];
    if (schemaVersion && manifest.manifestVersion !== schemaVersion) {
      errors.push(`manifestVersion: "${String(manifest.manifestVersion)}" does not match the $schema version ${schemaVersion}`);
    }
    errors.push(...schemaErrors(manifest, loadSchema(schemaFile)));
  }
  errors.push(...iconErrors(manifest, dirname(manifestPath)));
  errors.push(...botErrors(manifest));
  return { ok: errors.length === 0, errors, schemaFile };
}

if (require.main === module) {
  const result = validateManifest({ manifestPath: process.argv[2], envFile: process.argv[3] });
  const schema = result.schemaFile ? ` against ${result.schemaFile.slice(SCHEMA_ROOT.length + 1)}` : "";
  if (result.ok) {
    console.log(`${process.argv[2] ?? "teamsapp/manifest.json"} is valid${schema}; icons checked.`);
  } else {
    console.error(`${process.argv[2] ?? "teamsapp/manifest.json"} has ${result.errors.length} problem(s)${schema}:`);
    for (const e of result.errors) console.error(`  - ${e}`);
    process.exitCode = 1;
  }
}
