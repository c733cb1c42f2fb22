import assert from "node:assert/strict";
import { DEFAULT_CHECK_OPTIONS, parseCheckArgs } from "./options.ts";

Deno.test("parseCheckArgs fills defaults without arguments", () => {
  const options = parseCheckArgs([]);

  assert.deepEqual(options, DEFAULT_CHECK_OPTIONS);
  assert.deepEqual(options.verifyModels, ["eot-2", "trm-8"]);
});

Deno.test("parseCheckArgs reads every option", () => {
  const options = parseCheckArgs([
    "--verify-models",
    "eot-4, trm-12",
    "--verify-grid",
    "4",
    "--grids",
    "6,2,6",
    "--batch",
    "16",
    "--cases",
    "eot-2 step,trm-8",
    "--iterations",
    "3",
    "--skip-bench",
    "--output",
    "out/gpu.json",
  ]);

  assert.deepEqual(options.verifyModels, ["eot-4", "trm-12"]);
  assert.equal(options.verifyGrid, 4);
  assert.deepEqual(options.grids, [2, 6]);
  assert.equal(options.batchSize, 16);
  assert.deepEqual(options.cases, ["eot-2 step", "trm-8"]);
  assert.equal(options.iterations, 3);
  assert.equal(options.skipBench, true);
  assert.equal(options.output, "out/gpu.json");
});

Deno.test("parseCheckArgs does not share the default arrays", () => {
  const options = parseCheckArgs([]);
  options.grids.push(5);

  assert.deepEqual(parseCheckArgs([]).grids, [2, 4, 6]);
});

Deno.test("parseCheckArgs rejects invalid values naming the option", () => {
  const cases: [string[], RegExp][] = [
    [["--grids", "1"], /Invalid --grids "1"/],
    [["--grids", "2,x"], /Invalid --grids "x"/],
    [["--grids", ","], /Invalid --grids ","/],
    [["--verify-grid", "17"], /Invalid --verify-grid "17"/],
    [["--verify-models", "gpt-2"], /Invalid --verify-models: Invalid model "gpt-2"/],
    [["--verify-models", ""], /Invalid --verify-models ""/],
    [["--batch", "0"], /Invalid --batch "0"/],
    [["--batch", "1.5"], /Invalid --batch "1.5"/],
    [["--iterations", "two"], /Invalid --iterations "two"/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseCheckArgs(args), RangeError, args.join(" "));
    assert.throws(() => parseCheckArgs(args), message, args.join(" "));
  }
});

Deno.test("parseCheckArgs rejects unknown options", () => {
  assert.throws(() => parseCheckArgs(["--grid", "2"]), TypeError);
});
