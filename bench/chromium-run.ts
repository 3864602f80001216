/**
 * The browser side of the benchmark: headless Chromium (Debian's, through playwright-core) on the
 * site copy with the bench page. Every load is a fresh browser context (a new renderer process,
 * nothing cached), so "load" is what a first visit costs. The tasks run in the page that loaded last.
 */
import {readFileSync} from "node:fs";
import {chromium, type Browser, type BrowserContext, type CDPSession, type Page} from "playwright-core";
import {CHROMIUM_ARGS, CHROMIUM_PATH} from "../test/browser/chromium.js";
import {DATA_DIR, sentBytes, type DataFiles, type Dataset} from "./data.js";
import type {EngineProbe, PageLoad, Via} from "./page/browser.js";
import {median, TASKS, type Measured, type TaskName} from "./page/tasks.js";
import {serveBench, type BenchServer} from "./server.js";
import {buildBenchSite, distColumnsPath, distLeadsPath} from "./site.js";
import {loadSitePage, marksScript, pageUrl, populationChanges, sitePages, summarizePage, TIER_TABLE_ROWS, type PopulationChange, type SitePageLoads} from "./site-pages.js";

declare global {
  interface Window {
    tierlabBench: import("./page/browser.js").Bench;
    __benchLongTasks: [number, number][];
  }
}

/** Every host but the bench's server fails to resolve (instead of intercepting each request). */
const OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"];

/**
 * Recorded from the first script on: long main-thread tasks (the Long Tasks API reports only tasks
 * of 50 ms or more), and when each of `marks` first shows numbers (site-pages.ts).
 */
const initScript = (marks: Record<string, string>) => `
window.__benchLongTasks = [];
try {
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__benchLongTasks.push([e.startTime, e.duration]); }).observe({type: "longtask", buffered: true});
} catch {}
${marksScript(marks)}
`;

export interface Memory {
  /** Peak resident memory of the page's renderer process (VmHWM), MB. Includes DuckDB's worker. */
  rendererPeakMB: number | null;
  /** Resident memory of the renderer now (VmRSS), MB. */
  rendererMB: number | null;
  /** Main-thread JS heap in use (CDP Performance.getMetrics), MB. */
  jsHeapMB: number | null;
  /** DuckDB's own account (duckdb_memory()), MB. */
  duckdbMB: number | null;
}

export interface LoadRun extends PageLoad {
  memory: Memory;
  /** Longest main-thread task from navigation to first numbers, ms. */
  longestTaskMs: number;
}

export interface BrowserSize {
  size: number;
  /** Loads of the bench page (site's own load path), after a warm-up load. */
  loads: LoadRun[];
  load: LoadSummary;
  /** Return visits (same context, caches warm): the loads and their medians. */
  returnVisits: LoadRun[];
  returnVisit: BrowserSize["load"] | null;
  tasks: Partial<Record<TaskName, Measured>>;
  /** The edit loop on `leads_wide` (BIGINT/DOUBLE columns). */
  wide?: Measured;
  /** The joint scan with the compared rule set's tiers stored in a column (setup once, then per edit). */
  cachedCompare?: {setupMs: number; scan: Measured};
  /** Longest main-thread task while the edit loop ran, ms (DuckDB runs in a worker). */
  editLongestTaskMs: number;
  /** Longest main-thread task of 50 ms or more while the tier page's tune (tune-page) ran, ms (0: none that long). */
  tuneLongestTaskMs: number;
  /** Memory after the tasks ran in the last page. */
  memory: Memory;
  /** The real tier page (/tiers.html) on this data: navigation → the tier table shows numbers (its loads in `pages`). */
  realPage: {firstNumbersMs: number; samples: number[]; rendererPeakMB: number | null} | {error: string};
  /** Every page of the built site, first visits on this data: navigation → its first numbers. */
  pages: SitePageLoads[];
  /** The real tier page: the population selected again → the tier table shows the new numbers. */
  populationChange: PopulationChange | {error: string};
  /** Tasks that failed or did not finish in time (by name); the others still ran. */
  taskErrors: Partial<Record<string, string>>;
  /** By experiment name (see {@link experimentsFor}). */
  experiments: Partial<Record<string, ExperimentResult>>;
  error?: string;
}

export interface ExperimentResult {
  firstNumbersMs: number;
  loadTotalMs: number;
  fetchMs: number;
  openMs: number;
  tableMs: number;
  bytes: number;
  /** Bytes over the wire (the gzip copy's size for the Arrow and DuckDB files). */
  sentBytes: number;
  rendererPeakMB: number | null;
  longestTaskMs: number;
  editLoop?: Measured;
  /** For the ways whose `leads` is a different kind of table (in memory, attached): the other tasks. */
  backtest?: Measured;
  signals?: Measured;
  digest: string;
  error?: string;
}

export interface BrowserOptions {
  sizes: Dataset[];
  repeats: number;
  experiments: boolean;
  /** A task (warm-up and repeats) not done in this many ms is reported as failed; the bench goes on in a new page. */
  taskTimeoutMs: number;
  /** Files per size (from data.ts). */
  files: Map<number, DataFiles>;
  log: (m: string) => void;
}

const MB = 1024 * 1024;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function procStatus(pid: number): {hwm: number; rss: number} | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
    return {hwm: kb("VmHWM") / 1024, rss: kb("VmRSS") / 1024};
  } catch {
    return null;
  }
}

class Harness {
  private browserSession!: CDPSession;
  constructor(
    readonly browser: Browser,
    readonly server: BenchServer
  ) {}

  /** Requests for anything but the bench's own server (none expected: the site is offline by construction). */
  readonly external = new Set<string>();

  async init(): Promise<void> {
    this.browserSession = await this.browser.newBrowserCDPSession();
  }

  /** Renderer process ids Chromium reports (SystemInfo.getProcessInfo). */
  async rendererPids(): Promise<number[]> {
    const info = (await this.browserSession.send("SystemInfo.getProcessInfo")) as {processInfo: {type: string; id: number}[]};
    return info.processInfo.filter((p) => p.type === "renderer").map((p) => p.id);
  }

  /**
   * Opens `path` in a new page, in a fresh context unless `reuse` (a return visit: same HTTP and
   * code caches), recording when each of `marks` (name → selector) first shows numbers.
   */
  async open(path: string, reuse?: BrowserContext, marks: Record<string, string> = {}): Promise<{context: BrowserContext; page: Page; session: CDPSession; pids: () => Promise<number[]>; crashed: () => boolean; errors: string[]}> {
    const before = new Set(reuse ? [] : await this.rendererPids());
    const context = reuse ?? (await this.browser.newContext({viewport: {width: 1280, height: 900}}));
    const page = await context.newPage();
    let crashed = false;
    const errors: string[] = [];
    page.on("crash", () => (crashed = true));
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.addInitScript(initScript(marks));
    // No request interception (Playwright's routing would add a round trip per request and turn
    // the HTTP cache off, making return visits meaningless): Chromium resolves no host but
    // 127.0.0.1 (OFFLINE_ARGS), and a request elsewhere fails the run.
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.hostname !== "127.0.0.1" && url.protocol !== "blob:" && url.protocol !== "data:") this.external.add(request.url());
    });
    const session = await context.newCDPSession(page);
    await session.send("Performance.enable");
    await page.goto(this.server.url + path, {waitUntil: "commit"});
    return {context, page, session, pids: async () => (await this.rendererPids()).filter((p) => !before.has(p)), crashed: () => crashed, errors};
  }

  /** Peak resident memory of the largest of these renderer processes (VmHWM), MB. */
  rendererPeakMB(pids: number[]): number | null {
    const peaks = pids.map(procStatus).filter((s): s is {hwm: number; rss: number} => s !== null).map((s) => s.hwm);
    return peaks.length ? round(Math.max(...peaks)) : null;
  }

  async memory(page: Page, session: CDPSession, pids: number[]): Promise<Memory> {
    const statuses = pids.map(procStatus).filter((s): s is {hwm: number; rss: number} => s !== null);
    const renderer = statuses.sort((a, b) => b.hwm - a.hwm)[0];
    let jsHeapMB: number | null = null;
    try {
      const {metrics} = (await session.send("Performance.getMetrics")) as {metrics: {name: string; value: number}[]};
      jsHeapMB = round((metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? NaN) / MB);
    } catch {}
    const duck = await page.evaluate(() => window.tierlabBench?.duckdbMemory()).catch(() => null);
    return {
      rendererPeakMB: renderer ? round(renderer.hwm) : null,
      rendererMB: renderer ? round(renderer.rss) : null,
      jsHeapMB,
      duckdbMB: typeof duck === "number" ? round(duck / MB) : null
    };
  }

  /** Opens the bench page on a data file (and columns file) and waits for its first numbers. The context stays open. */
  async loadBench(url: string, via: Via, reuse?: BrowserContext, columns?: string) {
    const opened = await this.open(`/bench/bench.html?data=${encodeURIComponent(url)}&via=${via}${columns ? `&columns=${encodeURIComponent(columns)}` : ""}`, reuse);
    const {page} = opened;
    try {
      await page.waitForFunction(() => window.tierlabBench !== undefined, null, {timeout: 120_000});
      const load = await page.evaluate(() => window.tierlabBench.ready);
      if (!load.sqlAgrees) throw new Error("the first numbers differ from the SQL's");
      if (columns && load.steps.firstEngine !== "file") throw new Error(`the first numbers were not counted from the columns file (${load.steps.firstEngine})`);
      const tasks = await page.evaluate(() => window.__benchLongTasks);
      const longestTaskMs = round(Math.max(0, ...tasks.filter(([start]) => start <= load.firstNumbersMs).map(([, d]) => d)));
      const memory = await this.memory(page, opened.session, await opened.pids());
      return {...opened, run: {...load, memory, longestTaskMs} as LoadRun};
    } catch (error) {
      await opened.context.close().catch(() => {});
      throw new Error(`${via} load of ${url}${opened.crashed() ? " (the tab crashed)" : ""}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
}

/** Medians of page loads, ms (the `…At` fields from navigation start, the others durations). */
export interface LoadSummary {
  firstNumbersMs: number;
  bootMs: number;
  engineMs: number;
  /** When the engine was started (from the page's <head>) and when it could answer queries. */
  engineStartedAt: number;
  engineReadyAt: number;
  fetchMs: number;
  openMs: number;
  tableMs: number;
  /** Counting the rows and reading the provenance. */
  metaMs: number;
  loadTotalMs: number;
  firstQueryMs: number;
  /** When the columns file was decoded (null without one). */
  sourceAt: number | null;
  /** Describing the columns (without a columns file) and the first comparison. */
  scanMs: number;
  /** When an edit counted by the preview's loop could first be answered after the ranges. */
  editReadyAt: number;
  /** When the editor's observed ranges (a query on the engine) were in. */
  rangesAt: number;
}

function summarize(loads: LoadRun[]): LoadSummary {
  const pick = (f: (l: LoadRun) => number | undefined) => round(median(loads.map((l) => f(l) ?? NaN)));
  return {
    engineStartedAt: pick((l) => l.timings.engineStartedAt),
    engineReadyAt: pick((l) => l.timings.engineReadyAt),
    metaMs: pick((l) => l.timings.metaMs),
    sourceAt: loads.some((l) => l.steps.sourceAt === null) ? null : pick((l) => l.steps.sourceAt ?? undefined),
    scanMs: pick((l) => l.steps.columnsMs + l.steps.compareMs),
    editReadyAt: pick((l) => l.firstNumbersMs + l.steps.editReadyAfterMs),
    rangesAt: pick((l) => l.firstNumbersMs + l.steps.rangesAfterMs),
    firstNumbersMs: pick((l) => l.firstNumbersMs),
    bootMs: pick((l) => l.bootMs),
    engineMs: pick((l) => l.timings.engineMs),
    fetchMs: pick((l) => l.timings.fetchMs),
    openMs: pick((l) => l.timings.openMs),
    tableMs: pick((l) => l.timings.tableMs),
    loadTotalMs: pick((l) => l.timings.totalMs),
    firstQueryMs: pick((l) => l.firstQueryMs)
  };
}

/** Every task of tasks.ts in its order (new ones join), but the cached-compare one, an experiment of its own. */
const TASK_ORDER: TaskName[] = TASKS.filter((t) => t !== "edit-cached-compare");

export interface ChromiumResults {
  version: string;
  engine: string;
  sizes: BrowserSize[];
  /** Where engine start goes, in a fresh context and on return visits (medians). */
  engineProbe?: {fresh: EngineProbe; returnVisit: EngineProbe} | {error: string};
}

/** The engine-start probe: `repeats` fresh contexts, then `repeats` pages in one context (after a first). */
async function probeEngine(harness: Harness, repeats: number, log: (m: string) => void): Promise<ChromiumResults["engineProbe"]> {
  const once = async (reuse?: BrowserContext) => {
    const {context, page} = await harness.open("/bench/bench.html?probe=engine", reuse);
    await page.waitForFunction(() => window.tierlabBench !== undefined, null, {timeout: 60_000});
    const result = await page.evaluate(() => window.tierlabBench.probeEngine());
    await (reuse ? page.close() : context.close());
    return result;
  };
  const summary = (runs: EngineProbe[]): EngineProbe => {
    const keys = Object.keys(runs[0]) as (keyof EngineProbe)[];
    return Object.fromEntries(keys.map((k) => [k, round(median(runs.map((r) => r[k])))])) as unknown as EngineProbe;
  };
  try {
    const fresh: EngineProbe[] = [];
    for (let r = 0; r < repeats; ++r) fresh.push(await once());
    const context = await harness.browser.newContext();
    await once(context);
    const again: EngineProbe[] = [];
    for (let r = 0; r < repeats; ++r) again.push(await once(context));
    await context.close();
    const result = {fresh: summary(fresh), returnVisit: summary(again)};
    log(`  chromium: engine start, first visit: fetch ${result.fresh.fetchMs} + compile ${result.fresh.compileMs} ms on the main thread; worker instantiate ${result.fresh.instantiateMs}, open ${result.fresh.openMs} ms; return visit: instantiate ${result.returnVisit.instantiateMs} ms`);
    return result;
  } catch (error) {
    log(`  chromium: engine probe FAILED ${(error as Error).message}`);
    return {error: (error as Error).message};
  }
}

export async function runChromium(options: BrowserOptions): Promise<ChromiumResults> {
  const {log, repeats} = options;
  const dist = buildBenchSite(log);
  const server = await serveBench(dist, DATA_DIR, {duckdb: distLeadsPath(dist), columns: distColumnsPath(dist)});
  const browser = await chromium.launch({executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...OFFLINE_ARGS, "--enable-precise-memory-info"], headless: true});
  const harness = new Harness(browser, server);
  await harness.init();
  const sizes: BrowserSize[] = [];
  let engine = "";
  let engineProbe: ChromiumResults["engineProbe"];
  try {
    if (options.experiments) engineProbe = await probeEngine(harness, repeats, log);
    for (const data of options.sizes) {
      const out: BrowserSize = {
        size: data.rows,
        loads: [],
        returnVisits: [],
        returnVisit: null,
        load: summarize([]),
        tasks: {},
        editLongestTaskMs: NaN,
        tuneLongestTaskMs: NaN,
        memory: {rendererPeakMB: null, rendererMB: null, jsHeapMB: null, duckdbMB: null},
        realPage: {error: "not run"},
        pages: sitePages(),
        populationChange: {error: "not run"},
        taskErrors: {},
        experiments: {}
      };
      sizes.push(out);
      await measureSize(harness, data, options, out);
      if (out.loads[0]) engine = out.loads[0].engineVersion;
    }
    if (harness.external.size) throw new Error(`the site asked for something other than its own server (it must work offline): ${[...harness.external].slice(0, 5).join(", ")}`);
  } finally {
    await browser.close();
    await server.close();
  }
  return {version: browser.version(), engine, sizes, engineProbe};
}

/** An experimental way of loading: a load path (via) on a file, optionally without precompressed transfers. */
interface Experiment {
  name: string;
  via: Via;
  file: string | undefined;
  /** Serve everything (engine, data) uncompressed while it loads. */
  uncompressed?: boolean;
  /** Also run the backtest and signals tasks in its page (the ways whose table differs in kind). */
  tasks?: boolean;
}

/**
 * The experiments for one size. DuckDB-WASM's own read_parquet (`wasm-parquet`) is left out: it
 * fails in DuckDB-WASM 1.32 ("function signature mismatch"; the parquet extension is not built in).
 */
function experimentsFor(data: Dataset, files: DataFiles): Experiment[] {
  return [
    {name: "parquet", via: "parquet", file: data.parquet, tasks: true},
    {name: "parquet-batch", via: "parquet-batch", file: data.parquet},
    {name: "parquet-rowgroups", via: "parquet-rowgroups", file: data.parquet},
    {name: "arrow-ipc", via: "arrow-ipc", file: files.arrow},
    {name: "duckdb-copy", via: "duckdb-copy", file: files.duckdb, tasks: true},
    {name: "duckdb-attach", via: "duckdb-attach", file: files.duckdb, tasks: true},
    {name: "site-uncompressed", via: "site", file: files.duckdb, uncompressed: true}
  ];
}

/**
 * Runs a task in the page, from a task of the page's own: code run straight from the harness's
 * evaluate runs inside DevTools' message dispatch, which the Long Tasks API does not see (a task's
 * first synchronous stretch went unrecorded, and the longest tasks measured around it were too short).
 */
function runTask(page: Page, task: TaskName, repeats: number, table?: string): Promise<Measured> {
  return page.evaluate(([t, n, table]) => new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => window.tierlabBench.run(t, n, table)), [task, repeats, table] as const);
}

/** A page's timeout for its first numbers (a failed load must not hang the bench). */
const PAGE_TIMEOUT_MS = 180_000;

/** `promise`, or a rejection with `message` after `ms` (the promise itself goes on; its outcome is dropped). */
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => {});
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * The real tier page on this size's data, loaded (tier table shown, then the DuckDB file in and
 * the network quiet, as when a user gets to the controls), then the population selected again.
 */
async function measurePopulationChange(harness: Harness, files: DataFiles, repeats: number): Promise<PopulationChange | {error: string}> {
  harness.server.swap = {duckdb: files.duckdb, columns: files.columns};
  const opened = await harness.open(pageUrl("/tiers"), undefined, {table: TIER_TABLE_ROWS});
  try {
    await opened.page.waitForFunction(() => window.__benchMarks?.table !== undefined, null, {timeout: PAGE_TIMEOUT_MS, polling: 100});
    await opened.page.waitForLoadState("networkidle", {timeout: PAGE_TIMEOUT_MS});
    await opened.page.waitForTimeout(1000);
    const result = await populationChanges(opened.page, repeats, 60_000);
    if (opened.errors.length) throw new Error(`page errors: ${opened.errors.slice(0, 3).join("; ")}`);
    return result;
  } catch (error) {
    return {error: `${opened.crashed() ? "the tab crashed: " : ""}${(error as Error).message.split("\n")[0]}`};
  } finally {
    harness.server.swap = null;
    await opened.context.close().catch(() => {});
  }
}

/**
 * Longest main-thread task that overlapped [t0, t1] (page clock); 0 when none took 50 ms (the Long
 * Tasks API reports no shorter ones). Waits a little first: the observer gets its entries after the
 * task, in a later one.
 */
async function longestTaskBetween(page: Page, t0: number, t1: number): Promise<number> {
  const tasks = await page.evaluate(() => new Promise<[number, number][]>((resolve) => setTimeout(() => resolve(window.__benchLongTasks), 200)));
  return round(Math.max(0, ...tasks.filter(([s, d]) => s + d >= t0 && s <= t1).map(([, d]) => d)));
}

/**
 * One size. Loads run in rounds (round 0 is the warm-up): in each round every experimental load
 * path loads once (for the first min(3, repeats) rounds), then every page of the built site, then
 * the bench page on the site's own path — interleaved, so that other work on the machine affects
 * all of them alike. Then the tier page's population change. The bench page's last load stays
 * open: return visits, then every task, then the in-page experiments.
 */
async function measureSize(harness: Harness, data: Dataset, options: BrowserOptions, out: BrowserSize): Promise<void> {
  const {log, repeats} = options;
  const url = (file: string) => `/bench-data/${file.split("/").pop()}`;
  const files = options.files.get(data.rows)!;
  const experiments = options.experiments ? experimentsFor(data, files).filter((e) => e.file) : [];
  const expRounds = Math.min(3, repeats);
  const expRuns = new Map<string, LoadRun[]>(experiments.map((e) => [e.name, []]));
  const expTasks = new Map<string, Partial<Record<TaskName, Measured>>>();
  const failed = new Map<string, string>();
  let main: Awaited<ReturnType<Harness["loadBench"]>> | null = null;
  const tag = `  chromium ${data.rows}:`;

  for (let r = 0; r <= repeats; ++r) {
    if (r <= expRounds) {
      for (const e of experiments) {
        if (failed.has(e.name)) continue;
        harness.server.precompressed = !e.uncompressed;
        try {
          const loaded = await harness.loadBench(url(e.file!), e.via);
          harness.server.precompressed = true;
          if (r > 0) expRuns.get(e.name)!.push(loaded.run);
          if (r === expRounds) {
            const tasks: Partial<Record<TaskName, Measured>> = {};
            for (const task of e.tasks ? (["edit-loop", "backtest", "signals"] as const) : (["edit-loop"] as const)) {
              tasks[task] = await runTask(loaded.page, task, repeats);
            }
            expTasks.set(e.name, tasks);
          }
          await loaded.context.close();
        } catch (error) {
          failed.set(e.name, (error as Error).message);
          log(`${tag} experiment ${e.name} FAILED ${(error as Error).message}`);
        } finally {
          harness.server.precompressed = true;
        }
      }
    }
    // Every page of the built site, its data files (DuckDB file, columns file) swapped for this size's.
    harness.server.swap = {duckdb: files.duckdb, columns: files.columns};
    try {
      const shown: string[] = [];
      for (const p of out.pages) {
        if (p.error) continue;
        try {
          const run = await loadSitePage(harness, p, data.rows, PAGE_TIMEOUT_MS);
          if (r > 0) p.runs.push(run);
          shown.push(`${p.path} ${run.firstNumbersMs.toFixed(0)}${run.tableMs === null ? "" : ` (table ${run.tableMs.toFixed(0)})`}`);
        } catch (error) {
          p.error = (error as Error).message;
          log(`${tag} page ${p.error}: FAILED`);
        }
      }
      log(`${tag} pages ${r === 0 ? "(warm-up) " : ""}ms to first numbers: ${shown.join(", ")}`);
    } finally {
      harness.server.swap = null;
    }
    if (failed.has("site")) continue;
    try {
      main = await harness.loadBench(url(files.duckdb), "site", undefined, url(files.columns));
      if (r > 0) out.loads.push(main.run);
      log(`${tag} load ${r === 0 ? "(warm-up) " : ""}${main.run.firstNumbersMs.toFixed(0)} ms to first numbers, renderer peak ${main.run.memory.rendererPeakMB} MB`);
      if (r < repeats) {
        await main.context.close();
        main = null;
      }
    } catch (error) {
      failed.set("site", (error as Error).message);
      out.error = (error as Error).message;
      log(`${tag} FAILED ${out.error}`);
    }
  }

  // Summaries of the rounds.
  for (const e of experiments) {
    const runs = expRuns.get(e.name)!;
    if (failed.has(e.name) || runs.length === 0) {
      out.experiments[e.name] = {error: failed.get(e.name) ?? "no runs"} as ExperimentResult;
      continue;
    }
    const pick = (f: (l: LoadRun) => number) => round(median(runs.map(f)));
    const tasks = expTasks.get(e.name) ?? {};
    out.experiments[e.name] = {
      firstNumbersMs: pick((l) => l.firstNumbersMs),
      loadTotalMs: pick((l) => l.timings.totalMs),
      fetchMs: pick((l) => l.timings.fetchMs),
      openMs: pick((l) => l.timings.openMs),
      tableMs: pick((l) => l.timings.tableMs),
      bytes: runs[0].bytes,
      sentBytes: e.uncompressed ? runs[0].bytes : sentBytes(e.file!),
      rendererPeakMB: Math.max(...runs.map((l) => l.memory.rendererPeakMB ?? NaN)),
      longestTaskMs: Math.max(...runs.map((l) => l.longestTaskMs)),
      editLoop: tasks["edit-loop"],
      backtest: tasks.backtest,
      signals: tasks.signals,
      digest: runs[0].digest
    };
    const x = out.experiments[e.name]!;
    log(`${tag} experiment ${e.name}: ${x.firstNumbersMs.toFixed(0)} ms to first numbers, edit loop ${x.editLoop?.median.toFixed(1)} ms${x.backtest ? `, backtest ${x.backtest.median.toFixed(1)} ms, signals ${x.signals?.median.toFixed(1)} ms` : ""}, peak ${x.rendererPeakMB} MB`);
  }
  for (const p of out.pages) summarizePage(p);
  const tiers = out.pages.find((p) => p.path === "/tiers");
  out.realPage = !tiers || tiers.error || tiers.tableMs === null ? {error: tiers?.error ?? "no runs"} : {firstNumbersMs: tiers.tableMs, samples: tiers.runs.map((x) => x.tableMs!), rendererPeakMB: tiers.rendererPeakMB};
  if ("firstNumbersMs" in out.realPage) log(`${tag} real tier page ${out.realPage.firstNumbersMs.toFixed(0)} ms to its tier table`);
  out.populationChange = await measurePopulationChange(harness, files, repeats);
  log(`${tag} population change ${"median" in out.populationChange ? `${out.populationChange.median.toFixed(1)} ms (${out.populationChange.samples.join(", ")})` : `FAILED ${out.populationChange.error}`}`);
  if (!main) return;
  out.load = summarize(out.loads);

  try {
    // Return visits: a new page in the same context (the site's immutable files cached, the data
    // fetched again), after closing the previous page.
    for (let r = 0; r < expRounds; ++r) {
      await main.page.close();
      main = await harness.loadBench(url(files.duckdb), "site", main.context, url(files.columns));
      out.returnVisits.push(main.run);
      log(`${tag} return visit ${main.run.firstNumbersMs.toFixed(0)} ms to first numbers (engine ${main.run.timings.engineMs.toFixed(0)} ms)`);
    }
    out.returnVisit = summarize(out.returnVisits);

    // The tasks, in the page that loaded last; one that fails or does not finish in time is
    // reported, and the next ones run in a new page (a query in DuckDB's worker cannot be stopped).
    for (const task of TASK_ORDER) {
      const {page} = main;
      try {
        const t0 = await page.evaluate(() => performance.now());
        out.tasks[task] = await withTimeout(
          runTask(page, task, repeats),
          options.taskTimeoutMs,
          `did not finish (warm-up and ${repeats} runs) in ${(options.taskTimeoutMs / 1000).toFixed(0)} s`
        );
        const t1 = await page.evaluate(() => performance.now());
        if (task === "edit-loop") out.editLongestTaskMs = await longestTaskBetween(page, t0, t1);
        if (task === "tune-page") out.tuneLongestTaskMs = await longestTaskBetween(page, t0, t1);
        log(`${tag} ${task} ${out.tasks[task]!.median.toFixed(1)} ms`);
      } catch (error) {
        out.taskErrors[task] = (error as Error).message.split("\n")[0];
        log(`${tag} ${task} FAILED ${out.taskErrors[task]}`);
        await main.context.close().catch(() => {});
        main = await harness.loadBench(url(files.duckdb), "site", undefined, url(files.columns));
      }
    }
    const {page} = main;
    if (options.experiments) {
      await page.evaluate(() => window.tierlabBench.makeWide());
      out.wide = await runTask(page, "edit-loop", repeats, "leads_wide");
      log(`${tag} edit-loop on BIGINT/DOUBLE columns ${out.wide.median.toFixed(1)} ms`);
      out.cachedCompare = await page.evaluate((n) => window.tierlabBench.cachedCompare(n), repeats);
      log(`${tag} joint scan with the compared tiers cached ${out.cachedCompare.scan.median.toFixed(1)} ms (caching them ${out.cachedCompare.setupMs.toFixed(0)} ms)`);
    }
    out.memory = await harness.memory(page, main.session, await main.pids());
  } catch (error) {
    out.error = (error as Error).message;
    log(`${tag} FAILED ${out.error}`);
  } finally {
    await main.context.close();
  }
}
