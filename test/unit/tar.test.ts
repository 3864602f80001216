// loaders/tar.ts against GNU tar: what it writes lists and extracts as the same files.
import {execFileSync, spawnSync} from "node:child_process";
import {createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pipeline} from "node:stream/promises";
import {describe, expect, it} from "vitest";
import {tarHeader, tarStream} from "../../loaders/tar.js";

describe("tarStream", () => {
  it("GNU tar lists and extracts every member byte for byte (empty, odd and block-sized files)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-tar-"));
    const files: [string, Buffer][] = [
      ["empty.txt", Buffer.alloc(0)],
      ["odd.bin", Buffer.from(Array.from({length: 513}, (_, i) => (i * 7) % 256))],
      ["block.bin", Buffer.alloc(1024, 0xab)],
      ["naïve name.parquet", Buffer.from("PAR1…PAR1")]
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

  it("sizes past the 8 GiB octal field are written in base-256, which GNU tar reads", () => {
    const size = 2 ** 33 + 5; // 8 GiB + 5 bytes
    const dir = mkdtempSync(join(tmpdir(), "tierlab-tar-"));
    const archive = join(dir, "big.tar");
    writeFileSync(archive, tarHeader("big.parquet", size, new Date(0)));
    // Only the header: tar lists the member, then complains that its contents are missing.
    const r = spawnSync("tar", ["-tvf", archive], {encoding: "utf8"});
    expect(r.stdout.trim().split(/\s+/)[2]).toBe(String(size));
  });

  it("refuses names a ustar header cannot hold", () => {
    expect(() => tarHeader("", 1, new Date())).toThrow(/1–100 bytes/);
    expect(() => tarHeader("x".repeat(101), 1, new Date())).toThrow(/1–100 bytes/);
  });
});
