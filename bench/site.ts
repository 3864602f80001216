/**
 * The real site, built in a copy of the project with the bench page added (never in src/ itself:
 * the page would ship with the published site). Like test/support/site-copy.ts, plus: the copy
 * leaves out the bench's data and results, bench/page/ goes to the copy's src/bench/ with its
 * `../../src/` imports rewritten to `../`, and the build is kept (in the temp directory) and reused
 * for as long as nothing it is built from changes.
 */
import {execFileSync} from "node:child_process";
import {createHash} from "node:crypto";
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative, sep} from "node:path";
import {distLeadsFile} from "../test/browser/dist-files.js";
import {ROOT} from "./data.js";

/** Paths (relative to the project) never copied. */
const SKIP = new Set(["node_modules", "dist", ".observablehq", "scratch", ".git", "bench/.data", "bench/results", "test/output"]);
const skipped = (path: string) => {
  const rel = relative(ROOT, path);
  return rel.split("/").some((part) => SKIP.has(part)) || [...SKIP].some((s) => s.includes("/") && (rel === s || rel.startsWith(s + "/")));
};

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const path = join(dir, e.name);
    if (skipped(path)) return [];
    return e.isDirectory() ? files(path) : [path];
  });
}

/** A hash of everything the built site depends on (sources, pages, data files, config, lockfile). */
function siteHash(): string {
  const h = createHash("sha256");
  for (const dir of ["src", "bench/page", "loaders", "data"]) for (const f of files(join(ROOT, dir)).sort()) h.update(relative(ROOT, f)).update(readFileSync(f));
  for (const f of ["observablehq.config.ts", "package-lock.json", "bench/site.ts"]) if (existsSync(join(ROOT, f))) h.update(f).update(readFileSync(join(ROOT, f)));
  return h.digest("hex").slice(0, 16);
}

/** Copies bench/page/ into `<copy>/src/bench/`, rewriting imports of the project's src/. */
function addBenchPage(copy: string): void {
  const target = join(copy, "src", "bench");
  mkdirSync(target, {recursive: true});
  for (const name of readdirSync(join(ROOT, "bench", "page"))) {
    const text = readFileSync(join(ROOT, "bench", "page", name), "utf8");
    writeFileSync(join(target, name), name.endsWith(".ts") ? text.replaceAll(`"../../src/`, `"../`) : text);
  }
}

/** Builds (or reuses) the site copy with the bench page; returns its dist/ directory. */
export function buildBenchSite(log: (m: string) => void): string {
  const hash = siteHash();
  // Outside the project (a copy inside it would be type-checked and scanned by the tools).
  const root = join(tmpdir(), `tierlab-bench-site-${createHash("sha256").update(ROOT).digest("hex").slice(0, 8)}`);
  const dist = join(root, "dist");
  const stamp = join(root, "built-from");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash && existsSync(join(dist, "bench", "bench.html"))) {
    log(`reusing the site copy in ${root} (built from the same sources)`);
    return dist;
  }
  log(`building the site with the bench page in ${root} …`);
  const started = performance.now();
  const temp = `${root}.tmp`;
  rmSync(temp, {recursive: true, force: true});
  mkdirSync(temp, {recursive: true});
  cpSync(ROOT, temp, {recursive: true, filter: (src) => src === ROOT || !skipped(src)});
  symlinkSync(join(ROOT, "node_modules"), join(temp, "node_modules"));
  addBenchPage(temp);
  execFileSync("npx", ["observable", "build"], {
    cwd: temp,
    stdio: ["ignore", "ignore", "inherit"],
    env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", TIERLAB_DIST: "", TIERLAB_DATA: "", TIERLAB_BIGQUERY_TABLE: "", TIERLAB_ROWS: "", TIERLAB_SITE_CONFIG: ""}
  });
  if (!existsSync(join(temp, "dist", "bench", "bench.html"))) throw new Error("the site copy built without bench/bench.html");
  // What `npm run build` does after the build: precompressed (.br, .gz) copies of large assets,
  // which the bench's server sends like a static host configured for them.
  if (existsSync(join(temp, "scripts", "postbuild.ts"))) {
    execFileSync("npx", ["tsx", "scripts/postbuild.ts", "dist"], {cwd: temp, stdio: ["ignore", "ignore", "inherit"]});
  }
  writeFileSync(join(temp, "built-from"), hash);
  rmSync(root, {recursive: true, force: true});
  renameSync(temp, root);
  log(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return dist;
}

/** A leads file Framework extracted into dist/ (its name carries a content hash): its URL path. */
const distDataPath = (dist: string, extension: "duckdb" | "arrow") => `/${relative(dist, distLeadsFile(dist, extension)).split(sep).join("/")}`;

/** The leads DuckDB file the pages load. */
export const distLeadsPath = (dist: string) => distDataPath(dist, "duckdb");
/** The columns file the tier page counts its first numbers from. */
export const distColumnsPath = (dist: string) => distDataPath(dist, "arrow");
