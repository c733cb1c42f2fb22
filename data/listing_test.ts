import assert from "node:assert/strict";
import { join } from "node:path";
import { listSourceFiles } from "./listing.ts";

Deno.test("listSourceFiles lists regular files sorted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "listing_test_" });
  try {
    await Deno.mkdir(join(dir, "sub", "deeper"), { recursive: true });
    await Deno.mkdir(join(dir, ".git"));
    await Deno.writeTextFile(join(dir, "b.jpg"), "bb");
    await Deno.writeTextFile(join(dir, "a.png"), "a");
    await Deno.writeTextFile(join(dir, "B.png"), "B");
    await Deno.writeTextFile(join(dir, ".DS_Store"), "hidden");
    await Deno.writeTextFile(join(dir, ".git", "HEAD"), "hidden folder");
    await Deno.writeTextFile(join(dir, "sub", "c.jpg"), "ccc");
    await Deno.writeTextFile(join(dir, "sub", "deeper", "d.jpg"), "dddd");
    await Deno.symlink(join(dir, "a.png"), join(dir, "link-to-a.png"));
    await Deno.symlink(join(dir, "missing.png"), join(dir, "dangling.png"));
    await Deno.symlink(join(dir, "sub"), join(dir, "link-to-sub"));

    const files = await listSourceFiles(dir);
    assert.deepEqual(files.map((file) => file.path), [
      "B.png",
      "a.png",
      "b.jpg",
      "link-to-a.png",
      "sub/c.jpg",
      "sub/deeper/d.jpg",
    ]);
    assert.deepEqual(files.map((file) => file.size), [1, 1, 2, 1, 3, 4]);
    assert.ok(files.every((file) => file.mtimeMs > 0));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listSourceFiles rejects a missing folder", async () => {
  await assert.rejects(listSourceFiles("/nonexistent/jigsaw-bench/listing"), Deno.errors.NotFound);
});
