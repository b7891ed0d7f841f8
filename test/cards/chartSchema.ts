// The chart elements Teams draws in Adaptive Cards (Microsoft Learn, "Charts in Adaptive Cards"),
// as JSON Schema definitions beside the 1.5 schema's own: the Adaptive Card 1.5 schema predates
// them, and Teams renders them in 1.5 cards. Only the properties the page lists are allowed.

type Json = Record<string, unknown>;

const CHART_COLORS = [
  "good", "warning", "attention", "neutral",
  "categoricalRed", "categoricalPurple", "categoricalLavender", "categoricalBlue", "categoricalLightBlue", "categoricalTeal", "categoricalGreen", "categoricalLime", "categoricalMarigold",
  "sequential1", "sequential2", "sequential3", "sequential4", "sequential5", "sequential6", "sequential7", "sequential8",
  "divergingBlue", "divergingLightBlue", "divergingCyan", "divergingTeal", "divergingYellow", "divergingPeach", "divergingLightRed", "divergingRed", "divergingMaroon", "divergingGray",
];

const color = { enum: CHART_COLORS };

/** What every chart takes, as any element does. */
const common: Json = {
  fallback: { anyOf: [{ $ref: "#/definitions/ImplementationsOf.Element" }, { $ref: "#/definitions/FallbackOption" }] },
  height: { enum: ["auto", "stretch"] },
  horizontalAlignment: { $ref: "#/definitions/HorizontalAlignment" },
  id: { type: "string" },
  isVisible: { type: "boolean" },
  lang: { type: "string" },
  requires: { type: "object", additionalProperties: { type: "string" } },
  separator: { type: "boolean" },
  spacing: { $ref: "#/definitions/Spacing" },
  targetWidth: { type: "string" },
  title: { type: "string" },
  colorSet: { type: "string" },
};

const point = { type: "object", additionalProperties: false, required: ["x", "y"], properties: { x: { type: ["string", "number"] }, y: { type: "number" }, color } };
const slice = { type: "object", additionalProperties: false, required: ["value"], properties: { legend: { type: "string" }, value: { type: "number" }, color } };
const axes = { xAxisTitle: { type: "string" }, yAxisTitle: { type: "string" } };

function chart(type: string, properties: Json, required: string[] = []): Json {
  return { type: "object", additionalProperties: false, required: ["type", ...required], properties: { type: { enum: [type] }, ...common, ...properties } };
}

export const CHART_DEFINITIONS: Record<string, Json> = {
  "Chart.Donut": chart("Chart.Donut", { data: { type: "array", items: slice } }, ["data"]),
  "Chart.Pie": chart("Chart.Pie", { data: { type: "array", items: slice } }, ["data"]),
  "Chart.VerticalBar": chart("Chart.VerticalBar", { ...axes, color, showBarValues: { type: "boolean" }, data: { type: "array", items: point } }),
  "Chart.VerticalBar.Grouped": chart("Chart.VerticalBar.Grouped", {
    ...axes,
    stacked: { type: "boolean" },
    showBarValues: { type: "boolean" },
    data: { type: "array", items: { type: "object", additionalProperties: false, required: ["values"], properties: { legend: { type: "string" }, color, values: { type: "array", items: point } } } },
  }),
  "Chart.HorizontalBar": chart("Chart.HorizontalBar", { ...axes, color, displayMode: { enum: ["AbsoluteWithAxis", "AbsoluteNoAxis", "PartToWhole"] }, data: { type: "array", items: point } }),
  "Chart.HorizontalBar.Stacked": chart("Chart.HorizontalBar.Stacked", {
    ...axes,
    color,
    data: { type: "array", items: { type: "object", additionalProperties: false, properties: { title: { type: "string" }, data: { type: "array", items: slice } } } },
  }),
  "Chart.Line": chart("Chart.Line", { ...axes, color, data: { type: "array", items: { type: "object", additionalProperties: false, properties: { legend: { type: "string" }, color, values: { type: "array", items: point } } } } }),
  "Chart.Gauge": chart("Chart.Gauge", {
    min: { type: "number" },
    max: { type: "number" },
    value: { type: "number" },
    valueFormat: { enum: ["Percentage", "Fraction", "percentage", "fraction"] },
    subLabel: { type: "string" },
    showLegend: { type: "boolean" },
    showMinMax: { type: "boolean" },
    segments: { type: "array", items: { type: "object", additionalProperties: false, required: ["size"], properties: { legend: { type: "string" }, size: { type: "number" }, color } } },
  }),
};

export const CHART_TYPES: ReadonlySet<string> = new Set(Object.keys(CHART_DEFINITIONS));

/** Adds the charts to the schema's element union, so a chart is checked wherever an element may be. */
export function withCharts(definitions: Record<string, Json>): Record<string, Json> {
  const union = definitions["ImplementationsOf.Element"] as { anyOf: Json[] };
  return {
    ...definitions,
    ...CHART_DEFINITIONS,
    "ImplementationsOf.Element": { ...union, anyOf: [...union.anyOf, ...Object.keys(CHART_DEFINITIONS).map((name) => ({ required: ["type"], allOf: [{ $ref: `#/definitions/${name}` }] }))] },
  };
}
