/**
 * The browser half of the benchmark, used by the bench page (bench/page/bench.md) in a copy of
 * the site: alternative ways of getting the leads into DuckDB-WASM (the experiments), and the
 * `window.tierlabBench` functions the harness calls. The tasks themselves are in tasks.ts, shared
 * with the native engine.
 *
 * Imports are relative to this file; bench/site.ts rewrites `../../src/` to `../` in the copy.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import initParquet, {ParquetFile, readParquet} from "parquet-wasm/esm";
import {startEngine, WasmConnector, type LoadedLeads, type LoadTimings} from "../../src/components/duckdb.js";
// The same engine files as the site's engine, for the engine-start probe.
import {DUCKDB_WASM, DUCKDB_WORKER} from "../../src/components/engineWorker.js";
import type {Connector, Row} from "../../src/lib/connector.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import type {PreviewSource} from "../../src/lib/tiers/preview-source.js";
import {fileColumns} from "../../src/lib/tiers/tune-request.js";
import {cacheCompareTiers, dropCachedTiers, measureTask, wideTableSql, type BenchInputs, type Measured, type TaskName} from "./tasks.js";

const PARQUET_WASM = import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm");

export interface EngineProbe {
  /** Fetching the engine's .wasm on the main thread (bytes only, no compile). */
  fetchMs: number;
  /** WebAssembly.compile of those bytes on the main thread. */
  compileMs: number;
  /** A new DuckDB-WASM worker: its script loaded and answering (ping), then instantiate (its own fetch + compile + instantiate), open, first query. */
  workerMs: number;
  instantiateMs: number;
  openMs: number;
  firstQueryMs: number;
  wasmBytes: number;
}

/**
 * Where engine start goes: a second DuckDB-WASM engine started step by step, as duckdb.ts starts
 * its own (same files, same options). Run it in a page that loads no data.
 */
export async function probeEngine(): Promise<EngineProbe> {
  // Every page starts its own engine from its <head> (engineBoot.ts): let it finish first, so the
  // probe's engine does not compete with it.
  await startEngine();
  const t0 = performance.now();
  const bytes = await (await fetch(DUCKDB_WASM)).arrayBuffer();
  const t1 = performance.now();
  await WebAssembly.compile(bytes);
  const t2 = performance.now();
  const worker = new Worker(DUCKDB_WORKER, {type: "module"});
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.ping();
  const tw = performance.now();
  await db.instantiate(DUCKDB_WASM);
  const t3 = performance.now();
  await db.open({query: {castBigIntToDouble: true}});
  const t4 = performance.now();
  const connection = await db.connect();
  await connection.query("SELECT 42");
  const t5 = performance.now();
  await db.terminate();
  return {fetchMs: t1 - t0, compileMs: t2 - t1, workerMs: tw - t2, instantiateMs: t3 - tw, openMs: t4 - t3, firstQueryMs: t5 - t4, wasmBytes: bytes.byteLength};
}

/**
 * How the leads get into DuckDB-WASM. `site` is the site's own path (loadLeads: the DuckDB database
 * file ATTACHed, `leads` a view on it); `parquet` is the site's path before that (parquet-wasm
 * decodes the Parquet file on the main thread, the Arrow IPC stream is inserted into a table).
 */
export const VIAS = ["site", "parquet", "parquet-batch", "parquet-rowgroups", "arrow-ipc", "duckdb-copy", "duckdb-attach", "wasm-parquet"] as const;
export type Via = (typeof VIAS)[number];

/** Which file each way reads (the harness serves these from bench/.data/). */
export const VIA_FORMAT: Record<Via, "parquet" | "arrow" | "duckdb"> = {
  site: "duckdb",
  parquet: "parquet",
  "parquet-batch": "parquet",
  "parquet-rowgroups": "parquet",
  "arrow-ipc": "arrow",
  "duckdb-copy": "duckdb",
  "duckdb-attach": "duckdb",
  "wasm-parquet": "parquet"
};

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

type Loaded = Pick<LoadedLeads, "conn" | "rows" | "bytes" | "timings">;

/**
 * Loads the leads into the table `leads` by one of the experimental ways (not `site`, which is the
 * site's loadLeads). Timings are split like loadLeads': engine start, fetch, decode, insert.
 */
export async function loadVia(via: Exclude<Via, "site">, url: string): Promise<Loaded> {
  const t0 = performance.now();
  const enginePromise = startEngine().then((db) => ({db, at: performance.now()}));
  const parquet = via.startsWith("parquet") ? initParquet({module_or_path: PARQUET_WASM}) : null;
  const buffer = await fetchBytes(url);
  const byteLength = buffer.byteLength; // (the buffer may be handed over to DuckDB's worker below)
  const fetched = performance.now();
  let decoded = fetched;
  let engineReady = fetched;
  const finish = async (conn: WasmConnector, inserted: number): Promise<Loaded> => {
    const [{n}] = await conn.query(`SELECT COUNT(*) AS n FROM leads`);
    return {
      conn,
      rows: Number(n),
      bytes: byteLength,
      timings: {engineMs: engineReady - t0, fetchMs: fetched - t0, openMs: decoded - fetched, tableMs: inserted - Math.max(decoded, engineReady), totalMs: inserted - t0}
    };
  };
  if (via === "parquet" || via === "parquet-batch") {
    // parquet-wasm with its default record batches (1,024 rows), or with record
    // batches of a row group's size.
    await parquet;
    const ipc = readParquet(new Uint8Array(buffer), via === "parquet-batch" ? {batchSize: 122_880} : undefined).intoIPCStream();
    decoded = performance.now();
    const {db, at} = await enginePromise;
    engineReady = at;
    const connection = await db.connect();
    await connection.insertArrowFromIPCStream(ipc, {name: "leads", create: true});
    return finish(new WasmConnector(connection), performance.now());
  }
  if (via === "parquet-rowgroups") {
    // Decode one row group at a time and insert it while the next one decodes (the insert runs in
    // DuckDB's worker), so the decoded copy of the whole table never exists at once.
    await parquet;
    const bytes = new Uint8Array(buffer);
    const groups = (await ParquetFile.fromFile(new Blob([bytes]))).metadata().numRowGroups();
    const {db, at} = await enginePromise;
    engineReady = at;
    const connection = await db.connect();
    let decodeMs = 0;
    let pending: Promise<unknown> = Promise.resolve();
    for (let g = 0; g < groups; ++g) {
      const d0 = performance.now();
      const ipc = readParquet(bytes, {rowGroups: [g], batchSize: 122_880}).intoIPCStream();
      decodeMs += performance.now() - d0;
      await pending;
      pending = connection.insertArrowFromIPCStream(ipc, {name: "leads", create: g === 0});
    }
    await pending;
    // Decoding overlaps inserting here: "decode" is the main-thread decode time, "insert" the rest.
    decoded = fetched + decodeMs;
    return finish(new WasmConnector(connection), performance.now());
  }
  const {db, at} = await enginePromise;
  engineReady = at;
  const connection = await db.connect();
  if (via === "arrow-ipc") {
    await connection.insertArrowFromIPCStream(new Uint8Array(buffer), {name: "leads", create: true});
  } else if (via === "wasm-parquet") {
    // DuckDB's own Parquet reader inside DuckDB-WASM (works only if the parquet extension is built in).
    await db.registerFileBuffer("leads.parquet", new Uint8Array(buffer));
    await connection.query(`CREATE TABLE leads AS SELECT * FROM read_parquet('leads.parquet')`);
  } else {
    await db.registerFileBuffer("leads.duckdb", new Uint8Array(buffer));
    await connection.query(`ATTACH 'leads.duckdb' AS src (READ_ONLY)`);
    // duckdb-copy copies the table into memory; duckdb-attach queries the attached file directly.
    await connection.query(via === "duckdb-copy" ? `CREATE TABLE leads AS SELECT * FROM src.leads` : `CREATE VIEW leads AS SELECT * FROM src.leads`);
  }
  return finish(new WasmConnector(connection), performance.now());
}

/** DuckDB's own account of its memory (buffer manager), in bytes; null if the engine cannot say. */
async function duckdbMemory(conn: Connector): Promise<number | null> {
  try {
    const rows: Row[] = await conn.query(`SELECT SUM(memory_usage_bytes) AS bytes FROM duckdb_memory()`);
    return Number(rows[0].bytes);
  } catch {
    return null;
  }
}

export interface PageLoad {
  via: Via;
  rows: number;
  bytes: number;
  /** Navigation start → the page's first script calls the loader. */
  bootMs: number;
  timings: LoadTimings;
  /** Columns known (the columns file decoded, else the engine ready with the leads) → first tier numbers. */
  firstQueryMs: number;
  /**
   * The first numbers' parts: when the columns file's bytes were in and when it was decoded (null without one), describing the
   * columns (from the engine, without a columns file), the first comparison and how it was
   * computed (`file`: counted from the columns file; `sql`: one SQL scan); then, after the first
   * numbers, when the editor's ranges and the first edit counted by the preview's loop were ready,
   * and how that edit was computed.
   */
  steps: {sourceFetchedAt: number | null; sourceAt: number | null; columnsMs: number; compareMs: number; firstEngine: string; rangesAfterMs: number; editReadyAfterMs: number; editEngine: string};
  /** Navigation start → first tier numbers (what the user waits for). */
  firstNumbersMs: number;
  /** Whether the first numbers equal compareRuleSets' (one SQL scan on the engine). */
  sqlAgrees: boolean;
  digest: string;
  /** The first comparison's tiers: [id, leads]. */
  tiers: [string, number][];
  duckdbMemoryBytes: number | null;
  engineVersion: string;
}

export interface Bench {
  /** Resolves when the page has loaded the leads and shown (computed) its first tier numbers. */
  ready: Promise<PageLoad>;
  /** Runs a task (warm-up + repeats) on `table` (default `leads`). */
  run(task: TaskName, repeats: number, table?: string): Promise<Measured>;
  /** Creates `leads_wide` (every integer column BIGINT, every other number DOUBLE). */
  makeWide(): Promise<number>;
  duckdbMemory(): Promise<number | null>;
  probeEngine(): Promise<EngineProbe>;
  /** The SQL with the compared tiers cached in a column: setup time and the edit's scan. */
  cachedCompare(repeats: number): Promise<{setupMs: number; scan: Measured}>;
}

/** The page's `window.tierlabBench`, around the connector (and the columns file) the page loaded. */
export function benchApi(ready: Promise<{load: PageLoad; conn: WasmConnector; source?: PreviewSource | null}>, inputs: Promise<BenchInputs>): Bench {
  const context = async (table?: string) => {
    const {conn, source} = await ready;
    const columns = await describeColumns(conn, table ?? "leads");
    // (The columns file holds `leads`' rows, not another table's.)
    const windowColumns = source && !table ? (p: Parameters<typeof fileColumns>[1], names: readonly string[]) => fileColumns(source, p, names) : undefined;
    return {conn, inputs: await inputs, columns, table, windowColumns, source: table ? null : source};
  };
  return {
    ready: ready.then((r) => r.load),
    async run(task, repeats, table) {
      return measureTask(task, await context(table), repeats);
    },
    async makeWide() {
      const {conn} = await ready;
      const t0 = performance.now();
      await conn.query(wideTableSql(await describeColumns(conn, "leads")));
      return performance.now() - t0;
    },
    async duckdbMemory() {
      return duckdbMemory((await ready).conn);
    },
    probeEngine,
    async cachedCompare(repeats) {
      // The experiment adds a column to the table, so a view on an attached file is copied first.
      const {conn} = await ready;
      const [{kind}] = await conn.query(`SELECT table_type AS kind FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = 'leads'`);
      if (kind === "VIEW") await conn.query(`CREATE OR REPLACE TABLE leads_cached AS SELECT * FROM leads`);
      const ctx = await context(kind === "VIEW" ? "leads_cached" : undefined);
      const {ms, ids} = await cacheCompareTiers(ctx);
      try {
        return {setupMs: ms, scan: await measureTask("edit-cached-compare", {...ctx, cachedIds: ids}, repeats)};
      } finally {
        await dropCachedTiers(ctx);
      }
    }
  };
}

export {duckdbMemory};
