import assert from "node:assert/strict";
import { parseReportArgs } from "./arguments.ts";

Deno.test("parseReportArgs leaves defaults to the options", () => {
  assert.deepEqual(parseReportArgs([]), { help: false, check: false, options: {} });
});

Deno.test("parseReportArgs reads every flag", () => {
  const command = parseReportArgs([
    "--runs",
    "my-runs",
    "--out=reports-out",
    "--tolerance",
    "2.5",
    "--check",
    "--min-cells",
    "30",
    "--bench",
    "out/bench-1.json",
    "--images",
    "0",
  ]);

  assert.equal(command.check, true);
  assert.deepEqual(command.options, {
    runsDir: "my-runs",
    outDir: "reports-out",
    tolerance: 2.5,
    minCells: 30,
    benchFile: "out/bench-1.json",
    reconstructionImages: 0,
  });
});

Deno.test("parseReportArgs rejects an unknown flag", () => {
  assert.throws(() => parseReportArgs(["--tolerence", "3"]), { name: "TypeError", message: /--tolerence/ });
});

Deno.test("parseReportArgs rejects bad values naming the flag", () => {
  const cases: [string[], RegExp][] = [
    [["--tolerance=-1"], /Invalid --tolerance "-1"/],
    [["--tolerance", "three"], /Invalid --tolerance "three"/],
    [["--min-cells", "36"], /Invalid --min-cells "36": expected an integer from 0 to 35/],
    [["--min-cells", "2.5"], /Invalid --min-cells "2.5"/],
    [["--images=-2"], /Invalid --images "-2"/],
    [["--runs", ""], /Invalid --runs ""/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseReportArgs(args), { name: "RangeError", message }, args.join(" "));
  }
});

Deno.test("parseReportArgs rejects a flag without its value", () => {
  assert.throws(() => parseReportArgs(["--runs"]), TypeError);
});

Deno.test("parseReportArgs rejects positional arguments", () => {
  assert.throws(() => parseReportArgs(["runs"]), {
    name: "TypeError",
    message: /Unexpected argument "runs"/,
  });
});
