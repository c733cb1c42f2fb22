import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeRgbPng } from "./_test_images.ts";
import { findCoco, openDataset } from "./dataset.ts";
import { SYNTHETIC_GENERATOR, syntheticImage } from "./synthetic.ts";

function fakeEnv(values: Record<string, string>) {
  return { get: (key: string) => values[key] };
}

async function withTempDir(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dataset_test_" });
  try {
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Writes `count` PNGs into `folder`, plus one corrupt JPEG named `zz.jpg`. */
async function writeImages(folder: string, count: number, corrupt = false): Promise<void> {
  await Deno.mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) {
    await Deno.writeFile(
      join(folder, `img${i}.png`),
      await encodeRgbPng(24, 24, syntheticImage("train", i, 24)),
    );
  }
  if (corrupt) {
    await Deno.writeFile(join(folder, "zz.jpg"), new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  }
}

Deno.test("openDataset renders the synthetic set", async () => {
  const dataset = await openDataset({ kind: "synthetic", trainImages: 5, testImages: 3, grid: 2 });
  try {
    assert.deepEqual(dataset.info, {
      name: "synthetic",
      kind: "synthetic",
      root: null,
      trainImages: 5,
      testImages: 3,
      skipped: [],
      generator: SYNTHETIC_GENERATOR,
    });
    assert.equal(dataset.train.side, 32);
    const out = new Uint8Array(32 * 32 * 3);
    for (const [split, name] of [[dataset.train, "train"], [dataset.test, "test"]] as const) {
      for (let index = 0; index < split.count; index++) {
        split.readImage(index, out);
        assert.deepEqual(out, syntheticImage(name, index, 32), `${name} ${index}`);
        // The second read comes from the kept copy.
        out.fill(0);
        split.readImage(index, out);
        assert.deepEqual(out, syntheticImage(name, index, 32), `${name} ${index} again`);
      }
    }
    assert.throws(() => dataset.train.readImage(5, out), { name: "RangeError", message: /outside 0..4/ });
  } finally {
    dataset.close();
  }
});

Deno.test("openDataset opens a folder through caches", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "My-Photos");
    await writeImages(join(root, "train"), 4, true);
    await writeImages(join(root, "test"), 2);
    const warnings: string[] = [];
    const options = {
      kind: "folder",
      root,
      grid: 2,
      tileSize: 8,
      cacheDir: join(dir, "cache"),
      workers: 2,
      progress: false,
      warn: (line: string) => warnings.push(line),
    } as const;

    const dataset = await openDataset(options);
    dataset.close();
    assert.deepEqual(dataset.info, {
      name: "My-Photos",
      kind: "folder",
      root,
      trainImages: 4,
      testImages: 2,
      skipped: ["train/zz.jpg"],
    });
    assert.equal(dataset.train.side, 16);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /zz\.jpg/);

    const limited = await openDataset({ ...options, trainImages: 3, testImages: 1 });
    limited.close();
    assert.equal(limited.train.count, 3);
    assert.equal(limited.test.count, 1);
  });
});

Deno.test("openDataset names a missing split folder", async () => {
  await withTempDir(async (dir) => {
    await writeImages(join(dir, "train"), 1);
    await assert.rejects(
      openDataset({ kind: "folder", root: dir, grid: 2, cacheDir: join(dir, "cache"), progress: false }),
      (error: Error) => {
        assert.ok(error instanceof Deno.errors.NotFound);
        assert.ok(error.message.includes(dir), error.message);
        assert.match(error.message, /Missing folder .*test: /);
        return true;
      },
    );
  });
});

Deno.test("openDataset names an empty split folder", async () => {
  await withTempDir(async (dir) => {
    await writeImages(join(dir, "train"), 1);
    await Deno.mkdir(join(dir, "test"));
    await assert.rejects(
      openDataset({
        kind: "coco",
        root: dir,
        grid: 2,
        cacheDir: join(dir, "cache"),
        workers: 1,
        progress: false,
      }),
      (error: Error) => {
        assert.ok(error.message.includes(join(dir, "test")), error.message);
        assert.match(error.message, /No usable image/);
        return true;
      },
    );
  });
});

Deno.test("openDataset rejects invalid options", async () => {
  await assert.rejects(openDataset({ kind: "synthetic", grid: 2 }), {
    name: "TypeError",
    message: /trainImages/,
  });
  await assert.rejects(openDataset({ kind: "coco", grid: 2 }), { name: "TypeError", message: /root/ });
  await assert.rejects(openDataset({ kind: "synthetic", grid: 0, trainImages: 1, testImages: 1 }), {
    name: "RangeError",
    message: /grid 0/,
  });
  await assert.rejects(openDataset({ kind: "synthetic", grid: 2, trainImages: 1.5, testImages: 1 }), {
    name: "RangeError",
    message: /1\.5/,
  });
});

Deno.test("findCoco reads DATASETS", async () => {
  assert.equal(findCoco(fakeEnv({})), null);
  assert.equal(findCoco(fakeEnv({ DATASETS: "" })), null);
  await withTempDir(async (dir) => {
    assert.equal(findCoco(fakeEnv({ DATASETS: dir })), null);
    await Deno.mkdir(join(dir, "COCO", "2017"), { recursive: true });
    assert.equal(findCoco(fakeEnv({ DATASETS: dir })), join(dir, "COCO", "2017"));
  });
});
