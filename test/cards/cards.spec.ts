// Renders every cards/*.json template with its sample data and checks the
// result the way Teams will see it. A template without a sample fails: an
// unrendered template is an untested one.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderCard } from "../../bot/cards/renderCard";
import { checkCard } from "./cardChecker";

const ROOT = resolve(__dirname, "..", "..");
const CARDS = join(ROOT, "cards");
const SAMPLES = join(ROOT, "test", "fixtures", "card-samples");

const jsonNames = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort() : [];

/** A sample file holds one data object, or an array of them to cover `$when` branches. */
function loadSamples(name: string): object[] {
  const file = join(SAMPLES, `${name}.json`);
  assert.ok(
    existsSync(file),
    `cards/${name}.json has no sample data: add test/fixtures/card-samples/${name}.json (see the README there)`,
  );
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  const samples = Array.isArray(parsed) ? parsed : [parsed];
  assert.ok(samples.length > 0, `${file} is an empty array`);
  for (const s of samples) assert.ok(typeof s === "object" && s !== null && !Array.isArray(s), `${file}: each sample must be a JSON object`);
  return samples as object[];
}

describe("card templates (cards/*.json)", () => {
  const templates = jsonNames(CARDS);

  for (const name of templates) {
    it(`${name}: renders valid Teams Adaptive Cards from its samples`, () => {
      const samples = loadSamples(name);
      samples.forEach((data, i) => {
        const label = samples.length > 1 ? `${name} sample #${i}` : name;
        const card = renderCard(name, data);
        const errors = checkCard(card);
        assert.deepEqual(errors, [], `${label}:\n  ${errors.join("\n  ")}`);
      });
    });
  }

  it("has no sample files left over from renamed or deleted templates", () => {
    const orphans = jsonNames(SAMPLES).filter((s) => !templates.includes(s));
    assert.deepEqual(orphans, [], `samples without a cards/<name>.json template: ${orphans.join(", ")}`);
  });
});
