import assert from "node:assert/strict";
import { join } from "node:path";
import { STUDY_GRIDS, STUDY_MODELS } from "../models/config.ts";
import { writeFakeRun, writeStudyRuns } from "./_fake_runs.ts";
import { generateReport } from "./generate.ts";
import { publishedAccuracy, type StudyModelId } from "./published.ts";

const DATE = new Date("2026-03-01T12:00:00Z");
const published = (modelId: string, grid: number) => publishedAccuracy(modelId as StudyModelId, grid);

/** Runs `body` with a fresh runs folder and output folder, removed afterwards. */
async function withFolders(body: (runsDir: string, outDir: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  try {
    await body(join(root, "runs"), join(root, "out"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const SECTIONS = [
  "## Verdict",
  "## Scale notice",
  "## Results table",
  "## Accuracy against grid size",
  "## Learning curves",
  "### Abrupt transitions",
  "## Reconstructions",
  "## Cost",
  "## Environment",
];

Deno.test("generateReport writes every section of a quick report in order", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeStudyRuns(runsDir, published, ["eot-2", "trm-8"], [2, 3], {
      profile: "quick",
      dataset: "synthetic",
    });
    await writeFakeRun(runsDir, "eot-4", 2, [40], { profile: "quick", dataset: "synthetic", epochs: 4 });

    // The bench folder is the empty output folder, so bench JSON of this checkout is not found.
    const result = await generateReport({
      runsDir,
      outDir,
      benchFolder: outDir,
      date: DATE,
      sources: null,
      log: () => {},
    });

    assert.equal(result.reports.length, 1);
    const report = result.reports[0];
    assert.equal(report.path, join(outDir, "2026-03-01-quick.md"));
    assert.equal(result.path, report.path);
    const text = await Deno.readTextFile(report.path);

    let position = -1;
    for (const heading of SECTIONS) {
      const found = text.indexOf(`\n${heading}`);
      assert.ok(found > position, `${heading} is missing or out of order`);
      position = found;
    }
    const firstLines = text.split("\n").slice(0, 4).join("\n");
    assert.match(firstLines, /Pipeline check, not a reproduction/);
    assert.match(text, /## Verdict \(pipeline check, not a reproduction\)/);
    assert.match(text, /\*\*4 of 35 cells\*\* are within ±3\.0 percentage points/);
    assert.match(text, /\| eot-4 \| 2×2 \| unfinished \(1 of 4 epochs\) \|/);
    assert.match(text, /\| eot-6 \| 2×2 \| missing \|/);
    assert.match(text, /No benchmark results: run `deno task bench:table`/);
    assert.match(text, /epochs: 4 \(study: 10\)/);
  });
});

Deno.test("generateReport renders the figures it links", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeStudyRuns(runsDir, published, ["trm-8"], [3, 5], { profile: "smoke", dataset: "synthetic" });

    const result = await generateReport({ runsDir, outDir, date: DATE, sources: null, log: () => {} });

    const report = result.reports[0];
    const text = await Deno.readTextFile(report.path);
    const linked = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]);
    assert.deepEqual(linked, [
      "2026-03-01-smoke-accuracy.svg",
      "2026-03-01-smoke-curves-3x3.svg",
      "2026-03-01-smoke-curves-5x5.svg",
    ]);
    for (const file of linked) {
      const svg = await Deno.readTextFile(join(outDir, file));
      assert.match(svg, /^<svg/, file);
      assert.ok(svg.includes(">trm-8<"), `${file} lacks the trm-8 series`);
    }
    assert.deepEqual(report.figures, linked.map((file) => join(outDir, file)));
  });
});

Deno.test("generateReport passes a full paper reproduction without a scale notice", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeStudyRuns(runsDir, published, STUDY_MODELS, STUDY_GRIDS, { offset: -2.9 });

    const result = await generateReport({ runsDir, outDir, date: DATE, sources: null, log: () => {} });

    const report = result.reports[0];
    assert.equal(report.reproduction, true);
    assert.equal(report.verdict.cellsWithin, 35);
    assert.equal(result.passesCheck, true);
    const text = await Deno.readTextFile(report.path);
    assert.doesNotMatch(text, /Pipeline check/);
    assert.doesNotMatch(text, /## Scale notice/);
    assert.match(text, /^## Verdict$/m);
  });
});

Deno.test("generateReport fails the check 3.1 points off", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeStudyRuns(runsDir, published, STUDY_MODELS, STUDY_GRIDS, { offset: 3.1 });

    const strict = await generateReport({ runsDir, outDir, date: DATE, sources: null, log: () => {} });
    const lenient = await generateReport({
      runsDir,
      outDir,
      date: DATE,
      sources: null,
      tolerance: 3.2,
      log: () => {},
    });

    assert.equal(strict.reports[0].verdict.cellsWithin, 0);
    assert.equal(strict.passesCheck, false);
    assert.equal(lenient.reports[0].verdict.cellsWithin, 35);
    assert.equal(lenient.passesCheck, true);
  });
});

Deno.test("generateReport honours --min-cells", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeStudyRuns(runsDir, published, ["eot-2", "eot-4"], STUDY_GRIDS);

    const all = await generateReport({ runsDir, outDir, date: DATE, sources: null, log: () => {} });
    const ten = await generateReport({
      runsDir,
      outDir,
      date: DATE,
      sources: null,
      minCells: 10,
      log: () => {},
    });
    const eleven = await generateReport({
      runsDir,
      outDir,
      date: DATE,
      sources: null,
      minCells: 11,
      log: () => {},
    });

    assert.equal(all.passesCheck, false);
    assert.equal(ten.passesCheck, true);
    assert.equal(eleven.passesCheck, false);
  });
});

Deno.test("generateReport fills the cost section from a bench file", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeStudyRuns(runsDir, published, ["eot-8", "trm-8"], [4]);
    const benchFile = join(outDir, "bench-test.json");
    await Deno.mkdir(outDir, { recursive: true });
    const benchCase = (name: string, model: string, msPerStep: number, flopsPerStep: number) => ({
      group: "grid 4×4",
      name,
      model,
      grid: 4,
      batchSize: 4,
      msPerStep,
      flopsPerStep,
      parameterCount: 1,
      layerApplications: 1,
    });
    await Deno.writeTextFile(
      benchFile,
      JSON.stringify({
        machine: {
          cpu: "AMD EPYC",
          runtime: "Deno 2.9.6",
          os: "linux",
          arch: "x86_64",
          cores: 16,
          memoryBytes: 1,
        },
        backend: { name: "wasm", adapter: null, isSoftware: false, threads: 16 },
        cases: [benchCase("eot-8 step", "eot-8", 10, 4e9), benchCase("trm-8 batch", "trm-8", 95, 40e9)],
      }),
    );

    const result = await generateReport({
      runsDir,
      outDir,
      date: DATE,
      sources: null,
      benchFile,
      log: () => {},
    });

    const text = await Deno.readTextFile(result.reports[0].path);
    assert.match(text, /machine AMD EPYC, 16 cores, Deno 2\.9\.6, linux\/x86_64, backend wasm\./);
    assert.match(text, /\| 4×4 \| trm-8 \| 95 \| 10 \| 9\.5× \| 10× \|/);
  });
});

Deno.test("generateReport writes one report per profile", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeFakeRun(runsDir, "eot-2", 2, [90], { profile: "smoke", dataset: "synthetic" });
    await writeFakeRun(runsDir, "eot-2", 3, [90], { profile: "quick", dataset: "synthetic" });

    const result = await generateReport({ runsDir, outDir, date: DATE, sources: null, log: () => {} });

    assert.deepEqual(result.reports.map((report) => report.path), [
      join(outDir, "2026-03-01-quick.md"),
      join(outDir, "2026-03-01-smoke.md"),
    ]);
  });
});

Deno.test("generateReport warns about runs outside the table", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeFakeRun(runsDir, "eot-2", 2, [90]);
    await writeFakeRun(runsDir, "eot-3", 2, [90]);

    const lines: string[] = [];
    const result = await generateReport({
      runsDir,
      outDir,
      date: DATE,
      sources: null,
      log: (line) => lines.push(line),
    });

    const text = await Deno.readTextFile(result.reports[0].path);
    assert.match(text, /## Warnings\n\n- eot-3 2×2 seed 1 .* is not a cell of the study's table; left out/);
    assert.ok(lines.some((line) => line.startsWith("warning: eot-3 2×2 seed 1")));
  });
});

Deno.test("generateReport rejects runs outside the table only", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeFakeRun(runsDir, "eot-3", 2, [90]);

    await assert.rejects(() => generateReport({ runsDir, outDir, sources: null, log: () => {} }), {
      message: /contains no run of the study's models/,
    });
  });
});

Deno.test("generateReport rejects an empty runs folder", async () => {
  await withFolders(async (runsDir, outDir) => {
    await Deno.mkdir(join(runsDir, ".cache"), { recursive: true });

    await assert.rejects(() => generateReport({ runsDir, outDir, sources: null, log: () => {} }), {
      message: /contains no runs; train first with deno task reproduce/,
    });
  });
});

Deno.test("generateReport removes stale figures of the same report", async () => {
  await withFolders(async (runsDir, outDir) => {
    await writeStudyRuns(runsDir, published, ["eot-2"], [2], { profile: "quick", dataset: "synthetic" });
    await Deno.mkdir(outDir, { recursive: true });
    const stale = join(outDir, "2026-03-01-quick-curves-6x6.svg");
    const otherReport = join(outDir, "2026-03-01-quick-photos-curves-6x6.svg");
    await Deno.writeTextFile(stale, "<svg/>");
    await Deno.writeTextFile(otherReport, "<svg/>");

    const result = await generateReport({
      runsDir,
      outDir,
      benchFolder: outDir,
      date: DATE,
      sources: null,
      log: () => {},
    });

    await assert.rejects(() => Deno.stat(stale), Deno.errors.NotFound);
    assert.ok((await Deno.stat(otherReport)).isFile, "another report's figure was removed");
    for (const figure of result.reports[0].figures) assert.ok((await Deno.stat(figure)).isFile, figure);
  });
});
