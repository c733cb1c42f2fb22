import assert from "node:assert/strict";
import { formatDuration, pluralize, ProgressLine, type ProgressOutput } from "./progress.ts";

function fakeOutput(isTerminal: boolean): ProgressOutput & { text: string } {
  return {
    isTerminal,
    text: "",
    columns: () => 120,
    write(text) {
      this.text += text;
    },
  };
}

Deno.test("formatDuration() picks seconds, minutes or hours", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(59.4), "59s");
  assert.equal(formatDuration(245), "4m05s");
  assert.equal(formatDuration(3720), "1h02m");
  assert.equal(formatDuration(Infinity), "--");
});

Deno.test("ProgressLine prints plain lines every interval off a terminal", () => {
  const output = fakeOutput(false);
  let clock = 0;
  const progress = new ProgressLine("epoch 1/2", 30, "batch", {
    output,
    now: () => clock,
    plainIntervalMs: 10_000,
  });

  for (let done = 1; done <= 25; done++) {
    clock = done * 1000;
    progress.update(done, `loss ${done}`);
  }
  const lines = output.text.trimEnd().split("\n");
  assert.equal(lines.length, 2);
  assert.equal(lines[0], "epoch 1/2: 10/30 batches (33%) 1.00/s ETA 20s loss 10");
  assert.equal(lines[1], "epoch 1/2: 20/30 batches (66%) 1.00/s ETA 10s loss 20");

  clock = 30_000;
  progress.update(30, "loss 30");
  progress.finish("done");
  progress.finish("twice");
  const final = output.text.trimEnd().split("\n");
  assert.equal(final.length, 4);
  assert.equal(final[3], "epoch 1/2: 30/30 batches in 30s (1.00/s) done");
});

Deno.test("ProgressLine finish repeats last suffix without summary", () => {
  const output = fakeOutput(false);
  let clock = 0;
  const progress = new ProgressLine("test", 4, "batch", { output, now: () => clock });
  clock = 2000;
  progress.update(4, "patch 50.0%");
  progress.finish();
  assert.equal(output.text, "test: 4/4 batches in 2s (2.00/s) patch 50.0%\n");
});

Deno.test("ProgressLine redraws in place on a terminal", () => {
  const output = fakeOutput(true);
  const progress = new ProgressLine("cache", 3, "image", { output });
  progress.update(1);
  progress.log("warning: skipped a.jpg");
  progress.update(3, "ok");
  progress.finish();

  assert.match(output.text, /\rcache \[[=-]+\] \d\/3 images (--|[\d.]+)\/s ETA (--|\d+s)/);
  assert.ok(output.text.includes("\r\x1b[2Kwarning: skipped a.jpg\n"));
  assert.match(output.text, /cache: 3\/3 images in \d+s \([^)]*\) ok\n$/);
});

Deno.test("pluralize adds s or es", () => {
  assert.equal(pluralize("batch"), "batches");
  assert.equal(pluralize("image"), "images");
  assert.equal(pluralize("pass"), "passes");
});

Deno.test("ProgressLine rejects a negative total", () => {
  assert.throws(() => new ProgressLine("x", -1), { name: "RangeError", message: /-1/ });
});
