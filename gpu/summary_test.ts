import assert from "node:assert/strict";
import type { AdapterProbe } from "../train/backend.ts";
import type { BackendVerification } from "../train/verify_backend.ts";
import {
  checkVerdict,
  type ComparisonOutcome,
  formatAdapterLine,
  formatComparisonLine,
  vendorName,
} from "./summary.ts";

const NVIDIA: AdapterProbe = { description: "NVIDIA H200, vendor 4318", isSoftware: false, failure: null };
const NO_ADAPTER: AdapterProbe = {
  description: null,
  isSoftware: false,
  failure: "no WebGPU adapter was found",
};

const VERIFICATION: BackendVerification = {
  backend: "webgpu",
  kernels: ["Add", "MatMul"],
  lossCpu: 2.5,
  lossBackend: 2.5005,
  mismatchedShare: 0.0004,
};

function passed(model: string): ComparisonOutcome {
  return { model, grid: 3, verification: VERIFICATION, failure: null, seconds: 1.25 };
}

function failed(model: string): ComparisonOutcome {
  return { model, grid: 3, verification: null, failure: "Backend webgpu disagrees", seconds: 2 };
}

Deno.test("vendorName names known PCI vendors", () => {
  assert.equal(vendorName("NVIDIA H200, vendor 4318"), "NVIDIA");
  assert.equal(vendorName("llvmpipe (LLVM 15.0.6, 256 bits), vendor 65541"), "Mesa");
  assert.equal(vendorName("some GPU, vendor 4660"), null);
  assert.equal(vendorName("some GPU"), null);
});

Deno.test("formatAdapterLine marks hardware, software and missing adapters", () => {
  assert.equal(
    formatAdapterLine(NVIDIA),
    "adapter: NVIDIA H200, vendor 4318 (NVIDIA); hardware adapter",
  );
  assert.match(formatAdapterLine({ ...NVIDIA, isSoftware: true }), /; software adapter$/);
  assert.equal(formatAdapterLine(NO_ADAPTER), "FAIL no WebGPU adapter: no WebGPU adapter was found");
});

Deno.test("formatComparisonLine shows differences and tolerances", () => {
  const line = formatComparisonLine(passed("eot-2"));

  assert.match(line, /^PASS eot-2 on grid 3×3 \(1\.3 s\): /);
  assert.match(line, /loss cpu 2\.500000, webgpu 2\.500500/);
  assert.match(line, /relative difference 2\.00e-4 \(tolerance 0\.001\)/);
  assert.match(line, /0\.040% of weight updates differ by more than lr\/2 \(tolerance 1%\)/);
  assert.match(line, /2 kernels$/);
});

Deno.test("formatComparisonLine shows the failure message", () => {
  assert.equal(
    formatComparisonLine(failed("trm-8")),
    "FAIL trm-8 on grid 3×3 (2.0 s): Backend webgpu disagrees",
  );
});

Deno.test("checkVerdict passes only when every comparison passed", () => {
  const allPassed = checkVerdict(NVIDIA, [passed("eot-2"), passed("trm-8")]);
  assert.equal(allPassed.passed, true);
  assert.equal(allPassed.line, "GPU check passed: 2 of 2 training-step comparisons passed");

  const oneFailed = checkVerdict(NVIDIA, [passed("eot-2"), failed("trm-8")]);
  assert.equal(oneFailed.passed, false);
  assert.equal(oneFailed.line, "GPU check FAILED: 1 of 2 training-step comparisons passed; failed: trm-8");
});

Deno.test("checkVerdict fails without comparisons or without an adapter", () => {
  assert.equal(checkVerdict(NVIDIA, []).passed, false);

  const noAdapter = checkVerdict(NO_ADAPTER, [passed("eot-2")]);
  assert.equal(noAdapter.passed, false);
  assert.match(noAdapter.line, /no WebGPU adapter \(no WebGPU adapter was found\)/);
});
