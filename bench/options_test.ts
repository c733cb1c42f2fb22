import assert from "node:assert/strict";
import { benchOptionsFromEnv, DEFAULT_BATCH_SIZE, DEFAULT_ITERATIONS } from "./options.ts";

Deno.test("benchOptionsFromEnv fills defaults when unset", () => {
  const options = benchOptionsFromEnv({});

  assert.equal(options.backend, "wasm");
  assert.equal(options.batchSize, DEFAULT_BATCH_SIZE);
  assert.deepEqual(options.grids, [2, 3, 4, 5, 6]);
  assert.deepEqual(options.cases, []);
  assert.equal(options.iterations, DEFAULT_ITERATIONS);
  assert.equal(options.recordPath, null);
  assert.equal(options.pairedCalibration, false);
  assert.equal(options.slowdown.size, 0);
});

Deno.test("benchOptionsFromEnv reads every variable", () => {
  const options = benchOptionsFromEnv({
    JIGSAW_BENCH_BACKEND: "cpu",
    JIGSAW_BENCH_BATCH: "16",
    JIGSAW_BENCH_GRIDS: "5, 2,5",
    JIGSAW_BENCH_CASES: "eot-2 step, trm-8",
    JIGSAW_BENCH_ITERATIONS: "5",
    JIGSAW_BENCH_RECORD: "/tmp/record.json",
    JIGSAW_BENCH_PAIRED_CALIBRATION: "1",
    JIGSAW_BENCH_SLOWDOWN: "eot-2 step=3,tile encoder = 2",
  });

  assert.equal(options.backend, "cpu");
  assert.equal(options.batchSize, 16);
  assert.deepEqual(options.grids, [2, 5]);
  assert.deepEqual(options.cases, ["eot-2 step", "trm-8"]);
  assert.equal(options.iterations, 5);
  assert.equal(options.recordPath, "/tmp/record.json");
  assert.equal(options.pairedCalibration, true);
  assert.deepEqual([...options.slowdown], [["eot-2 step", 3], ["tile encoder", 2]]);
});

Deno.test("benchOptionsFromEnv treats empty values as unset", () => {
  const options = benchOptionsFromEnv({
    JIGSAW_BENCH_BATCH: " ",
    JIGSAW_BENCH_GRIDS: "",
    JIGSAW_BENCH_RECORD: "",
  });

  assert.equal(options.batchSize, DEFAULT_BATCH_SIZE);
  assert.deepEqual(options.grids, [2, 3, 4, 5, 6]);
  assert.equal(options.recordPath, null);
});

Deno.test("benchOptionsFromEnv rejects invalid values naming the variable", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ JIGSAW_BENCH_BACKEND: "metal" }, /JIGSAW_BENCH_BACKEND "metal"/],
    [{ JIGSAW_BENCH_BATCH: "0" }, /JIGSAW_BENCH_BATCH "0"/],
    [{ JIGSAW_BENCH_BATCH: "2.5" }, /JIGSAW_BENCH_BATCH "2.5"/],
    [{ JIGSAW_BENCH_GRIDS: "2,1" }, /JIGSAW_BENCH_GRIDS "2,1": "1"/],
    [{ JIGSAW_BENCH_GRIDS: "3x3" }, /JIGSAW_BENCH_GRIDS "3x3"/],
    [{ JIGSAW_BENCH_ITERATIONS: "-1" }, /JIGSAW_BENCH_ITERATIONS "-1"/],
    [{ JIGSAW_BENCH_SLOWDOWN: "eot-2 step" }, /JIGSAW_BENCH_SLOWDOWN "eot-2 step"/],
    [{ JIGSAW_BENCH_SLOWDOWN: "eot-2 step=0" }, /JIGSAW_BENCH_SLOWDOWN/],
    [{ JIGSAW_BENCH_PAIRED_CALIBRATION: "yes" }, /JIGSAW_BENCH_PAIRED_CALIBRATION "yes"/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => benchOptionsFromEnv(env), (error: unknown) => {
      assert.ok(error instanceof RangeError, `${JSON.stringify(env)} throws a RangeError`);
      assert.match(error.message, message);
      return true;
    });
  }
});
