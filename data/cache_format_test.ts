import assert from "node:assert/strict";
import { decodeHeader, encodeHeader, HEADER_BYTES, sha256, sourceKey } from "./cache_format.ts";

const files = [
  { path: "a.jpg", size: 10, mtimeMs: 1000 },
  { path: "b.jpg", size: 20, mtimeMs: 2000 },
];

Deno.test("encodeHeader round-trips through decodeHeader", () => {
  const header = {
    side: 96,
    count: 118_287,
    metadataLength: 1234,
    sourceKey: sha256(new Uint8Array([1])),
    pixelDigest: sha256(new Uint8Array([2])),
    metadataDigest: sha256(new Uint8Array([3])),
  };
  const bytes = encodeHeader(header);
  assert.equal(bytes.length, HEADER_BYTES);
  assert.deepEqual(decodeHeader(bytes), header);
});

Deno.test("decodeHeader describes a bad header", () => {
  const bytes = encodeHeader({
    side: 32,
    count: 1,
    metadataLength: 2,
    sourceKey: new Uint8Array(32),
    pixelDigest: new Uint8Array(32),
    metadataDigest: new Uint8Array(32),
  });
  assert.match(decodeHeader(bytes.subarray(0, 50)) as string, /50 bytes/);
  const wrongMagic = bytes.slice();
  wrongMagic[0] = 0;
  assert.match(decodeHeader(wrongMagic) as string, /magic/);
  const wrongVersion = bytes.slice();
  wrongVersion[8] = 99;
  assert.match(decodeHeader(wrongVersion) as string, /version 99/);
});

Deno.test("sourceKey changes with any listed fact", () => {
  const base = sourceKey(files, 48, null);
  assert.deepEqual(sourceKey(files.map((file) => ({ ...file })), 48, null), base);
  assert.notDeepEqual(sourceKey(files, 64, null), base);
  assert.notDeepEqual(sourceKey(files, 48, 1), base);
  assert.notDeepEqual(sourceKey([files[0], { ...files[1], size: 21 }], 48, null), base);
  assert.notDeepEqual(sourceKey([files[0], { ...files[1], mtimeMs: 2001 }], 48, null), base);
  assert.notDeepEqual(sourceKey([files[0], { ...files[1], path: "c.jpg" }], 48, null), base);
  assert.notDeepEqual(sourceKey(files.slice(0, 1), 48, null), base);
});
