import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeRgbJpeg, encodeRgbPng } from "./_test_images.ts";
import { cacheFilePath, type ImageCache, type ImageCacheOptions, openImageCache } from "./cache.ts";
import { decodeImage, resizeArea } from "./images.ts";
import { syntheticImage } from "./synthetic.ts";

const SIDE = 32;

/** Returns a 40×30 source image, cropped from a 40×40 synthetic test image. */
function sourceImage(index: number): Uint8Array {
  return syntheticImage("test", index, 40).slice(0, 40 * 30 * 3);
}

/**
 * Writes a split folder: 3 PNGs (one named .jpg), 2 JPEGs (one in a subfolder), plus
 * a corrupt JPEG, a text file and a hidden PNG.
 */
async function writeSplit(folder: string): Promise<void> {
  await Deno.mkdir(join(folder, "nested"), { recursive: true });
  await Deno.writeFile(join(folder, "a.png"), await encodeRgbPng(40, 30, sourceImage(0)));
  await Deno.writeFile(join(folder, "b.jpg"), await encodeRgbPng(40, 30, sourceImage(1)));
  await Deno.writeFile(join(folder, "c.jpg"), await encodeRgbJpeg(40, 30, sourceImage(2)));
  await Deno.writeFile(
    join(folder, "d.broken.jpg"),
    new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 7, 7, 7]),
  );
  await Deno.writeFile(join(folder, "e.png"), await encodeRgbPng(40, 30, sourceImage(3)));
  await Deno.writeTextFile(join(folder, "notes.txt"), "not an image");
  await Deno.writeFile(join(folder, ".hidden.png"), await encodeRgbPng(40, 30, sourceImage(4)));
  await Deno.writeFile(join(folder, "nested", "f.jpeg"), await encodeRgbJpeg(40, 30, sourceImage(5)));
}

/** Paths of the usable images that writeSplit writes, in listing order. */
const USABLE = ["a.png", "b.jpg", "c.jpg", "e.png", "nested/f.jpeg"];

interface Fixture {
  root: string;
  folder: string;
  warnings: string[];
  options(overrides?: Partial<ImageCacheOptions>): ImageCacheOptions;
}

async function withFixture(test: (fixture: Fixture) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "cache_test_" });
  const folder = join(root, "images", "train");
  await writeSplit(folder);
  const warnings: string[] = [];
  const fixture: Fixture = {
    root,
    folder,
    warnings,
    options: (overrides = {}) => ({
      folder,
      name: "images-train",
      side: SIDE,
      cacheDir: join(root, "cache"),
      workers: 2,
      maxImages: null,
      progress: false,
      warn: (line) => warnings.push(line),
      ...overrides,
    }),
  };
  try {
    await test(fixture);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function readAll(cache: ImageCache): Uint8Array[] {
  return Array.from({ length: cache.count }, (_, index) => {
    const out = new Uint8Array(SIDE * SIDE * 3);
    cache.readImage(index, out);
    return out;
  });
}

async function expectedPixels(path: string): Promise<Uint8Array> {
  const image = await decodeImage(await Deno.readFile(path), path);
  return resizeArea(image.rgb, image.width, image.height, SIDE);
}

Deno.test("openImageCache stores resized images in listing order", async () => {
  await withFixture(async ({ folder, options }) => {
    const cache = await openImageCache(options());
    try {
      assert.equal(cache.count, USABLE.length);
      assert.equal(cache.side, SIDE);
      assert.deepEqual(cache.metadata.images, USABLE);
      const images = readAll(cache);
      for (let i = 0; i < USABLE.length; i++) {
        assert.deepEqual(images[i], await expectedPixels(join(folder, USABLE[i])), USABLE[i]);
      }
    } finally {
      cache.close();
    }
  });
});

Deno.test("openImageCache skips and lists undecodable files", async () => {
  await withFixture(async ({ options, warnings }) => {
    const cache = await openImageCache(options());
    cache.close();
    assert.deepEqual(cache.metadata.skipped.map((file) => file.path), ["d.broken.jpg"]);
    assert.match(cache.metadata.skipped[0].reason, /invalid JPEG/);
    assert.deepEqual(cache.metadata.ignored, ["notes.txt"]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /d\.broken\.jpg/);
  });
});

Deno.test("openImageCache reuses a cache without decoding", async () => {
  await withFixture(async ({ options, warnings }) => {
    const first = await openImageCache(options());
    const firstImages = readAll(first);
    first.close();
    assert.equal(first.built, true);
    const { mtime } = await Deno.stat(first.path);

    const second = await openImageCache(options());
    try {
      assert.equal(second.built, false);
      assert.equal(second.path, first.path);
      assert.deepEqual(readAll(second), firstImages);
      assert.deepEqual(second.metadata, first.metadata);
      assert.deepEqual((await Deno.stat(second.path)).mtime, mtime);
      // The only warning is the undecodable file of the first build.
      assert.equal(warnings.length, 1);
    } finally {
      second.close();
    }
  });
});

Deno.test("openImageCache rebuilds after a source change", async () => {
  await withFixture(async ({ folder, options }) => {
    const first = await openImageCache(options());
    first.close();

    // New content, size and modification time for e.png.
    await Deno.writeFile(
      join(folder, "e.png"),
      await encodeRgbPng(50, 20, syntheticImage("train", 9, 50).slice(0, 3000)),
    );
    await Deno.utime(join(folder, "e.png"), new Date(2001, 0, 1), new Date(2001, 0, 1));

    const second = await openImageCache(options());
    try {
      assert.equal(second.built, true);
      assert.equal(second.path, first.path);
      const index = USABLE.indexOf("e.png");
      assert.deepEqual(readAll(second)[index], await expectedPixels(join(folder, "e.png")));
    } finally {
      second.close();
    }
  });
});

Deno.test("openImageCache rebuilds after a new file", async () => {
  await withFixture(async ({ folder, options }) => {
    (await openImageCache(options())).close();
    await Deno.writeFile(join(folder, "b2.png"), await encodeRgbPng(40, 30, sourceImage(6)));
    const cache = await openImageCache(options());
    cache.close();
    assert.equal(cache.built, true);
    assert.deepEqual(cache.metadata.images, ["a.png", "b.jpg", "b2.png", "c.jpg", "e.png", "nested/f.jpeg"]);
  });
});

Deno.test("openImageCache rebuilds a truncated cache", async () => {
  await withFixture(async ({ options, warnings }) => {
    const first = await openImageCache(options());
    const images = readAll(first);
    first.close();

    const { size } = await Deno.stat(first.path);
    await Deno.truncate(first.path, size - 100);
    const second = await openImageCache(options());
    try {
      assert.equal(second.built, true);
      assert.deepEqual(readAll(second), images);
      assert.ok(
        warnings.some((line) => line.includes("Rebuilding") && line.includes("truncated")),
        warnings.join("\n"),
      );
      assert.equal((await Deno.stat(second.path)).size, size);
    } finally {
      second.close();
    }
  });
});

Deno.test("openImageCache rebuilds a corrupt cache", async () => {
  await withFixture(async ({ options, warnings }) => {
    const first = await openImageCache(options());
    const images = readAll(first);
    first.close();

    // Flip one pixel byte: the length stays right, only the checksum can tell.
    const bytes = await Deno.readFile(first.path);
    bytes[128 + 1000] ^= 0xff;
    await Deno.writeFile(first.path, bytes);
    const second = await openImageCache(options());
    try {
      assert.equal(second.built, true);
      assert.deepEqual(readAll(second), images);
      assert.ok(warnings.some((line) => line.includes("checksum")), warnings.join("\n"));
    } finally {
      second.close();
    }
  });
});

Deno.test("openImageCache writes the same bytes with 1 or 2 workers", async () => {
  await withFixture(async ({ root, options }) => {
    const one = await openImageCache(options({ workers: 1, cacheDir: join(root, "one") }));
    one.close();
    const two = await openImageCache(options({ workers: 2, cacheDir: join(root, "two") }));
    two.close();
    const three = await openImageCache(options({ workers: 3, cacheDir: join(root, "three"), maxImages: 2 }));
    three.close();
    assert.deepEqual(await Deno.readFile(two.path), await Deno.readFile(one.path));
    assert.deepEqual(three.metadata.images, ["a.png", "b.jpg"]);
  });
});

Deno.test("openImageCache keeps the first maxImages usable images", async () => {
  await withFixture(async ({ options }) => {
    const all = await openImageCache(options());
    const allImages = readAll(all);
    all.close();
    // The fourth file is undecodable, so four usable images reach the fifth file.
    const first = await openImageCache(options({ maxImages: 4, workers: 1 }));
    try {
      assert.notEqual(first.path, all.path);
      assert.deepEqual(first.metadata.images, USABLE.slice(0, 4));
      assert.deepEqual(readAll(first), allImages.slice(0, 4));
    } finally {
      first.close();
    }
  });
});

Deno.test("openImageCache names a folder without images", async () => {
  await withFixture(async ({ root, options }) => {
    const empty = join(root, "empty");
    await Deno.mkdir(empty);
    await assert.rejects(openImageCache(options({ folder: empty })), (error: Error) => {
      assert.equal(error.constructor, Error);
      assert.ok(error.message.includes(empty), error.message);
      return true;
    });

    const textOnly = join(root, "text-only");
    await Deno.mkdir(textOnly);
    await Deno.writeTextFile(join(textOnly, "readme.txt"), "hello");
    await Deno.writeTextFile(join(textOnly, "fake.png"), "hello");
    await assert.rejects(openImageCache(options({ folder: textOnly })), (error: Error) => {
      assert.ok(error.message.includes(textOnly), error.message);
      assert.match(error.message, /1 undecodable/);
      assert.match(error.message, /1 without PNG or JPEG magic bytes/);
      return true;
    });
  });
});

Deno.test("openImageCache rejects a missing folder", async () => {
  await withFixture(async ({ root, options }) => {
    const missing = join(root, "missing");
    await assert.rejects(openImageCache(options({ folder: missing })), (error: Error) => {
      assert.ok(error instanceof Deno.errors.NotFound);
      assert.ok(error.message.includes(missing), error.message);
      return true;
    });
  });
});

Deno.test("ImageCache.readImage rejects a bad index", async () => {
  await withFixture(async ({ options }) => {
    const cache = await openImageCache(options());
    try {
      const out = new Uint8Array(SIDE * SIDE * 3);
      assert.throws(() => cache.readImage(cache.count, out), { name: "RangeError", message: /outside 0..4/ });
      assert.throws(() => cache.readImage(0, new Uint8Array(10)), {
        name: "RangeError",
        message: /10 bytes/,
      });
    } finally {
      cache.close();
    }
    assert.throws(() => cache.readImage(0, new Uint8Array(SIDE * SIDE * 3)), { message: /closed/ });
  });
});

Deno.test("cacheFilePath separates folders, sides and limits", () => {
  const base = cacheFilePath("/c", "coco-train", "/data/a/train", 48, null);
  assert.match(base, /^\/c\/coco-train-48px-[0-9a-f]{12}\.cache$/);
  assert.notEqual(cacheFilePath("/c", "coco-train", "/data/b/train", 48, null), base);
  assert.notEqual(cacheFilePath("/c", "coco-train", "/data/a/train", 64, null), base);
  assert.match(cacheFilePath("/c", "coco-train", "/data/a/train", 48, 100), /-48px-first100-/);
  assert.match(cacheFilePath("/c", "my data/train", "/x", 48, null), /\/my_data_train-48px-/);
});

Deno.test("openImageCache reports a text file named like an image", async () => {
  await withFixture(async ({ folder, options, warnings }) => {
    await Deno.writeTextFile(join(folder, "bad.jpg"), "not a picture");
    const cache = await openImageCache(options());
    cache.close();

    assert.ok(cache.metadata.skipped.some((file) => file.path === "bad.jpg"));
    assert.ok(!cache.metadata.ignored.includes("bad.jpg"));
    assert.ok(warnings.some((line) => line.includes("bad.jpg") && line.includes("not PNG or JPEG")));
  });
});
