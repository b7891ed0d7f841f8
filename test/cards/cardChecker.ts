// Checks a *rendered* Adaptive Card against what Teams will actually show:
// the official 1.5 schema, a version ceiling, the element/action types Teams
// renders, and the mistakes templating makes easy (leftover `${...}`, inputs
// without ids, Action.Execute without a verb).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import draft06MetaSchema from "ajv/dist/refs/json-schema-draft-06.json";
import { CHART_TYPES, withCharts } from "./chartSchema";

export const MAX_VERSION = "1.5";

export const TEAMS_ELEMENTS: ReadonlySet<string> = new Set([
  "TextBlock", "RichTextBlock", "TextRun", "Image", "Container", "ColumnSet", "Column", "FactSet",
  "ImageSet", "ActionSet", "Table", "TableRow", "TableCell",
  "Input.Text", "Input.Number", "Input.Date", "Input.Time", "Input.Toggle", "Input.ChoiceSet",
  ...CHART_TYPES,
]);

export const TEAMS_ACTIONS: ReadonlySet<string> = new Set([
  "Action.Execute", "Action.Submit", "Action.OpenUrl", "Action.ShowCard", "Action.ToggleVisibility",
]);

type Json = Record<string, unknown>;

const SCHEMA_FILE = join(__dirname, "..", "fixtures", "adaptive-card-1.5.schema.json");
const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as Json;

/**
 * The schema's element/action unions are plain `anyOf`s, so a bad TextBlock
 * gets errors from all twenty branches. Rewrite each union as "type is one of
 * these, and if type is X then X's schema applies": the same set of valid
 * cards, but ajv now reports only the branch the author meant. (if/then is a
 * draft-07 keyword; Ajv's default vocabulary evaluates it in any draft.)
 */
function discriminateUnions(definitions: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = { ...definitions };
  for (const [name, def] of Object.entries(definitions)) {
    if (!name.startsWith("ImplementationsOf.") || !Array.isArray(def.anyOf)) continue;
    const refs = (def.anyOf as Json[]).map((branch) => ((branch.allOf as Json[] | undefined)?.[0]?.$ref as string | undefined));
    if (refs.some((r) => typeof r !== "string")) continue;
    const types = refs.map((r) => r!.slice(r!.lastIndexOf("/") + 1));
    out[name] = {
      type: "object",
      required: ["type"],
      properties: { type: { enum: types } },
      allOf: types.map((t, i) => ({ if: { required: ["type"], properties: { type: { const: t } } }, then: { $ref: refs[i] } })),
    };
  }
  return out;
}

let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    // The schema is draft-06 and uses extra keywords ("version", "features"), hence strict: false.
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addMetaSchema(draft06MetaSchema);
    addFormats(ajv);
    // Ajv 8 only accepts "$id"; the vendored file keeps the draft-04-style root
    // "id" verbatim, so rename it on the in-memory copy.
    const { id, definitions, ...rest } = schema as { id?: string; definitions: Record<string, Json> };
    compiled = ajv.compile({ ...rest, $id: id, definitions: discriminateUnions(withCharts(definitions)) });
  }
  return compiled;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function schemaMessages(errors: ErrorObject[]): string[] {
  // "must match then" / "must match a schema in anyOf" only wrap the detail
  // that follows, so drop them unless nothing more specific was reported.
  const specific = errors.filter((e) => e.keyword !== "if" && e.keyword !== "anyOf");
  const messages = (specific.length ? specific : errors)
    .map((e) => {
      const params = e.params as { additionalProperty?: string };
      const detail = e.keyword === "additionalProperties" ? ` "${params.additionalProperty}"` : "";
      return `schema: ${e.instancePath || "/"} ${e.message ?? e.keyword}${detail}`;
    });
  return [...new Set(messages)];
}

function versionErrors(card: Json): string[] {
  const version = card.version;
  if (typeof version !== "string" || !/^\d+\.\d+$/.test(version)) {
    return [`version: top-level card needs a "major.minor" version, got ${JSON.stringify(version)}`];
  }
  const [major, minor] = version.split(".").map(Number) as [number, number];
  const [maxMajor, maxMinor] = MAX_VERSION.split(".").map(Number) as [number, number];
  return major > maxMajor || (major === maxMajor && minor > maxMinor)
    ? [`version: ${version} is above ${MAX_VERSION}, the highest Teams renders`]
    : [];
}

/** Properties that hold child elements or actions, and what kind they hold. */
const ELEMENT_KEYS = ["body", "items", "columns", "rows", "cells", "inlines", "images"] as const;
const ACTION_KEYS = ["actions"] as const;
const SINGLE_ACTION_KEYS = ["selectAction", "inlineAction"] as const;

/**
 * Walk elements and actions only through the properties that hold them, so
 * objects inside `data` (which may well have a `type`) are not mistaken for
 * card elements. Table `columns` are column definitions, not elements.
 */
function structureErrors(card: Json): string[] {
  const errors: string[] = [];
  const visitAction = (action: unknown, path: string) => {
    if (!isObject(action)) return;
    const type = String(action.type);
    if (!TEAMS_ACTIONS.has(type)) errors.push(`${path}: action type "${type}" is not supported in Teams`);
    if (type === "Action.Execute" && (typeof action.verb !== "string" || !action.verb.trim())) {
      errors.push(`${path}: Action.Execute has no verb`);
    }
    if (type === "Action.ShowCard" && isObject(action.card)) visitContainer(action.card, `${path}/card`);
    if (isObject(action.fallback)) visitAction(action.fallback, `${path}/fallback`);
  };
  const visitElement = (element: unknown, path: string) => {
    if (!isObject(element)) return; // the schema reports non-objects
    const type = String(element.type);
    if (!TEAMS_ELEMENTS.has(type)) errors.push(`${path}: element type "${type}" is not supported in Teams`);
    if (type.startsWith("Input.") && (typeof element.id !== "string" || !element.id.trim())) {
      errors.push(`${path}: ${type} has no id, so its value can never be submitted`);
    }
    // Teams on phones and older clients draw no charts: each needs a real element to show instead.
    if (CHART_TYPES.has(type) && !isObject(element.fallback)) errors.push(`${path}: ${type} has no fallback element for hosts that draw no charts`);
    if (isObject(element.fallback)) visitElement(element.fallback, `${path}/fallback`);
    visitContainer(element, path, type);
  };
  const visitContainer = (node: Json, path: string, type?: string) => {
    for (const key of ELEMENT_KEYS) {
      if (key === "columns" && type === "Table") continue;
      const children = node[key];
      if (Array.isArray(children)) children.forEach((c, i) => visitElement(c, `${path}/${key}/${i}`));
    }
    for (const key of ACTION_KEYS) {
      const actions = node[key];
      if (Array.isArray(actions)) actions.forEach((a, i) => visitAction(a, `${path}/${key}/${i}`));
    }
    for (const key of SINGLE_ACTION_KEYS) if (isObject(node[key])) visitAction(node[key], `${path}/${key}`);
    const refresh = node.refresh;
    if (isObject(refresh) && isObject(refresh.action)) visitAction(refresh.action, `${path}/refresh/action`);
  };
  visitContainer(card, "");
  return errors;
}

/** Anything templating should have consumed but did not. */
function templatingLeftovers(card: unknown): string[] {
  const errors: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (typeof node === "string") {
      if (node.includes("${")) errors.push(`${path || "/"}: unexpanded template expression in ${JSON.stringify(node)}`);
    } else if (Array.isArray(node)) {
      node.forEach((v, i) => walk(v, `${path}/${i}`));
    } else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key.includes("${") || (key.startsWith("$") && key !== "$schema")) {
          errors.push(`${path}/${key}: template keyword or expression left in a property name`);
        }
        walk(value, `${path}/${key}`);
      }
    }
  };
  walk(card, "");
  return errors;
}

function teamsExtensionErrors(msteams: unknown): string[] {
  if (msteams === undefined) return [];
  if (!isObject(msteams)) return ["msteams: must be an object"];
  const allowed = new Set(["width", "entities"]);
  const errors = Object.keys(msteams).filter((k) => !allowed.has(k)).map((k) => `msteams: unexpected property "${k}"`);
  if (msteams.width !== undefined && msteams.width !== "Full") errors.push('msteams.width: only "Full" is supported');
  return errors;
}

/** Every problem with a rendered card; an empty list means Teams will show it as intended. */
export function checkCard(rendered: unknown): string[] {
  if (!isObject(rendered) || rendered.type !== "AdaptiveCard") return ['card: top level must be {"type": "AdaptiveCard"}'];
  // `msteams` is Teams' documented host extension (full width, mentions); the
  // generic schema forbids unknown properties, so check it here instead.
  const { msteams, ...card } = rendered;
  const validate = schemaValidator();
  const schemaProblems = validate(card) ? [] : schemaMessages(validate.errors ?? []);
  return [
    ...schemaProblems,
    ...versionErrors(card),
    ...structureErrors(card),
    ...templatingLeftovers(rendered),
    ...teamsExtensionErrors(msteams),
  ];
}
