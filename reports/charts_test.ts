import assert from "node:assert/strict";
import { fakeRun } from "./_fake_runs.ts";
import { buildCells } from "./cells.ts";
import { accuracyFigureSpec, learningCurveSpec, renderSvg } from "./charts.ts";

Deno.test("accuracy figure renders an SVG with every model", async () => {
  const cells = buildCells([fakeRun("trm-8", 3, [40, 90]), fakeRun("eot-2", 3, [40, 80])], 3);

  const svg = await renderSvg(accuracyFigureSpec(cells));

  assert.match(svg, /^<svg/);
  for (const model of ["eot-2", "eot-4", "eot-6", "eot-8", "eot-12", "trm-8", "trm-12"]) {
    assert.ok(svg.includes(`>${model}<`), `legend lacks ${model}`);
  }
  assert.ok(svg.includes(">published<"));
  assert.ok(svg.includes(">reproduced<"));
});

Deno.test("accuracy figure spec dashes only published lines", () => {
  const cells = buildCells([fakeRun("trm-8", 3, [90])], 3);

  const spec = JSON.stringify(accuracyFigureSpec(cells));

  assert.match(spec, /"domain":\["reproduced","published"\],"range":\[\[1,0\],\[5,4\]\]/);
  assert.equal((spec.match(/"source":"reproduced"/g) ?? []).length, 1);
  assert.equal((spec.match(/"source":"published"/g) ?? []).length, 35);
});

Deno.test("learning curve figure renders every seed of the grid", async () => {
  const runs = [
    fakeRun("trm-8", 4, [16, 16, 70], { seed: 1 }),
    fakeRun("trm-8", 4, [16, 60, 70], { seed: 2 }),
    fakeRun("eot-6", 4, [30, 40, 50], { seed: 1 }),
    fakeRun("eot-6", 5, [30, 40, 50], { seed: 1 }),
  ];

  const spec = learningCurveSpec(4, runs);
  const svg = await renderSvg(spec);

  assert.match(svg, /^<svg/);
  assert.ok(svg.includes(">trm-8<"));
  assert.ok(svg.includes(">eot-6<"));
  assert.ok(svg.includes("Learning curves on 4×4"));
  const json = JSON.stringify(spec);
  assert.ok(json.includes("trm-8 4×4 seed 1"));
  assert.ok(json.includes("trm-8 4×4 seed 2"));
  assert.ok(!json.includes("5×5"), "a run of another grid leaked into the figure");
});

Deno.test("learning curve figure marks each run's largest rise", () => {
  const spec = learningCurveSpec(4, [fakeRun("trm-8", 4, [16, 16, 70, 71])]) as {
    layer: { data: { values: unknown[] } }[];
  };

  assert.deepEqual(spec.layer[1].data.values, [{
    model: "trm-8",
    run: "trm-8 4×4 seed 1",
    epoch: 3,
    accuracy: 70,
  }]);
});
