// loaders/tar.ts against GNU tar: what it writes lists and extracts as the same files.
import {execFileSync} from "node:child_process";
import {randomBytes} from "node:crypto";
import {createWriteStream, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {Writable} from "node:stream";
import {pipeline} from "node:stream/promises";
import {describe, expect, it} from "vitest";
import {tarStream} from "../../loaders/tar.js";

describe("tarStream", () => {
  it("GNU tar lists and extracts every member byte for byte (empty, odd and block-sized files)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-tar-"));
    const files: [string, Buffer][] = [
      ["empty.txt", Buffer.alloc(0)],
      ["odd.bin", Buffer.from(Array.from({length: 513}, (_, i) => (i * 7) % 256))],
      ["block.bin", Buffer.alloc(1024, 0xab)],
      ["naïve name.parquet", Buffer.from("PAR1…PAR1")],
      // Longer than a ustar header's 100-byte name field.
      ["n".repeat(150) + ".arrow", Buffer.from("ARROW1")]
    ];
    for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
    const archive = join(dir, "out.tar");
    await pipeline(tarStream(files.map(([name]) => ({name, path: join(dir, name)}))), createWriteStream(archive));
    expect(readFileSync(archive).length % 512).toBe(0);
    const listing = execFileSync("tar", ["-tvf", archive], {encoding: "utf8"}).trim().split("\n");
    expect(listing.map((l) => l.split(/\s+/)[2])).toEqual(files.map(([, b]) => String(b.length)));
    expect(execFileSync("tar", ["-tf", archive], {encoding: "utf8"}).trim().split("\n")).toEqual(files.map(([name]) => name));
    const out = join(dir, "x");
    mkdirSync(out);
    execFileSync("tar", ["-xf", archive, "-C", out]);
    for (const [name, bytes] of files) expect(readFileSync(join(out, name)).equals(bytes), name).toBe(true);
  });

  it("streams a large member in chunks of at most 1 MiB, byte for byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-tar-"));
    const bytes = randomBytes(5 * 1024 * 1024 + 3);
    writeFileSync(join(dir, "big.bin"), bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of tarStream([{name: "big.bin", path: join(dir, "big.bin")}])) chunks.push(chunk);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1024 * 1024);
    const archive = join(dir, "out.tar");
    writeFileSync(archive, Buffer.concat(chunks));
    // 512-byte header, the contents padded to a block, two zero blocks.
    expect(readFileSync(archive).length).toBe(512 + Math.ceil(bytes.length / 512) * 512 + 1024);
    expect(execFileSync("tar", ["-xOf", archive, "big.bin"], {maxBuffer: 64 * 1024 * 1024}).equals(bytes)).toBe(true);
  });

  it("a missing or non-regular member rejects before the first byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-tar-"));
    writeFileSync(join(dir, "a.txt"), "a");
    mkdirSync(join(dir, "sub"));
    for (const [name, message] of [["missing.txt", /ENOENT/], ["sub", /is not a regular file/]] as const) {
      const chunks: Buffer[] = [];
      const write = (async () => {
        for await (const chunk of tarStream([{name: "a.txt", path: join(dir, "a.txt")}, {name, path: join(dir, name)}])) chunks.push(chunk);
      })();
      await expect(write).rejects.toThrow(message);
      expect(chunks).toEqual([]);
    }
  });

  it("a member whose file fails while it is read makes the archive write reject", async () => {
    // /proc/self/mem is a regular file of size 0 whose first page is unmapped: reading it fails with EIO.
    const dir = mkdtempSync(join(tmpdir(), "tierlab-tar-"));
    writeFileSync(join(dir, "a.txt"), "first member");
    const write = pipeline(
      tarStream([
        {name: "a.txt", path: join(dir, "a.txt")},
        {name: "mem", path: "/proc/self/mem"}
      ]),
      createWriteStream(join(dir, "out.tar"))
    );
    await expect(write).rejects.toMatchObject({code: "EIO"});
  });

  it("a member that shrinks after the archive started makes the archive write reject, saying which and by how much", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-tar-"));
    // The first member is far larger than what the streams buffer, so the second is not read yet
    // when it is truncated.
    writeFileSync(join(dir, "first.bin"), Buffer.alloc(32 * 1024 * 1024, 1));
    writeFileSync(join(dir, "second.bin"), Buffer.alloc(100_000, 2));
    const archive = tarStream([
      {name: "first.bin", path: join(dir, "first.bin")},
      {name: "second.bin", path: join(dir, "second.bin")}
    ]);
    const first = await archive.next();
    expect(first.done).toBe(false);
    truncateSync(join(dir, "second.bin"), 1000);
    const rest = (async () => {
      for await (const _ of archive);
    })();
    await expect(rest).rejects.toThrow(`${join(dir, "second.bin")} changed while it was archived (1000 bytes read, 100000 expected)`);
  });

  it("an output that fails stops the archive: the write rejects with its error instead of hanging", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-tar-"));
    writeFileSync(join(dir, "big.bin"), Buffer.alloc(8 * 1024 * 1024, 3));
    let received = 0;
    const failing = new Writable({
      write(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > 2 * 1024 * 1024 ? new Error("disk full") : null);
      }
    });
    await expect(pipeline(tarStream([{name: "big.bin", path: join(dir, "big.bin")}]), failing)).rejects.toThrow("disk full");
    // It stopped near the failure rather than reading the whole file into the pipe.
    expect(received).toBeLessThan(8 * 1024 * 1024);
  });
});
