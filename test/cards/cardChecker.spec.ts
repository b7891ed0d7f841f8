// Proves the checker used by cards.spec.ts fails on bad cards: a checker that
// passes everything would make every template test meaningless.
import assert from "node:assert/strict";
import { checkCard } from "./cardChecker";

function goodCard(): Record<string, any> {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    msteams: { width: "Full" },
    body: [
      { type: "TextBlock", text: "Report an incident", weight: "Bolder", wrap: true },
      {
        type: "ColumnSet",
        columns: [
          { type: "Column", width: "auto", items: [{ type: "Image", url: "https://example.org/a.png", altText: "icon" }] },
          { type: "Column", width: "stretch", items: [{ type: "FactSet", facts: [{ title: "Ref", value: "INC-1" }] }] },
        ],
      },
      {
        type: "Table",
        columns: [{ width: 1 }, { width: 2 }],
        rows: [{ type: "TableRow", cells: [{ type: "TableCell", items: [{ type: "TextBlock", text: "a" }] }] }],
      },
      { type: "RichTextBlock", inlines: [{ type: "TextRun", text: "bold", weight: "Bolder" }] },
      { type: "Input.Text", id: "summary", label: "What happened?", isMultiline: true, isRequired: true },
      {
        type: "Input.ChoiceSet",
        id: "urgency",
        label: "Urgency",
        choices: [{ title: "High", value: "high" }, { title: "Low", value: "low" }],
      },
      { type: "Input.Date", id: "when", label: "When" },
      { type: "Input.Toggle", id: "immediateDanger", title: "A child is in immediate danger", label: "Danger" },
      { type: "ActionSet", actions: [{ type: "Action.OpenUrl", title: "Policy", url: "https://example.org/policy" }] },
    ],
    actions: [
      // `data` may carry objects with a `type` of their own: not card elements.
      { type: "Action.Execute", title: "Submit", verb: "incident.submit", data: { kind: { type: "incident" } } },
      { type: "Action.ShowCard", title: "More", card: { type: "AdaptiveCard", body: [{ type: "Input.Number", id: "n", label: "N" }] } },
      { type: "Action.ToggleVisibility", title: "Details", targetElements: ["details"] },
      { type: "Action.Submit", title: "Cancel", data: { verb: "cancel" } },
    ],
  };
}

describe("checkCard (the card template checker)", () => {
  it("accepts a card using only Teams-supported 1.5 features", () => {
    assert.deepEqual(checkCard(goodCard()), []);
  });

  it("rejects anything that is not an AdaptiveCard", () => {
    assert.equal(checkCard({ type: "Container" }).length, 1);
    assert.equal(checkCard([]).length, 1);
  });

  it("rejects a version above 1.5 and a missing version", () => {
    const v16 = { ...goodCard(), version: "1.6" };
    assert.ok(checkCard(v16).some((e) => e.includes("1.6 is above 1.5")));
    const none = goodCard();
    delete none.version;
    assert.ok(checkCard(none).some((e) => e.startsWith("version:")));
  });

  it("rejects Media and unknown element types, wherever they are nested", () => {
    const card = goodCard();
    card.body[1].columns[0].items.push({ type: "Media", sources: [{ mimeType: "video/mp4", url: "https://example.org/v.mp4" }] });
    const errors = checkCard(card);
    assert.ok(errors.includes('/body/1/columns/0/items/1: element type "Media" is not supported in Teams'), errors.join("\n"));
  });

  it("rejects unsupported action types, including inside a ShowCard", () => {
    const card = goodCard();
    card.actions[1].card.actions = [{ type: "Action.Popover", title: "x" }];
    assert.ok(checkCard(card).includes('/actions/1/card/actions/0: action type "Action.Popover" is not supported in Teams'));
  });

  it("rejects unexpanded template expressions and leftover $when/$data", () => {
    const card = goodCard();
    card.body[0].text = "Hello ${name}";
    card.body.push({ type: "TextBlock", text: "x", $when: "${show}" });
    const errors = checkCard(card);
    assert.ok(errors.some((e) => e.startsWith("/body/0/text: unexpanded template expression")), errors.join("\n"));
    assert.ok(errors.some((e) => e.includes("/$when: template keyword")), errors.join("\n"));
  });

  it("rejects an input without an id", () => {
    const card = goodCard();
    delete card.body[4].id;
    assert.ok(checkCard(card).includes("/body/4: Input.Text has no id, so its value can never be submitted"));
  });

  it("rejects an Action.Execute without a verb", () => {
    const card = goodCard();
    delete card.actions[0].verb;
    assert.ok(checkCard(card).includes("/actions/0: Action.Execute has no verb"));
  });

  it("reports schema errors for the element's own type only", () => {
    const card = goodCard();
    card.body[0].colour = "Attention"; // misspelt property
    card.body[5].choices = "high,low"; // wrong type
    const errors = checkCard(card);
    assert.ok(errors.includes('schema: /body/0 must NOT have additional properties "colour"'), errors.join("\n"));
    assert.ok(errors.some((e) => e.startsWith("schema: /body/5/choices")), errors.join("\n"));
    assert.ok(errors.length <= 4, `expected focused errors, got:\n${errors.join("\n")}`);
  });

  it("checks the Teams msteams extension instead of letting the schema reject it", () => {
    const card = goodCard();
    card.msteams = { width: "Wide", colour: 1 };
    assert.deepEqual(checkCard(card), ['msteams: unexpected property "colour"', 'msteams.width: only "Full" is supported']);
  });

  it("knows the chart elements Teams draws, and wants a fallback on each", () => {
    const fallback = { type: "FactSet", facts: [{ title: "Within target", value: "12" }] };
    const card = goodCard();
    card.body.push(
      { type: "Chart.VerticalBar.Grouped", title: "By category", xAxisTitle: "Category", data: [{ legend: "Autumn", values: [{ x: "Cyberbullying", y: 6 }] }], fallback },
      { type: "Chart.Donut", data: [{ legend: "Within target", value: 12, color: "good" }], fallback },
      { type: "Chart.HorizontalBar", color: "categoricalBlue", data: [{ x: "Temporary unblock", y: 3 }], fallback },
      { type: "Chart.VerticalBar", data: [{ x: "a", y: 1 }], fallback },
    );
    assert.deepEqual(checkCard(card), []);
    const bad = goodCard();
    bad.body.push(
      { type: "Chart.Donut", data: [{ legend: "Within target", value: "twelve" }] },
      { type: "Chart.HorizontalBar", colour: "blue", data: [{ x: "a", y: 1 }], fallback: { type: "Chart.Gauge", value: 5 } },
      { type: "Chart.Bubble", data: [], fallback },
    );
    assert.deepEqual(checkCard(bad), [
      "schema: /body/9/data/0/value must be number",
      'schema: /body/10 must NOT have additional properties "colour"',
      "schema: /body/11/type must be equal to one of the allowed values",
      "/body/9: Chart.Donut has no fallback element for hosts that draw no charts",
      "/body/10/fallback: Chart.Gauge has no fallback element for hosts that draw no charts",
      '/body/11: element type "Chart.Bubble" is not supported in Teams',
    ]);
  });
});
