// scripts/require-chromium.ts, the first step of `npm test`: without a launchable Chromium it stops
// at once with one line saying what is missing and how to get it.
import {spawnSync} from "node:child_process";
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {chromiumProblem} from "../../test/browser/chromium-path.js";

const ROOT = join(import.meta.dirname, "..", "..");

function run(chromiumPath: string): {status: number | null; stdout: string; stderr: string} {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "require-chromium.ts")], {cwd: ROOT, encoding: "utf8", env: {...process.env, CHROMIUM_PATH: chromiumPath}});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

const INSTALL = `"apt-get update && apt-get install -y chromium"`;

describe("require-chromium", () => {
  it("CHROMIUM_PATH=/nonexistent: exits 1 with exactly one line saying what is missing and how to fix it", () => {
    const r = run("/nonexistent");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`npm test needs Chromium for the browser tests: CHROMIUM_PATH=/nonexistent not found; point CHROMIUM_PATH at a Chromium/Chrome binary, or unset it and install Debian's with ${INSTALL}\n`);
  });

  it("a file that exists but is not executable, or a directory, is refused too", () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-chromium-"));
    const plain = join(dir, "chromium");
    writeFileSync(plain, "#!/bin/sh\n");
    chmodSync(plain, 0o644);
    const notExecutable = run(plain);
    expect(notExecutable.status).toBe(1);
    expect(notExecutable.stderr).toMatch(new RegExp(`^npm test needs Chromium for the browser tests: CHROMIUM_PATH=${plain} is not executable; [^\\n]*\\n$`));
    const directory = run(dir);
    expect(directory.status).toBe(1);
    expect(directory.stderr).toMatch(new RegExp(`^npm test needs Chromium for the browser tests: CHROMIUM_PATH=${dir} is not a file; [^\\n]*\\n$`));
  });

  it("an executable file passes silently (node itself stands in for a browser; the check launches nothing)", () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-chromium-"));
    const script = join(dir, "chrome");
    writeFileSync(script, "#!/bin/sh\n");
    chmodSync(script, 0o755);
    for (const path of [process.execPath, script]) expect(run(path)).toEqual({status: 0, stdout: "", stderr: ""});
  });

  it("without CHROMIUM_PATH the advice is to install Debian's chromium or set CHROMIUM_PATH", () => {
    expect(chromiumProblem("/nonexistent/chromium", false)).toBe(`npm test needs Chromium for the browser tests: /nonexistent/chromium not found; install it with ${INSTALL}, or set CHROMIUM_PATH to a Chromium/Chrome binary`);
    expect(chromiumProblem(process.execPath, false)).toBeNull();
  });

  it("runs first in `npm test` (before the type-check), and not in `npm run test:unit`", () => {
    const {scripts} = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {scripts: Record<string, string>};
    expect(scripts.test.split(" && ")[0]).toBe("tsx scripts/require-chromium.ts");
    expect(scripts["test:unit"]).not.toContain("require-chromium");
  });
});
