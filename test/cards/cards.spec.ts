// Renders every cards/*.json template with its sample data and checks the
// result the way Teams will see it. A template without a sample fails: an
// unrendered template is an untested one.
import assert from "node:assert/strict";
import { renderCard } from "../../bot/cards/renderCard";
import { CARDS_DIR as CARDS, SAMPLES_DIR as SAMPLES, jsonNames, loadSamples } from "../support/cardSamples";
import { checkCard } from "./cardChecker";

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
