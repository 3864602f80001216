import {execFileSync} from "node:child_process";
import {cpSync, mkdtempSync, symlinkSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");

/**
 * Builds the site in a copy of the project with the given environment (Framework caches loader
 * output per project, so a differently configured build needs its own copy). Returns dist/.
 */
export function buildConfiguredSite(env: Record<string, string>): {root: string; dist: string} {
  const root = mkdtempSync(join(tmpdir(), "tierlab-site-"));
  const skip = new Set(["node_modules", "dist", ".observablehq", "scratch", ".git"]);
  cpSync(ROOT, root, {recursive: true, filter: (src) => !src.slice(ROOT.length).split("/").some((part) => skip.has(part))});
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  execFileSync("npx", ["observable", "build"], {cwd: root, stdio: ["ignore", "ignore", "inherit"], env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", TIERLAB_DIST: "", ...env}});
  return {root, dist: join(root, "dist")};
}
