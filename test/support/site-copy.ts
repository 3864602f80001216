import {execFile} from "node:child_process";
import {cpSync, mkdtempSync, symlinkSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {promisify} from "node:util";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** A copy of the project (its node_modules linked), changed by `prepare` if given. */
function copyProject(prepare?: (root: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), "tierlab-site-"));
  const skip = new Set(["node_modules", "dist", ".observablehq", "scratch", ".git"]);
  cpSync(ROOT, root, {recursive: true, filter: (src) => !src.slice(ROOT.length).split("/").some((part) => skip.has(part))});
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  prepare?.(root); // (changes to the copy's files before it is built: a page added, say)
  return root;
}

const buildEnv = (env: Record<string, string>) => ({...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", TIERLAB_DIST: "", ...env});

/**
 * Builds the site in a copy of the project with the given environment (Framework caches loader
 * output per project, so a differently configured build needs its own copy). `prepare` may change
 * the copy's files first. Returns dist/. Asynchronous: a blocking build stalls the test worker,
 * whose calls to vitest then time out.
 */
export async function buildConfiguredSiteAsync(env: Record<string, string>, prepare?: (root: string) => void): Promise<{root: string; dist: string}> {
  const root = copyProject(prepare);
  await promisify(execFile)("npx", ["observable", "build"], {cwd: root, env: buildEnv(env), maxBuffer: 64 * 1024 * 1024});
  return {root, dist: join(root, "dist")};
}
