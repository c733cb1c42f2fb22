import assert from "node:assert/strict";
import { parseReproduceArgs, UsageError } from "./reproduce_args.ts";

Deno.test("parseReproduceArgs fills the study's defaults", () => {
  const args = parseReproduceArgs([]);
  assert.equal(args.profile, "auto");
  assert.deepEqual(args.models, ["eot-2", "eot-4", "eot-6", "eot-8", "eot-12", "trm-8", "trm-12"]);
  assert.deepEqual(args.grids, [2, 3, 4, 5, 6]);
  assert.equal(args.runsDir, "runs");
  assert.equal(args.seeds, 1);
  assert.deepEqual(args.training, {});
  assert.equal(args.report, true);
});

Deno.test("parseReproduceArgs reads selections and overrides", () => {
  const args = parseReproduceArgs([
    "--profile=smoke",
    "--models",
    "eot-2,trm-8",
    "--grids",
    "3,4",
    "--epochs",
    "3",
    "--lr",
    "0.001",
    "--train-images",
    "0",
    "--hidden",
    "64",
    "--no-report",
  ]);
  assert.equal(args.profile, "smoke");
  assert.deepEqual(args.models, ["eot-2", "trm-8"]);
  assert.deepEqual(args.grids, [3, 4]);
  assert.deepEqual(args.training, { epochs: 3, learningRate: 0.001, trainImages: null });
  assert.deepEqual(args.modelOverrides, { hidden: 64 });
  assert.equal(args.report, false);
});

Deno.test("parseReproduceArgs rejects bad flags and values with the flag named", () => {
  const cases: [string[], RegExp][] = [
    [["--profile", "fast"], /--profile "fast".*paper, quick, smoke/],
    [["--models", "gpt-2"], /--models entry "gpt-2"/],
    [["--grids", "1"], /--grids "1"/],
    [["--grids", "3,x"], /--grids "x"/],
    [["--epochs", "0"], /--epochs "0"/],
    [["--lr", "abc"], /--lr "abc"/],
    [["--backend", "cuda"], /--backend "cuda"/],
    [["--tile-size", "18"], /--tile-size "18"/],
    [["--heads", "3"], /--heads "3".*128/],
    [["--lr", "-1"], /Missing value for --lr.*--lr=VALUE/],
    [["--lr"], /^Missing value for --lr; run with --help/],
    [["--epochs", "1.5"], /--epochs "1\.5": expected an integer of at least 1$/],
    [["--frobnicate"], /frobnicate.*--help/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseReproduceArgs(argv),
      (error: Error) => error instanceof UsageError && message.test(error.message),
    );
  }
});

Deno.test("parseReproduceArgs keeps one run per repeated model or grid", () => {
  const args = parseReproduceArgs(["--models", "eot-2,eot-2", "--grids", "2,3,2"]);

  assert.deepEqual(args.models, ["eot-2"]);
  assert.deepEqual(args.grids, [2, 3]);
});
