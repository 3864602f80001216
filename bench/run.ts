/**
 * `npm run bench`: the tasks timed in native DuckDB and in DuckDB-WASM, in one run on the same generated data.
 *
 *   npm run bench -- [--sizes 40000,1000000,5000000] [--repeats N] [--skip-browser] [--no-experiments] [--task-timeout S]
 *
 * For each size: native DuckDB (1 thread and the default) and DuckDB-WASM in headless Chromium run
 * the same tasks (bench/page/tasks.ts) on the same Parquet file; prints the table with the ratios
 * browser ÷ native(1 thread) and the targets, and writes bench/results/latest.json (plus a
 * timestamped copy, and the full measurements in *-details.json).
 */
import {execFileSync} from "node:child_process";
import {mkdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {cpus, loadavg, release, totalmem, type} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {CHROMIUM_PATH} from "../test/browser/chromium-path.js";
import {runChromium, type BrowserSize, type ChromiumResults} from "./chromium-run.js";
import {ensureArrowIpc, ensureColumnsFile, ensureDuckdbFile, ensureParquet, ROOT, sentBytes, type Dataset, type DataFiles} from "./data.js";
import {runNative, type NativeRun} from "./native.js";
import type {BenchInputs, Measured, TaskName} from "./page/tasks.js";

const HEADLINE_TASKS = ["edit-loop", "backtest", "signals", "load"] as const;
type Headline = (typeof HEADLINE_TASKS)[number];

export interface ResultRow {
  /** A headline task, `population-change` (the tier page, Chromium only) or `load <page path>` (a page of the built site, Chromium only). */
  task: Headline | "population-change" | `load /${string}`;
  size: number;
  wasm_ms: number | null;
  native1_ms: number | null;
  native_ms: number | null;
  ratio: number | null;
}

interface Options {
  sizes: number[];
  repeats: number;
  skipBrowser: boolean;
  experiments: boolean;
  taskTimeoutS: number;
}

const USAGE = `npm run bench -- [--sizes 40000,1000000,5000000] [--repeats N] [--skip-browser] [--no-experiments] [--task-timeout S]

  --sizes          leads per dataset, comma-separated (default 40000,1000000,5000000)
  --repeats N      timed runs per measurement after one warm-up; the median is reported (default 5)
  --skip-browser   native DuckDB only (wasm_ms and ratio are null)
  --no-experiments skip the load-path and column-type experiments (faster)
  --task-timeout S a browser task (warm-up and repeats) not done in S seconds is reported as failed
                   and the bench goes on (default 600)`;

function options(argv: string[]): Options {
  const {values} = parseArgs({
    args: argv,
    options: {
      sizes: {type: "string", default: "40000,1000000,5000000"},
      repeats: {type: "string", default: "5"},
      "skip-browser": {type: "boolean", default: false},
      "no-experiments": {type: "boolean", default: false},
      "task-timeout": {type: "string", default: "600"},
      help: {type: "boolean", short: "h", default: false}
    }
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sizes = values.sizes.split(",").map((s) => Number(s.trim().replace(/_/g, "")));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1 || n > 20_000_000)) throw new Error(`--sizes: whole numbers from 1 to 20,000,000, got ${values.sizes}\n\n${USAGE}`);
  const repeats = Number(values.repeats);
  if (!Number.isSafeInteger(repeats) || repeats < 1) throw new Error(`--repeats: a whole number ≥ 1, got ${values.repeats}`);
  const taskTimeoutS = Number(values["task-timeout"]);
  if (!Number.isFinite(taskTimeoutS) || taskTimeoutS <= 0) throw new Error(`--task-timeout: seconds > 0, got ${values["task-timeout"]}`);
  return {sizes, repeats, skipBrowser: values["skip-browser"], experiments: !values["no-experiments"], taskTimeoutS};
}

const log = (m: string) => process.stderr.write(m + "\n");
const round = (x: number | null | undefined, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const fmt = (x: number | null | undefined, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toLocaleString("en-US", {minimumFractionDigits: d, maximumFractionDigits: d}));
const int = (n: number) => n.toLocaleString("en-US");

function machine(chromium: string | null, wasmEngine: string | null, nativeEngine: string | null): string {
  const pkg = (name: string) => JSON.parse(readFileSync(join(ROOT, "node_modules", ...name.split("/"), "package.json"), "utf8")).version as string;
  const cpu = cpus();
  return [
    `${cpu[0]?.model.trim() ?? "unknown CPU"}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${type()} ${release()}`,
    `Node ${process.versions.node}`,
    `native DuckDB ${nativeEngine ?? "?"} (@duckdb/node-api ${pkg("@duckdb/node-api")})`,
    chromium ? `Chromium ${chromium.replace(/^Chromium\s+/, "")} headless, DuckDB-WASM ${pkg("@duckdb/duckdb-wasm")} (DuckDB ${wasmEngine ?? "?"}), parquet-wasm ${pkg("parquet-wasm")}` : "no browser"
  ].join("; ");
}

interface Target {
  name: string;
  value: string;
  met: boolean | null;
}

/** The speed targets (docs/performance.md), evaluated on what was measured (null when the size was not run). */
/** Wall time of `node bin/tierlab.js tune` for Tier 1 (1.4, 2.2 × 50) on a dataset: a warm-up, then `repeats` runs. */
function cliTuneRuns(d: Dataset, repeats: number): {size: number; median: number; samples: number[]} {
  const args = ["bin/tierlab.js", "tune", "--data", d.parquet, "--rules", "v3.2-consolidated", "--tier", "TIER_1_PRIME_MOVER", "--free", "1.4,2.2", "--format", "json"];
  const samples: number[] = [];
  for (let i = 0; i <= repeats; ++i) {
    const t0 = performance.now();
    execFileSync(process.execPath, args, {cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], maxBuffer: 1 << 26});
    if (i > 0) samples.push(performance.now() - t0);
  }
  const median = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  log(`tierlab tune (CLI) at ${int(d.rows)}: ${fmt(median, 0)} ms (${samples.map((x) => fmt(x, 0)).join(", ")})`);
  return {size: d.rows, median, samples};
}

function targets(rows: ResultRow[], chromium: BrowserSize[], cliTune: {size: number; median: number}): Target[] {
  const out: Target[] = [];
  const ran = (size: number) => chromium.find((c) => c.size === size);
  /** Why a Chromium figure is missing: the size was not run, its task failed, or the run stopped before it. */
  const why = (size: number, task?: string) => {
    const c = ran(size);
    if (!c) return `not measured (no ${int(size)}-lead run in Chromium)`;
    if (task && c.taskErrors[task]) return `not measured (${task} failed: ${c.taskErrors[task]})`;
    if (c.error) return `not measured (the ${int(size)}-lead run stopped: ${c.error.split("\n")[0].slice(0, 120)})`;
    return task ? `not measured (no task ${task})` : "not measured";
  };
  const push = (name: string, v: number | null | undefined, limit: number, whyNot: () => string, unit = "ms") => {
    const measured = v !== null && v !== undefined && Number.isFinite(v);
    out.push({name, value: measured ? `${fmt(v, unit === "×" ? 2 : 0)} ${unit}` : whyNot(), met: measured ? v <= limit : null});
  };
  const row = (task: ResultRow["task"], size: number) => rows.find((r) => r.task === task && r.size === size);
  const task = (size: number, name: string) => ran(size)?.tasks[name as TaskName]?.median;
  const M = 1_000_000;

  push("edit loop at 40k leads in Chromium ≤ 20 ms", row("edit-loop", 40_000)?.wasm_ms, 20, () => why(40_000, "edit-loop"));
  push("edit loop at 1M leads in Chromium ≤ 100 ms", row("edit-loop", M)?.wasm_ms, 100, () => why(M, "edit-loop"));
  push("browser ÷ native(1 thread) ≤ 1.5 for the edit loop at 1M", row("edit-loop", M)?.ratio, 1.5, () => why(M, "edit-loop"), "×");
  push("stretch: edit loop at 1M leads in Chromium ≤ 10 ms", row("edit-loop", M)?.wasm_ms, 10, () => why(M, "edit-loop"));
  // Issue 18: every interaction ≤ 100 ms at 1M, first numbers ≤ 1 s.
  push("signals: a band redraw (signals-bands) at 1M in Chromium ≤ 100 ms", task(M, "signals-bands"), 100, () => why(M, "signals-bands"));
  push("signals: a cross (signals-cross) at 1M in Chromium ≤ 100 ms", task(M, "signals-cross"), 100, () => why(M, "signals-cross"));
  push("backtest, four periods × two windows, at 1M in Chromium ≤ 50 ms", task(M, "backtest"), 50, () => why(M, "backtest"));
  push("backtest edit (one period date changed) at 1M in Chromium ≤ 100 ms", task(M, "backtest-edit"), 100, () => why(M, "backtest-edit"));
  const change = ran(M)?.populationChange;
  push("tier page population change at 1M (selected again → the tier table shows the new numbers) ≤ 100 ms", change && "median" in change ? change.median : null, 100, () =>
    change && "error" in change ? `not measured (${change.error})` : why(M)
  );
  const million = ran(M);
  push("navigation to the tier page's first numbers at 1M (the bench page, the tier page's load path) ≤ 1,000 ms", million?.loads.length ? million.load.firstNumbersMs : null, 1000, () => why(M));
  const real = million?.realPage;
  push("the real tier page (/tiers.html) at 1M until its tier table shows numbers ≤ 1,500 ms", real && "firstNumbersMs" in real ? real.firstNumbersMs : null, 1500, () => (real && "error" in real ? `not measured (${real.error})` : why(M)));
  const big = ran(5_000_000);
  if (!big) out.push({name: "5M leads: every page to first numbers ≤ 4 s, no out-of-memory", value: why(5_000_000), met: null});
  else {
    const failed = big.pages.filter((p) => p.error || p.firstNumbersMs === null);
    const list = big.pages.map((p) => (p.error ? `${p.path} failed` : `${p.path} ${fmt(p.firstNumbersMs, 0)} ms (${fmt(p.rendererPeakMB, 0)} MB)`)).join(", ");
    const worst = Math.max(...big.pages.map((p) => p.firstNumbersMs ?? Infinity));
    out.push({name: "5M leads: every page to first numbers ≤ 4 s, no out-of-memory (renderer peak)", value: list + (failed.length ? `; ${failed.map((p) => `${p.path}: ${p.error ?? "no runs"}`).join("; ")}` : ""), met: failed.length === 0 && worst <= 4000});
    const loaded = big.loads.length > 0 && Number.isFinite(big.editLongestTaskMs);
    const edit = big.tasks["edit-loop"]?.median;
    const value = loaded
      ? `loaded in ${fmt(big.load.firstNumbersMs, 0)} ms (main thread blocked up to ${fmt(Math.max(...big.loads.map((l) => l.longestTaskMs)), 0)} ms while loading), renderer peak ${fmt(Math.max(big.memory.rendererPeakMB ?? 0, ...big.loads.map((l) => l.memory.rendererPeakMB ?? 0)), 0)} MB, edit loop ${fmt(edit, 0)} ms, longest main-thread task during edits ${fmt(big.editLongestTaskMs, 0)} ms`
      : why(5_000_000, "edit-loop");
    out.push({name: "5M leads: the tier page's load path loads and stays interactive (no main-thread task > 200 ms while editing)", value, met: loaded ? big.editLongestTaskMs <= 200 : null});
  }
  // The sweep and the tuner in the browser (issue 16), from the Chromium tasks.
  push("one sweep of one threshold at 40k in Chromium ≤ 10 ms", task(40_000, "sweep"), 10, () => why(40_000, "sweep"));
  push("one sweep of one threshold at 1M in Chromium ≤ 50 ms", task(M, "sweep"), 50, () => why(M, "sweep"));
  push("the tier page's tune of 2 thresholds × 50 values at 1M in Chromium ≤ 2 s", task(M, "tune-page"), 2000, () => why(M, "tune-page"));
  // Measured from the Long Tasks API, which reports only tasks of 50 ms or more: 0 means none.
  const blocked = task(M, "tune-page") === undefined ? NaN : (million?.tuneLongestTaskMs ?? NaN);
  out.push({
    name: "the page never blocks > 50 ms while that tune runs (longest main-thread task)",
    value: !Number.isFinite(blocked) ? why(M, "tune-page") : blocked === 0 ? "no main-thread task of 50 ms or more" : `${fmt(blocked, 0)} ms`,
    met: !Number.isFinite(blocked) ? null : blocked <= 50
  });
  out.push(
    cliTune.size === 5_000_000
      ? {name: "tierlab tune (2 × 50) on 5M leads natively ≤ 5 s, start-up and loading included", value: `${fmt(cliTune.median, 0)} ms`, met: cliTune.median <= 5000}
      : {name: "tierlab tune (2 × 50) on 5M leads natively ≤ 5 s", value: `not measured (${int(cliTune.size)} leads: ${fmt(cliTune.median, 0)} ms)`, met: null}
  );
  return out;
}

/** CPU time (s) of the whole machine (busy) and of this process with its children (reaped ones included). */
function cpuTimes(): {machine: number; ours: number} | null {
  try {
    const tick = 100; // USER_HZ on Linux
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    const self = readFileSync("/proc/self/stat", "utf8");
    const f = self.slice(self.lastIndexOf(")") + 2).split(" ").map(Number);
    // Fields after the name start at 3 (state): utime 14, stime 15, cutime 16, cstime 17.
    const ours = f[14 - 3] + f[15 - 3] + f[16 - 3] + f[17 - 3];
    return {machine: (user + nice + system + irq + softirq + (steal ?? 0)) / tick, ours: ours / tick};
  } catch {
    return null;
  }
}

function table(header: string[], body: (string | number)[][], align: ("l" | "r")[]): string {
  const cells = [header, ...body.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (align[i] === "l" ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map((r) => line(r.map(String)))].join("\n");
}

function chromiumVersion(): string | null {
  try {
    return execFileSync(CHROMIUM_PATH, ["--version"], {encoding: "utf8", stdio: ["ignore", "pipe", "ignore"]})
      .trim()
      .replace(/^Chromium\s+/, "");
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = new Date();
  const loadBefore = loadavg();
  const cpuBefore = cpuTimes();
  log(`tierlab bench: sizes ${opts.sizes.map(int).join(", ")}, ${opts.repeats} repeats after a warm-up${opts.skipBrowser ? ", no browser" : ""}${opts.experiments ? "" : ", no experiments"}`);

  // The inputs, read once and given to both engines.
  const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8"));
  const inputs: BenchInputs = {rules: read("data/rules/v3.2-consolidated.json"), periods: read("data/periods.json"), signals: read("data/signals.json")};

  const datasets: Dataset[] = opts.sizes.map((rows) => ensureParquet(rows, log));
  // The site's DuckDB file (what the pages load) for every size; the Arrow IPC stream for the experiments.
  const files = new Map<number, DataFiles>();
  for (const d of datasets) files.set(d.rows, {arrow: opts.experiments ? ensureArrowIpc(d, log) : undefined, duckdb: await ensureDuckdbFile(d, log), columns: await ensureColumnsFile(d, log)});

  const native: {size: number; one: NativeRun; all: NativeRun}[] = [];
  for (const d of datasets) {
    log(`native DuckDB, ${int(d.rows)} leads (${fmt(d.bytes / 2 ** 20)} MB of Parquet)`);
    const common = {repeats: opts.repeats, experiments: opts.experiments, duckdbFile: files.get(d.rows)?.duckdb, log};
    native.push({size: d.rows, one: await runNative(d, 1, inputs, common), all: await runNative(d, undefined, inputs, common)});
  }

  // `tierlab tune` as a user runs it (start-up, loading the Parquet file, the tune, the JSON), at the largest size.
  const cliTune = cliTuneRuns(datasets.at(-1)!, opts.repeats);

  let chromium: ChromiumResults | null = null;
  if (!opts.skipBrowser) {
    log(`DuckDB-WASM in headless Chromium`);
    chromium = await runChromium({sizes: datasets, repeats: opts.repeats, experiments: opts.experiments, taskTimeoutMs: opts.taskTimeoutS * 1000, files, log});
  }

  // The headline rows.
  const rows: ResultRow[] = [];
  for (const task of HEADLINE_TASKS) {
    for (const d of datasets) {
      const n = native.find((x) => x.size === d.rows)!;
      const c = chromium?.sizes.find((x) => x.size === d.rows);
      const nat = (r: NativeRun) => (task === "load" ? r.load.median : r.tasks[task]?.median);
      // (A size's error stops what came after it; what was measured before it stands.)
      const wasm = c ? (task === "load" ? (c.loads.length ? c.load.firstNumbersMs : null) : c.tasks[task]?.median) : null;
      const native1 = round(nat(n.one));
      const wasmMs = round(wasm);
      rows.push({task, size: d.rows, wasm_ms: wasmMs, native1_ms: native1, native_ms: round(nat(n.all)), ratio: wasmMs !== null && native1 ? round(wasmMs / native1, 2) : null});
    }
  }
  // The tier page's population change and every page's load, in Chromium only.
  for (const d of datasets) {
    const c = chromium?.sizes.find((x) => x.size === d.rows);
    if (!c) continue;
    const browserOnly = (task: ResultRow["task"], ms: number | null | undefined) => rows.push({task, size: d.rows, wasm_ms: round(ms), native1_ms: null, native_ms: null, ratio: null});
    browserOnly("population-change", "median" in c.populationChange ? c.populationChange.median : null);
    for (const p of c.pages) browserOnly(`load ${p.path}` as ResultRow["task"], p.error ? null : p.firstNumbersMs);
  }
  const goals = targets(rows, chromium?.sizes ?? [], cliTune);

  // Both engines must have computed the same numbers (digests of the results).
  const mismatches: string[] = [];
  for (const n of native) {
    const c = chromium?.sizes.find((x) => x.size === n.size);
    for (const [task, m] of Object.entries(n.one.tasks) as [string, Measured][]) {
      const others: [string, string | undefined][] = [
        ["native default threads", n.all.tasks[task as keyof NativeRun["tasks"]]?.digest],
        ["DuckDB-WASM", c?.tasks[task as keyof NativeRun["tasks"]]?.digest]
      ];
      for (const [who, digest] of others) if (digest !== undefined && digest !== m.digest) mismatches.push(`${task} at ${int(n.size)}: ${who} ${digest} ≠ native 1 thread ${m.digest}`);
    }
    const editSql = n.one.tasks["edit-sql"]?.digest;
    for (const [via, e] of Object.entries(c?.experiments ?? {})) if (e && !e.error && e.digest !== editSql) mismatches.push(`load via ${via} at ${int(n.size)}: the first query's result differs`);
    if (c && !c.error && c.loads[0] && c.loads[0].digest !== editSql) mismatches.push(`bench page at ${int(n.size)}: the first query's result differs`);
  }

  // Print.
  const targetOf = (r: ResultRow): [string, string] => {
    const M = 1_000_000;
    const t: [number, string] | null =
      r.task === "edit-loop" && r.size === M ? [100, "≤ 100 ms; ratio ≤ 1.5"]
      : r.task === "edit-loop" && r.size === 40_000 ? [20, "≤ 20 ms"]
      : r.task === "load" && r.size === M ? [1000, "≤ 1,000 ms"]
      : r.task === "backtest" && r.size === M ? [50, "≤ 50 ms"]
      : r.task === "population-change" && r.size === M ? [100, "≤ 100 ms"]
      : null;
    if (!t || r.wasm_ms === null) return [t ? String(t[1]) : "", ""];
    const met = r.wasm_ms <= (t[0] as number) && (r.task !== "edit-loop" || r.size !== 1_000_000 || (r.ratio !== null && r.ratio <= 1.5));
    return [String(t[1]), met ? "yes" : "NO"];
  };
  const out: string[] = [];
  const m = machine(chromium?.version ?? chromiumVersion(), chromium?.engine ?? null, native[0]?.one.version ?? null);
  out.push(`\nMachine: ${m}\nMedians of ${opts.repeats} runs after a warm-up; wasm = DuckDB-WASM in Chromium (load: navigation → first tier numbers on the bench page, the tier page's load path), native = @duckdb/node-api (load: CREATE TABLE AS read_parquet); ratio = wasm ÷ native 1 thread;\npopulation-change = the real tier page, the population selected again → the tier table shows the new numbers (Chromium only). Every page's load: the table "Pages of the built site" below.\n`);
  const threadsAll = native[0]?.all.threads ?? 0;
  out.push(
    table(
      ["task", "leads", "wasm ms", "native 1T ms", `native ${threadsAll}T ms`, "ratio", "target (wasm)", "met"],
      rows.filter((r) => !r.task.startsWith("load /")).map((r) => [r.task, int(r.size), fmt(r.wasm_ms), fmt(r.native1_ms), fmt(r.native_ms), fmt(r.ratio, 2), ...targetOf(r)]),
      ["l", "r", "r", "r", "r", "r", "l", "l"]
    )
  );
  if (chromium) {
    out.push("\nPages of the built site in Chromium, first visits (a fresh context each, nothing cached), on this size's data files (ms from navigation start, medians; peak = the");
    out.push("renderer's peak resident memory, highest of the loads; longest = longest main-thread task before the first numbers). First numbers = the page's ready element");
    out.push("(the population line; on /explore the first query's result) visible with numbers; on /tiers also its tier table's rows. /report shows numbers computed when the site");
    out.push("was built (its own data), so its load does not grow with the size.");
    const pageRows = chromium.sizes.flatMap((c) =>
      c.pages.map((p) => [int(c.size), p.path, p.error ? "failed" : fmt(p.firstNumbersMs, 0), p.tableMs === null ? "" : fmt(p.tableMs, 0), p.error ? "" : fmt(p.rendererPeakMB, 0), p.error ? "" : fmt(p.longestTaskMs, 0), p.error ? p.error.slice(0, 100) : p.runs.map((x) => fmt(x.firstNumbersMs, 0)).join(", ")])
    );
    out.push(table(["leads", "page", "first numbers", "tier table", "peak MB", "longest", "runs (or why it failed)"], pageRows, ["r", "l", "r", "r", "r", "r", "l"]));
    for (const c of chromium.sizes) {
      const pc = c.populationChange;
      out.push(`population change at ${int(c.size)} (the real tier page, TRAIN ↔ all leads): ${"median" in pc ? `median ${fmt(pc.median)} ms, runs ${pc.samples.map((x) => fmt(x)).join(", ")}` : `failed: ${pc.error}`}`);
    }
    const taskErrors = chromium.sizes.flatMap((c) => Object.entries(c.taskErrors).map(([t, e]) => `${t} at ${int(c.size)}: ${e}`));
    if (taskErrors.length) out.push(`Browser tasks that failed (the others ran in a new page):\n  ${taskErrors.join("\n  ")}`);
  }
  out.push("\nTargets:");
  for (const g of goals) out.push(`  [${g.met === null ? " ? " : g.met ? "met" : "NOT"}] ${g.name}: ${g.value}`);

  const explain: (string | number)[][] = [];
  for (const n of native) {
    const c = chromium?.sizes.find((x) => x.size === n.size);
    const line = (engine: string, t: Partial<Record<string, Measured>> | undefined, wide: Measured | undefined, cached: {scan: Measured} | undefined) =>
      explain.push([int(n.size), engine, ...["edit-loop", "edit-loop-sql", "edit-js", "edit-parse", "edit-sql", "tier-query", "two-tier-queries", "edit-int-codes"].map((k) => fmt(t?.[k]?.median)), fmt(cached?.scan.median), fmt(wide?.median)]);
    line("native 1T", n.one.tasks, n.one.wide, n.one.cachedCompare);
    line(`native ${n.all.threads}T`, n.all.tasks, n.all.wide, n.all.cachedCompare);
    if (c && !c.error) line("wasm", c.tasks, c.wide, c.cachedCompare);
  }
  out.push("\nThe edit loop, taken apart (ms): edit loop = the tier page's (TierPreview: the edited rules counted by a compiled JavaScript loop over the population's typed columns);");
  out.push("SQL loop = the same with both rule sets counted by one SQL scan per edit; JS = the SQL loop with the query answered instantly (rule-set validation, SQL compilation, reports);");
  out.push("parse = one rule-set validation; joint scan = the one comparison query alone; tier query = one rule set's CASE … GROUP BY;");
  out.push("two queries = one tier query per rule set (what one scan replaces); int codes = the joint scan with integer tier codes; cached = the joint scan with the compared");
  out.push("rule set's tiers stored in a column once (one CASE per edit) and integer codes; wide = the whole edit loop with BIGINT/DOUBLE columns instead of the export's narrow types.");
  out.push(table(["leads", "engine", "edit loop", "SQL loop", "JS", "parse", "joint scan", "tier query", "two queries", "int codes", "cached", "wide"], explain, ["r", "l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"]));

  const tuning = (t: Partial<Record<string, Measured>> | undefined) => ["sweep", "sweep-sql", "tune", "tune-sql", "tune-page"].map((k) => fmt(t?.[k]?.median));
  out.push("\nThreshold sweep and tuner (ms): sweep = one threshold of Tier 1 by the tier page's loop over typed columns read once (every observed value or 100 quantiles,");
  out.push("a different threshold each run); sweep SQL = the same by its one aggregate query (tierlab sweep); tune grid = Tier 1's 1.4 and 2.2 × 50 values on TRAIN by the loop");
  out.push("(classification, grid, ranking); tune SQL = tierlab tune's work: one query per window (fit, holdout, the four backtest test windows), ranking; tune page = the tier");
  out.push("page's Suggest: tune() with every window counted by the loop over its columns (in Chromium from the columns file, as the panel does), the current rules' reports by SQL.");
  out.push(
    table(
      ["leads", "engine", "sweep", "sweep SQL", "tune grid", "tune SQL", "tune page"],
      native.flatMap((n) => {
        const c = chromium?.sizes.find((x) => x.size === n.size);
        return [[int(n.size), "native 1T", ...tuning(n.one.tasks)], [int(n.size), `native ${n.all.threads}T`, ...tuning(n.all.tasks)], ...(c && !c.error ? [[int(n.size), "wasm", ...tuning(c.tasks)]] : [])];
      }),
      ["r", "l", "r", "r", "r", "r", "r"]
    )
  );

  if (chromium) {
    out.push("\nPage load in Chromium, the site's load path (ms from navigation start, medians; first visit: a fresh context, nothing cached). The columns file is requested first, the DuckDB file once it is in;");
    out.push("boot = the page's script starts loading the data; columns file = the tier page's columns file fetched and decoded; first count = the first comparison (counted from it);");
    out.push("first numbers = the total. Behind them, for everything else: engine = started (from the page's <head>) → ready; fetch = the DuckDB file's bytes in (from the load's start);");
    out.push("attach = the DuckDB file handed to the engine, ATTACHed, the `leads` view; meta = row count and provenance; ranges at = the editor's observed ranges shown (a query);");
    out.push("return visit = a new page in the same context (site files cached, data fetched again); real page = /tiers.html of the built site, first visit, until its tier table shows numbers.");
    out.push(
      table(
        ["leads", "MB sent (columns + DuckDB)", "boot", "columns file", "first count", "first numbers", "engine", "fetch", "attach", "meta", "ranges at", "return visit", "real page", "renderer peak MB", "JS heap MB", "DuckDB MB", "longest task"],
        chromium.sizes.map((c) => {
          const f = files.get(c.size)!;
          const sent = `${fmt(sentBytes(f.columns) / 2 ** 20)} + ${fmt(sentBytes(f.duckdb) / 2 ** 20)}`;
          const real = "firstNumbersMs" in c.realPage ? fmt(c.realPage.firstNumbersMs, 0) : "failed";
          const peak = Math.max(...c.loads.map((l) => l.memory.rendererPeakMB ?? NaN), c.memory.rendererPeakMB ?? NaN);
          const l = c.load;
          return c.error
            ? [int(c.size), sent, "failed", c.error.slice(0, 60), "", "", "", "", "", "", "", "", real, "", "", "", ""]
            : [int(c.size), sent, fmt(l.bootMs, 0), l.sourceAt === null ? "none" : fmt(l.sourceAt, 0), fmt(l.scanMs, 0), fmt(l.firstNumbersMs, 0), `${fmt(l.engineStartedAt, 0)} → ${fmt(l.engineReadyAt, 0)}`, fmt(l.fetchMs, 0), fmt(l.openMs + l.tableMs, 0), fmt(l.metaMs, 0), fmt(l.rangesAt, 0), fmt(c.returnVisit?.firstNumbersMs, 0), real, fmt(peak, 0), fmt(c.memory.jsHeapMB, 0), fmt(c.memory.duckdbMB, 0), fmt(Math.max(...c.loads.map((l) => l.longestTaskMs)), 0)];
        }),
        ["r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"]
      )
    );
    const probe = chromium.engineProbe;
    if (probe && "fresh" in probe) {
      out.push("\nEngine start in Chromium (ms, medians): the engine's .wasm fetched and compiled on the main thread, then a DuckDB-WASM worker started as duckdb.ts does:");
      const p = (x: typeof probe.fresh, visit: string) => [visit, fmt(x.wasmBytes / 2 ** 20), fmt(x.fetchMs, 0), fmt(x.compileMs, 0), fmt(x.workerMs, 0), fmt(x.instantiateMs, 0), fmt(x.openMs, 0), fmt(x.firstQueryMs, 0)];
      out.push(table(["visit", "wasm MB", "fetch", "compile", "worker script", "worker instantiate", "open", "first query"], [p(probe.fresh, "first (fresh context)"), p(probe.returnVisit, "return (same context)")], ["l", "r", "r", "r", "r", "r", "r", "r"]));
    }
    const exp: (string | number)[][] = [];
    const failures: string[] = [];
    for (const c of chromium.sizes) {
      const file = files.get(c.size)!.duckdb;
      if (!c.error) exp.push([int(c.size), "site (DuckDB file, attached)", fmt(c.load.firstNumbersMs, 0), fmt(c.load.fetchMs, 0), fmt(c.load.openMs, 0), fmt(c.load.tableMs, 0), `${fmt(statSync(file).size / 2 ** 20)} / ${fmt(sentBytes(file) / 2 ** 20)}`, fmt(Math.max(...c.loads.map((l) => l.memory.rendererPeakMB ?? NaN)), 0), fmt(Math.max(...c.loads.map((l) => l.longestTaskMs)), 0), fmt(c.tasks["edit-loop"]?.median), fmt(c.tasks.backtest?.median), fmt(c.tasks.signals?.median)]);
      for (const [name, e] of Object.entries(c.experiments)) {
        if (!e) continue;
        if (e.error) failures.push(`${name} at ${int(c.size)}: ${e.error}`);
        exp.push(e.error ? [int(c.size), name, "failed", "", "", "", "", "", "", "", "", ""] : [int(c.size), name, fmt(e.firstNumbersMs, 0), fmt(e.fetchMs, 0), fmt(e.openMs, 0), fmt(e.tableMs, 0), `${fmt(e.bytes / 2 ** 20)} / ${fmt(e.sentBytes / 2 ** 20)}`, fmt(e.rendererPeakMB, 0), fmt(e.longestTaskMs, 0), fmt(e.editLoop?.median), fmt(e.backtest?.median), fmt(e.signals?.median)]);
      }
    }
    if (exp.length > chromium.sizes.length) {
      out.push("\nLoad paths in Chromium (medians; first numbers from navigation start; peak = renderer peak resident memory; longest = longest main-thread task during the load):");
      out.push(table(["leads", "load path", "first numbers", "fetch", "decode", "insert", "file / sent MB", "peak MB", "longest", "edit loop", "backtest", "signals"], exp, ["r", "l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"]));
      out.push("site = the pages' path (loadLeads); parquet = parquet-wasm decodes the Parquet file, the Arrow IPC stream is inserted; parquet-batch = that with 122,880-row");
      out.push("record batches; parquet-rowgroups = one row group decoded while the previous one is inserted; arrow-ipc = an uncompressed Arrow IPC stream inserted as is; duckdb-copy / duckdb-attach =");
      out.push("the DuckDB file ATTACHed, copied into memory / queried in place (a view, like site); site-uncompressed = site with nothing sent precompressed (engine and data).");
      for (const f of failures) out.push(`  failed: ${f}`);
    }
  }
  const nativeFile = native.filter((n) => n.one.loadDuckdbFile);
  if (nativeFile.length) {
    out.push("\nNative load (ms): Parquet (CREATE TABLE AS read_parquet) vs the DuckDB file (ATTACH + CREATE TABLE AS):");
    out.push(table(["leads", "Parquet 1T", "file 1T", `Parquet ${threadsAll}T`, `file ${threadsAll}T`], nativeFile.map((n) => [int(n.size), fmt(n.one.load.median), fmt(n.one.loadDuckdbFile?.median), fmt(n.all.load.median), fmt(n.all.loadDuckdbFile?.median)]), ["r", "r", "r", "r", "r"]));
  }
  // Other work on the machine while the bench ran: all busy CPU time minus this process tree's
  // (Chromium has exited by now, so its time is in our children's).
  const cpuAfter = cpuTimes();
  const wall = (Date.now() - started.getTime()) / 1000;
  const otherCores = cpuBefore && cpuAfter ? Math.max(0, cpuAfter.machine - cpuBefore.machine - (cpuAfter.ours - cpuBefore.ours)) / wall : null;
  const busy = otherCores !== null ? otherCores > 0.25 : loadBefore[0] > 0.5 * cpus().length;
  out.push(
    `\nOther work on the machine during the run: ${otherCores === null ? "unknown" : `${otherCores.toFixed(2)} of ${cpus().length} cores on average`} (load average ${loadBefore[0].toFixed(2)} at the start)` +
      (busy ? " — timings are noisy and slower than on a quiet machine; run again when it is idle." : ".")
  );
  out.push(mismatches.length ? `\nRESULTS DIFFER between engines:\n  ${mismatches.join("\n  ")}` : "\nBoth engines computed the same numbers for every task and size (result digests agree).");
  console.log(out.join("\n"));

  // Write.
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, {recursive: true});
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  const latest = {machine: m, results: rows};
  const details = {machine: m, startedAt: started.toISOString(), finishedAt: new Date().toISOString(), loadAverageAtStart: loadBefore, otherWorkCores: otherCores, wallSeconds: wall, options: opts, targets: goals, mismatches, native, chromium};
  writeFileSync(join(dir, "latest.json"), JSON.stringify(latest, null, 2) + "\n");
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(latest, null, 2) + "\n");
  writeFileSync(join(dir, "latest-details.json"), JSON.stringify(details, null, 2) + "\n");
  writeFileSync(join(dir, `${stamp}-details.json`), JSON.stringify(details, null, 2) + "\n");
  log(`\nwrote bench/results/latest.json, bench/results/${stamp}.json and the details beside them`);
  if (mismatches.length) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
