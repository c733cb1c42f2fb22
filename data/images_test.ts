import assert from "node:assert/strict";
import { encodeFlatGrayJpeg, encodePng, encodeRgbJpeg, encodeRgbPng, PngColorType } from "./_test_images.ts";
import { decodeImage, detectImageFormat, resizeArea } from "./images.ts";

/** Returns an RGB test image whose channels differ: r = 10·x, g = 10·y, b = 200. */
function pattern(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rgb.set([10 * x, 10 * y, 200], (y * width + x) * 3);
  }
  return rgb;
}

function constant(width: number, height: number, color: number[]): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.set(color, i * 3);
  return rgb;
}

Deno.test("detectImageFormat reads magic bytes", () => {
  assert.equal(detectImageFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), "png");
  assert.equal(detectImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), "jpeg");
  assert.equal(detectImageFormat(new TextEncoder().encode("GIF89a")), null);
  assert.equal(detectImageFormat(new Uint8Array([0xff, 0xd8])), null);
  assert.equal(detectImageFormat(new Uint8Array(0)), null);
});

Deno.test("decodeImage decodes PNG exactly", async () => {
  const rgb = pattern(5, 3);
  const image = await decodeImage(await encodeRgbPng(5, 3, rgb), "pattern.png");
  assert.equal(image.width, 5);
  assert.equal(image.height, 3);
  assert.deepEqual(image.rgb, rgb);
});

Deno.test("decodeImage picks PNG for a .jpg name", async () => {
  const rgb = pattern(4, 4);
  const image = await decodeImage(await encodeRgbPng(4, 4, rgb), "really-a-png.jpg");
  assert.deepEqual(image.rgb, rgb);
});

Deno.test("decodeImage decodes RGB JPEG closely", async () => {
  const rgb = constant(16, 16, [200, 40, 90]);
  const image = await decodeImage(await encodeRgbJpeg(16, 16, rgb, 100), "flat.jpg");
  assert.equal(image.width, 16);
  assert.equal(image.height, 16);
  for (let i = 0; i < rgb.length; i++) {
    assert.ok(Math.abs(image.rgb[i] - rgb[i]) <= 3, `byte ${i}: ${image.rgb[i]}`);
  }
});

Deno.test("decodeImage rejects text named .png", async () => {
  const text = new TextEncoder().encode("not an image at all");
  await assert.rejects(decodeImage(text, "notes.png"), (error: Error) => {
    assert.equal(error.constructor, Error);
    assert.match(error.message, /notes\.png/);
    assert.match(error.message, /not a PNG or JPEG/);
    return true;
  });
});

Deno.test("decodeImage names the file of corrupt JPEG", async () => {
  const broken = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]);
  await assert.rejects(decodeImage(broken, "broken.jpg"), { message: /broken\.jpg.*invalid JPEG/ });
});

Deno.test("decodeImage expands grayscale JPEG to 3 channels", async () => {
  // Two 8×8 blocks: gray 30 on the left, gray 220 on the right.
  const image = await decodeImage(encodeFlatGrayJpeg(2, 1, [30, 220]), "gray.jpg");
  assert.equal(image.width, 16);
  assert.equal(image.height, 8);
  for (let pixel = 0; pixel < 16 * 8; pixel++) {
    const [r, g, b] = image.rgb.subarray(pixel * 3, pixel * 3 + 3);
    assert.equal(r, g, `pixel ${pixel}`);
    assert.equal(g, b, `pixel ${pixel}`);
    assert.equal(r, pixel % 16 < 8 ? 30 : 220, `pixel ${pixel}`);
  }
});

Deno.test("decodeImage expands grayscale PNG at 8 and 16 bits", async () => {
  const gray8 = await decodeImage(await encodePng(3, 1, PngColorType.gray, 8, [0, 100, 255]), "gray8.png");
  assert.deepEqual(Array.from(gray8.rgb), [0, 0, 0, 100, 100, 100, 255, 255, 255]);
  const gray16 = await decodeImage(
    await encodePng(2, 1, PngColorType.gray, 16, [25700, 65535]),
    "gray16.png",
  );
  assert.deepEqual(Array.from(gray16.rgb), [100, 100, 100, 255, 255, 255]);
});

Deno.test("decodeImage drops PNG alpha without blending", async () => {
  const rgba = await encodePng(2, 1, PngColorType.rgba, 8, [10, 20, 30, 0, 40, 50, 60, 128]);
  assert.deepEqual(Array.from((await decodeImage(rgba, "rgba.png")).rgb), [10, 20, 30, 40, 50, 60]);
  const grayAlpha = await encodePng(2, 1, PngColorType.grayAlpha, 8, [77, 0, 99, 255]);
  assert.deepEqual(Array.from((await decodeImage(grayAlpha, "ga.png")).rgb), [77, 77, 77, 99, 99, 99]);
});

Deno.test("decodeImage resolves palette PNG colours", async () => {
  const palette = new Uint8Array([10, 20, 30, 40, 50, 60]);
  const png = await encodePng(2, 1, PngColorType.palette, 8, [1, 0], palette);
  assert.deepEqual(Array.from((await decodeImage(png, "palette.png")).rgb), [40, 50, 60, 10, 20, 30]);
});

Deno.test("resizeArea keeps a constant image constant", () => {
  for (const [width, height, size] of [[640, 480, 48], [37, 91, 96], [5, 3, 64], [48, 48, 48]]) {
    const out = resizeArea(constant(width, height, [17, 128, 250]), width, height, size);
    assert.equal(out.length, size * size * 3);
    for (let i = 0; i < out.length; i += 3) {
      assert.deepEqual(
        Array.from(out.subarray(i, i + 3)),
        [17, 128, 250],
        `${width}×${height} → ${size}, byte ${i}`,
      );
    }
  }
});

Deno.test("resizeArea averages 2×2 into 1×1", () => {
  const rgb = new Uint8Array([0, 10, 100, 100, 30, 100, 200, 50, 0, 60, 70, 0]);
  assert.deepEqual(Array.from(resizeArea(rgb, 2, 2, 1)), [90, 40, 50]);
});

Deno.test("resizeArea weighs partly covered pixels", () => {
  // 3 → 2 pixels: the middle source pixel is split half and half.
  const rgb = new Uint8Array([0, 0, 0, 90, 90, 90, 180, 180, 180]);
  const out = resizeArea(rgb, 3, 1, 2);
  // Along y the single source row is enlarged to two equal rows.
  assert.deepEqual(Array.from(out.subarray(0, 6)), [30, 30, 30, 150, 150, 150]);
  assert.deepEqual(Array.from(out.subarray(6, 12)), [30, 30, 30, 150, 150, 150]);
});

Deno.test("resizeArea enlarges by coverage", () => {
  // 2 → 3 pixels: the middle output pixel covers half of each source pixel.
  const rgb = new Uint8Array([0, 0, 0, 100, 100, 100]);
  const out = resizeArea(rgb, 2, 1, 3);
  assert.deepEqual(Array.from(out.subarray(0, 9)), [0, 0, 0, 50, 50, 50, 100, 100, 100]);
});

/** Area resize straight from the definition: a 2-D coverage integral per output pixel. */
function referenceResize(rgb: Uint8Array, width: number, height: number, size: number): number[] {
  const scaleX = width / size;
  const scaleY = height / size;
  const out: number[] = [];
  for (let dy = 0; dy < size; dy++) {
    for (let dx = 0; dx < size; dx++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < height; sy++) {
        const coverY = Math.min(sy + 1, (dy + 1) * scaleY) - Math.max(sy, dy * scaleY);
        if (coverY <= 0) continue;
        for (let sx = 0; sx < width; sx++) {
          const coverX = Math.min(sx + 1, (dx + 1) * scaleX) - Math.max(sx, dx * scaleX);
          if (coverX <= 0) continue;
          for (let c = 0; c < 3; c++) sum[c] += coverX * coverY * rgb[(sy * width + sx) * 3 + c];
        }
      }
      for (let c = 0; c < 3; c++) out.push(sum[c] / (scaleX * scaleY));
    }
  }
  return out;
}

Deno.test("resizeArea matches the coverage integral", () => {
  let state = 12345;
  const nextByte = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
  for (const [width, height, size] of [[13, 7, 5], [7, 13, 9], [30, 4, 8], [3, 3, 7], [16, 16, 4]]) {
    const rgb = Uint8Array.from({ length: width * height * 3 }, nextByte);
    const expected = referenceResize(rgb, width, height, size);
    const out = resizeArea(rgb, width, height, size);
    for (let i = 0; i < out.length; i++) {
      // Ties may round either way after floating-point sums, hence the 0.5 + ε bound.
      assert.ok(
        Math.abs(out[i] - expected[i]) <= 0.5 + 1e-6,
        `${width}×${height} → ${size}, byte ${i}: ${out[i]} vs ${expected[i]}`,
      );
    }
  }
});

Deno.test("resizeArea stretches a 2000×4 strip", () => {
  // Left half black, right half white: columns split exactly at the output's middle.
  const width = 2000;
  const rgb = new Uint8Array(width * 4 * 3);
  for (let y = 0; y < 4; y++) rgb.fill(255, (y * width + width / 2) * 3, (y + 1) * width * 3);
  const out = resizeArea(rgb, width, 4, 48);
  assert.equal(out.length, 48 * 48 * 3);
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 48; x++) {
      assert.equal(out[(y * 48 + x) * 3], x < 24 ? 0 : 255, `pixel ${x},${y}`);
    }
  }
});

Deno.test("resizeArea stretches a 1×1 image", () => {
  const out = resizeArea(new Uint8Array([9, 99, 199]), 1, 1, 32);
  assert.equal(out.length, 32 * 32 * 3);
  for (let i = 0; i < out.length; i += 3) assert.deepEqual(Array.from(out.subarray(i, i + 3)), [9, 99, 199]);
});

Deno.test("resizeArea rejects a wrong buffer length", () => {
  assert.throws(() => resizeArea(new Uint8Array(5), 2, 1, 4), {
    name: "RangeError",
    message: /Expected 6 RGB bytes/,
  });
  assert.throws(() => resizeArea(new Uint8Array(6), 2, 1, 0), { name: "RangeError", message: /size 0/ });
});
