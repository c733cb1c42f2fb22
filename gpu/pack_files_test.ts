import assert from "node:assert/strict";
import { type DenoInfo, importedPackages, isPackedFile } from "./pack_files.ts";

const INFO: DenoInfo = {
  modules: [
    { kind: "esm" },
    { kind: "npm", npmPackage: "tfjs@1.0.0" },
    { kind: "npm", npmPackage: "pure-rand@8.4.2" },
  ],
  npmPackages: {
    "tfjs@1.0.0": { dependencies: ["tfjs-core@1.0.0", "long@4.0.0"] },
    "tfjs-core@1.0.0": { dependencies: ["long@4.0.0"] },
    "long@4.0.0": { dependencies: [] },
    "pure-rand@8.4.2": { dependencies: [] },
    "vega@6.4.0": { dependencies: ["d3-array@3.2.4"] },
    "d3-array@3.2.4": { dependencies: [] },
  },
};

Deno.test("importedPackages follows dependencies of imported packages", () => {
  assert.deepEqual([...importedPackages(INFO)].sort(), [
    "long@4.0.0",
    "pure-rand@8.4.2",
    "tfjs-core@1.0.0",
    "tfjs@1.0.0",
  ]);
});

Deno.test("importedPackages rejects a dependency missing from the graph", () => {
  const info: DenoInfo = {
    modules: [{ kind: "npm", npmPackage: "tfjs@1.0.0" }],
    npmPackages: { "tfjs@1.0.0": { dependencies: ["gone@1.0.0"] } },
  };

  assert.throws(() => importedPackages(info), /npm package gone@1\.0\.0 is missing/);
});

Deno.test("isPackedFile keeps code and declarations but not maps or sources", () => {
  const packed = [
    "package.json",
    "dist/tf-core.node.js",
    "dist/ops/add.d.ts",
    "dist/tfjs-backend-wasm.wasm",
    "src/long.js",
    "src/types.d.ts",
  ];
  const dropped = [
    "dist/tf-core.node.js.map",
    "dist/tf-core.min.js",
    "dist/tf.es2017.min.js.html",
    "src/ops/add.ts",
    "dist/miniprogram/index.js",
  ];
  for (const path of packed) assert.equal(isPackedFile(path), true, path);
  for (const path of dropped) assert.equal(isPackedFile(path), false, path);
});
