import assert from "node:assert/strict";
import { readBaseline } from "./baseline.ts";
import { benchCases } from "./cases.ts";
import { CI_OPTIONS, main } from "./check.ts";
import { type StepTime, type SuiteRun, withTimings } from "./results.ts";
import type { SuiteRunner } from "./suite.ts";

const OPTIONS = {
  backend: "wasm" as const,
  batchSize: 1,
  grids: [2],
  cases: ["eot-2 step", "tile encoder"],
  iterations: 2,
};
const CASES = benchCases(OPTIONS);

/** Returns a stand-in suite whose cases take `ms` milliseconds each and the paired calibration 100. */
function fakeRunner(ms: Record<string, number>): SuiteRunner {
  return () => {
    const times = new Map<string, StepTime>(
      CASES.map((c) => {
        const time = c.kind === "calibration" ? 100 : ms[c.name];
        const calibrationRatio = c.kind === "calibration" ? null : time / 100;
        return [`${c.group}/${c.name}`, { mean: time, min: time, calibrationRatio }];
      }),
    );
    const run: SuiteRun = {
      machine: { cpu: "Test CPU", runtime: "Deno", os: "linux", arch: "x86_64", cores: 2, memoryBytes: 1 },
      backend: { name: "wasm", adapter: null, isSoftware: false, threads: 1 },
      options: OPTIONS,
      cases: withTimings(CASES, times),
    };
    return Promise.resolve(run);
  };
}

/** Runs `body` with console.log and console.error collected into the returned lines. */
async function captureOutput(body: () => Promise<number>): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const { log, error } = console;
  console.log = (...values: unknown[]) => lines.push(values.join(" "));
  console.error = (...values: unknown[]) => lines.push(values.join(" "));
  try {
    return { code: await body(), lines };
  } finally {
    console.log = log;
    console.error = error;
  }
}

async function withTempFile(body: (path: string) => Promise<void>): Promise<void> {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await body(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("check passes against a fresh baseline", async () => {
  await withTempFile(async (path) => {
    const runner = fakeRunner({ "eot-2 step": 50, "tile encoder": 20 });
    const written = await captureOutput(() =>
      main(["--write-baseline", "--baseline", path, "--runs", "2"], {}, runner)
    );
    assert.equal(written.code, 0);
    assert.equal((await readBaseline(path)).runs, 2);

    const checked = await captureOutput(() => main(["--baseline", path], {}, runner));

    assert.equal(checked.code, 0);
    assert.ok(
      checked.lines.some((line) => line.startsWith("Passed: 2 cases within 25%")),
      checked.lines.join("\n"),
    );
  });
});

Deno.test("check fails and lists a case made slower", async () => {
  await withTempFile(async (path) => {
    await captureOutput(() =>
      main(["--write-baseline", "--baseline", path], {}, fakeRunner({ "eot-2 step": 50, "tile encoder": 20 }))
    );

    const slower = fakeRunner({ "eot-2 step": 65, "tile encoder": 20 });
    const checked = await captureOutput(() => main(["--baseline", path], {}, slower));

    assert.equal(checked.code, 1);
    const failure = checked.lines.findIndex((line) => line.startsWith("Failed: 1 case(s) slower"));
    assert.ok(failure >= 0, checked.lines.join("\n"));
    const offenders = checked.lines.slice(failure + 1).join("\n");
    assert.match(offenders, /grid 2×2\/eot-2 step .* \+30\.0% \|/);
    assert.doesNotMatch(offenders, /tile encoder/);
  });
});

Deno.test("check --margin widens the allowed slowdown", async () => {
  await withTempFile(async (path) => {
    await captureOutput(() =>
      main(["--write-baseline", "--baseline", path], {}, fakeRunner({ "eot-2 step": 50, "tile encoder": 20 }))
    );

    const slower = fakeRunner({ "eot-2 step": 65, "tile encoder": 20 });
    const checked = await captureOutput(() => main(["--baseline", path, "--margin", "0.4"], {}, slower));

    assert.equal(checked.code, 0);
  });
});

Deno.test("check --ci rejects a baseline of another case set", async () => {
  await withTempFile(async (path) => {
    await captureOutput(() =>
      main(["--write-baseline", "--baseline", path], {}, fakeRunner({ "eot-2 step": 50, "tile encoder": 20 }))
    );

    const checked = await captureOutput(() => main(["--baseline", path, "--ci"], {}, fakeRunner({})));

    assert.equal(checked.code, 1);
    assert.match(
      checked.lines.join("\n"),
      /not taken with the CI case set: rewrite it with "deno task bench:baseline --ci"/,
    );
  });
});

Deno.test("check rejects invalid flags", async () => {
  await assert.rejects(main(["--margin", "a lot"], {}, fakeRunner({})), /Invalid --margin "a lot"/);
  await assert.rejects(main(["--runs", "0"], {}, fakeRunner({})), /Invalid --runs "0"/);
  await assert.rejects(main(["--unknown"], {}, fakeRunner({})), TypeError);
});

Deno.test("committed baseline uses the CI case set", async () => {
  const baseline = await readBaseline(new URL("./baseline.json", import.meta.url).pathname);

  assert.deepEqual(baseline.options, CI_OPTIONS);
  assert.equal(baseline.cases.length, CI_OPTIONS.grids.length * CI_OPTIONS.cases.length);
});

// The whole pipeline on the real suite: deno bench --json, the run record, the baseline and
// the check. One tiny case keeps it to a few seconds per run. The slowdown repeats its step
// 4 times, far beyond the 100 % margin that keeps the passing check stable under load.
Deno.test("check on the real suite fails only when a case is slowed", async () => {
  await withTempFile(async (path) => {
    const env = {
      JIGSAW_BENCH_BACKEND: "wasm",
      JIGSAW_BENCH_BATCH: "1",
      JIGSAW_BENCH_GRIDS: "2",
      JIGSAW_BENCH_CASES: "encoder block",
      JIGSAW_BENCH_ITERATIONS: "2",
    };
    const written = await captureOutput(() =>
      main(["--write-baseline", "--baseline", path, "--runs", "1"], env)
    );
    assert.equal(written.code, 0, written.lines.join("\n"));

    // A wide margin and a tenfold slowdown keep the test deterministic on a busy machine,
    // where a millisecond-scale case moved by up to about 130% between runs.
    const passed = await captureOutput(() => main(["--baseline", path, "--runs", "3", "--margin", "3"], env));
    assert.equal(passed.code, 0, passed.lines.join("\n"));

    const slowed = await captureOutput(() =>
      main(["--baseline", path, "--runs", "3", "--margin", "3"], {
        ...env,
        JIGSAW_BENCH_SLOWDOWN: "encoder block=12",
      })
    );
    assert.equal(slowed.code, 1, slowed.lines.join("\n"));
    assert.ok(slowed.lines.some((line) => /grid 2×2\/encoder block .*\+[0-9.]+% \|/.test(line)));
  });
});
