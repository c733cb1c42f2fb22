import assert from "node:assert/strict";
import { formatGroups, groupKernels, profiledCase } from "./profile_kernels.ts";

const CALLS = [
  { name: "Conv2D", inputShapes: [[1, 8, 8, 3]], kernelTimeMs: 5 },
  { name: "unnamed scope", inputShapes: [[1, 8, 8, 3]], kernelTimeMs: 6 },
  { name: "Conv2D", inputShapes: [[2, 8, 8, 3]], kernelTimeMs: 3 },
  { name: "Sum", inputShapes: [[4]], kernelTimeMs: 7 },
];

Deno.test("groupKernels sums by key, largest first, without wrapper scopes", () => {
  const groups = groupKernels(CALLS, (call) => call.name);

  assert.deepEqual(groups, [
    { key: "Conv2D", milliseconds: 8, calls: 2 },
    { key: "Sum", milliseconds: 7, calls: 1 },
  ]);
  assert.equal(formatGroups(groups, 1), "      8.0 ms    x2  Conv2D");
});

Deno.test("profiledCase maps case names to workload kinds and rejects others", () => {
  assert.equal(profiledCase("eot-12 step", 3, 4).kind, "eot-step");
  assert.equal(profiledCase("trm-8 batch", 3, 4).model, "trm-8");
  assert.equal(profiledCase("trm-8 macro-step", 3, 4).kind, "trm-macro-step");
  assert.equal(profiledCase("tile encoder", 3, 4).model, null);
  assert.throws(() => profiledCase("eot-2", 3, 4), /Invalid --case "eot-2"/);
});
