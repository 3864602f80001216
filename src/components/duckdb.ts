/**
 * DuckDB-WASM in the browser, started once and lazily from files Framework self-hosts (no CDN,
 * no extension downloads). The leads arrive as a DuckDB database file (written at build time by
 * loaders/leads-archive.ts in the storage version this engine reads), which is ATTACHed as is:
 * nothing to decode, and DuckDB never needs its parquet extension.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import {DataType, RecordBatchReader, type Table} from "apache-arrow";
import {QueryError, type Connector, type Row, type Value} from "../lib/connector.js";
import {METADATA_TABLE, PROVENANCE_KEY, parseProvenance, type Provenance} from "../lib/provenance.js";
import {LOCKDOWN_SQL} from "../lib/query/guard.js";
import {literal, quoteIdentifier} from "../lib/sql.js";
import type {ColumnarConnector, ColumnBatch} from "../lib/lead-arrays.js";
import {yieldToPage} from "../lib/yield.js";
import {ColumnCollector} from "./arrowToArrays.js";
import {DUCKDB_WASM, takeWorker} from "./engineWorker.js";

/**
 * The engine stopped: its worker crashed (an uncaught error, a WebAssembly trap, out of memory)
 * or was terminated. Every query on it fails at once with this error (instead of waiting forever
 * for a worker that will never answer); the next {@link startEngine} starts a new one.
 */
export class EngineCrashError extends QueryError {
  constructor(message: string, sql = "") {
    super(message, sql);
    this.name = "EngineCrashError";
  }
}

/** A running DuckDB-WASM instance and its worker. */
export interface Engine {
  db: duckdb.AsyncDuckDB;
  worker: Worker;
  /** Rejects (with the {@link EngineCrashError}) when the engine dies; never resolves. */
  died: Promise<never>;
  /** The crash, once the engine has died. */
  crash: EngineCrashError | null;
  /** When its worker was started and when it could answer queries (performance.now(), ms since the page opened). */
  startedAt: number;
  readyAt: number | null;
  /** Marks the engine dead (idempotent), terminates its worker and tells the listeners. */
  kill(reason: string): EngineCrashError;
  /**
   * Set once the data is attached: external access off, configuration locked (LOCKDOWN_SQL). Such an
   * engine cannot attach a file again, so loading again starts a new one.
   */
  locked: boolean;
  /** Stops a locked engine that a new load replaces: its queries fail at once, no listener is told (nothing crashed). */
  retire(): void;
}

/** Errors after which the WebAssembly instance cannot be trusted (traps, aborts, invalidation). */
const FATAL = /RuntimeError|memory access out of bounds|\bunreachable\b|Aborted\(|database has been invalidated|FATAL Error/i;

/** Longest stretch of main-thread work while turning a large result into typed columns. */
const SLICE_MS = 12;

let current: Promise<Engine> | null = null;
const crashListeners = new Set<(crash: EngineCrashError) => void>();

/** Calls `listener` whenever an engine dies; returns a function that stops listening. */
export function onEngineCrash(listener: (crash: EngineCrashError) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

function createEngine(): Promise<Engine> {
  const spare = takeWorker();
  const worker = spare.worker;
  let reject!: (error: EngineCrashError) => void;
  const died = new Promise<never>((_, r) => (reject = r));
  died.catch(() => {});
  let promise: Promise<Engine> | null = null;
  const engine: Engine = {
    // Created once the worker has answered engineWorker's INSTANTIATE: AsyncDuckDB would take that
    // answer for a stray message.
    db: null as unknown as duckdb.AsyncDuckDB,
    worker,
    died,
    crash: null,
    startedAt: spare.startedAt,
    readyAt: null,
    locked: false,
    retire() {
      if (engine.crash) return;
      engine.crash = new EngineCrashError("the data was loaded again in a new engine; this result is from before");
      if (current === promise) current = null;
      worker.terminate();
      reject(engine.crash);
    },
    kill(reason) {
      if (engine.crash) return engine.crash;
      engine.crash = new EngineCrashError(`the database engine stopped (${reason}); reload the data to continue`);
      if (current === promise) current = null;
      worker.terminate();
      reject(engine.crash);
      for (const listener of crashListeners) listener(engine.crash);
      return engine.crash;
    }
  };
  worker.addEventListener("error", (event) => engine.kill(event.message || "its worker failed"));
  worker.addEventListener("messageerror", () => engine.kill("its worker sent a message that could not be read"));
  promise = (async () => {
    if (spare.error) throw engine.kill(spare.error);
    const instantiated = spare.instantiated ? await Promise.race([spare.instantiated, died]) : false;
    engine.db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    if (!instantiated) await Promise.race([engine.db.instantiate(DUCKDB_WASM), died]);
    await Promise.race([engine.db.open({query: {castBigIntToDouble: true}}), died]);
    engine.readyAt = performance.now();
    return engine;
  })();
  promise.catch(() => {
    if (current === promise) current = null;
  });
  return promise;
}

function currentEngine(): Promise<Engine> {
  current ??= createEngine();
  return current;
}

/** The shared DuckDB-WASM instance (started on first use, and again after a crash). */
export function startEngine(): Promise<duckdb.AsyncDuckDB> {
  return currentEngine().then((engine) => engine.db);
}

/** DuckDB-WASM behind the {@link Connector} interface. Rows are normalized like the Node engine's. */
export class WasmConnector implements ColumnarConnector {
  readonly dialect = "duckdb" as const;
  constructor(
    readonly connection: duckdb.AsyncDuckDBConnection,
    /** The engine the connection belongs to: when given, a crash fails queries at once. */
    readonly engine?: Engine
  ) {}

  async query(sql: string): Promise<Row[]> {
    return arrowToRows(await this.arrow(sql));
  }

  /**
   * A numeric query's columns as typed arrays (the tier preview's input; see src/lib/lead-arrays.ts).
   * The engine's Arrow result is read record batch by record batch (2,048 rows each), yielding to
   * the page every {@link SLICE_MS} ms, so reading millions of rows never blocks the page for long.
   */
  async columns(sql: string): Promise<ColumnBatch> {
    const bytes = await this.guard(sql, (alive) => alive(this.connection.useUnsafe((db, id) => db.runQuery(id, sql))));
    const reader = RecordBatchReader.from(bytes);
    reader.open();
    const collector = new ColumnCollector(reader.schema);
    const batches = reader[Symbol.iterator]();
    let slice = performance.now();
    for (let next = batches.next(); !next.done; next = batches.next()) {
      collector.add(next.value);
      if (performance.now() - slice > SLICE_MS) {
        await yieldToPage();
        slice = performance.now();
      }
    }
    return collector.finish();
  }

  /**
   * An analyst's query (Explore, SQL cells; checked by src/lib/query/guard.ts first): DuckDB-WASM's
   * Arrow table, with `params` bound to the SQL's `?` placeholders by a prepared statement.
   */
  table(sql: string, params: readonly unknown[] = []): Promise<Table> {
    if (!params.length) return this.arrow(sql);
    return this.guard(sql, async (alive) => {
      const statement = await alive(this.connection.prepare(sql));
      try {
        return await alive(statement.query(...params));
      } finally {
        void statement.close().catch(() => {});
      }
    });
  }

  /** Runs a query and returns DuckDB-WASM's Arrow table. */
  private arrow(sql: string): Promise<Table> {
    return this.guard(sql, (alive) => alive(this.connection.query(sql)));
  }

  /**
   * Runs `work`, whose every step on the engine goes through `alive` (which fails at once if the
   * engine dies meanwhile); errors become QueryError or EngineCrashError.
   */
  private async guard<T>(sql: string, work: (alive: <U>(step: Promise<U>) => Promise<U>) => Promise<T>): Promise<T> {
    const engine = this.engine;
    if (engine?.crash) throw new EngineCrashError(engine.crash.message, sql);
    const alive = <U>(step: Promise<U>): Promise<U> => (engine ? Promise.race([step, engine.died]) : step);
    try {
      return await work(alive);
    } catch (error) {
      if (error instanceof EngineCrashError) throw new EngineCrashError(error.message, sql);
      const message = error instanceof Error ? `${error.name === "Error" ? "" : error.name + ": "}${error.message}` : String(error);
      if (engine && FATAL.test(message)) throw new EngineCrashError(engine.kill(message).message, sql);
      throw new QueryError(error instanceof Error ? error.message : String(error), sql, {cause: error});
    }
  }
}

/** Arrow table → plain rows: bigint → number, dates → YYYY-MM-DD, decimals → number. */
export function arrowToRows(table: Table): Row[] {
  const fields = table.schema.fields;
  const columns = fields.map((f) => table.getChild(f.name)!);
  const convert = fields.map((f) => converter(f.type));
  const rows: Row[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; ++i) {
    const row: Row = {};
    for (let j = 0; j < fields.length; ++j) {
      const name = fields[j].name;
      const value = convert[j](columns[j].get(i));
      // A column named __proto__ would otherwise set the row's prototype instead of a field.
      if (name === "__proto__") Object.defineProperty(row, name, {value, enumerable: true, writable: true, configurable: true});
      else row[name] = value;
    }
    rows[i] = row;
  }
  return rows;
}

function converter(type: DataType): (v: unknown) => Value {
  if (DataType.isDate(type)) return (v) => (v === null ? null : new Date(Number(v)).toISOString().slice(0, 10));
  if (DataType.isTimestamp(type)) return (v) => (v === null ? null : new Date(Number(v)).toISOString());
  if (DataType.isDecimal(type)) return (v) => (v === null ? null : Number(String(v)) / 10 ** ((type as unknown as {scale: number}).scale ?? 0));
  return (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === "bigint") return Number(v);
    if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
    return String(v);
  };
}

export interface LoadTimings {
  /** From the call until the engine answered (it starts while the file downloads, or earlier: engineWorker.ts). */
  engineMs: number;
  /** When the engine was started and when it was ready, in ms since the page opened. */
  engineStartedAt?: number;
  engineReadyAt?: number;
  /** From the call until the file's bytes were in. */
  fetchMs: number;
  /** Making the bytes readable: handing the file to the engine and ATTACHing it (the bench's other formats decode here). */
  openMs: number;
  /** Making `leads` queryable: a view on the attached file, nothing copied (the bench's other formats insert here). */
  tableMs: number;
  /** Counting the rows and reading the provenance. */
  metaMs?: number;
  totalMs: number;
}

export interface LoadedLeads {
  conn: WasmConnector;
  provenance: Provenance | null;
  rows: number;
  bytes: number;
  timings: LoadTimings;
}

/** The schema the leads file is attached as. */
export const LEADS_FILE_SCHEMA = "leads_file";
let loads = 0;

/**
 * Loads the leads DuckDB database file (the bytes of `FileAttachment("data/leads/leads.duckdb")`)
 * and returns a connector on which `table` (default `leads`) is its leads table. The engine starts
 * while the bytes download; the file is ATTACHed read-only and `table` is a view on it.
 */
export async function loadLeads(bytes: Promise<ArrayBuffer>, table = "leads"): Promise<LoadedLeads> {
  const t0 = performance.now();
  const enginePromise = currentEngine().then((engine) => ({engine, at: performance.now()}));
  const buffer = await bytes;
  const byteLength = buffer.byteLength; // (the buffer is handed over to the engine's worker below)
  const fetched = performance.now();
  let {engine, at: engineReady} = await enginePromise;
  if (engine.locked) {
    // (Reloading the data on a page: the locked engine could not attach the file again.)
    engine.retire();
    engine = await currentEngine();
    engineReady = performance.now();
  }
  const alive = <T>(step: Promise<T>) => Promise.race([step, engine.died]);
  const connection = await alive(engine.db.connect());
  const conn = new WasmConnector(connection, engine);
  const name = `tierlab-leads-${++loads}.duckdb`;
  const schema = quoteIdentifier(LEADS_FILE_SCHEMA);
  // (Statements share a query where they can: each query is a round trip to the engine's worker.)
  await alive(engine.db.registerFileBuffer(name, new Uint8Array(buffer)));
  await conn.query(`ATTACH ${literal(name)} AS ${schema} (READ_ONLY)`);
  const attached = performance.now();
  // Then nothing outside the loaded data can be reached (no file, URL, ATTACH or extension), and no
  // setting can be changed back: the Explore page and SQL cells run an analyst's SQL, and a link's.
  await conn.query(`CREATE VIEW ${quoteIdentifier(table)} AS SELECT * FROM ${schema}.leads; ${LOCKDOWN_SQL}`);
  engine.locked = true;
  const ready = performance.now();
  const [{n}] = await conn.query(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(table)}`);
  const provenance = await readProvenance(conn);
  return {
    conn,
    provenance,
    rows: Number(n),
    bytes: byteLength,
    timings: {
      engineMs: engineReady - t0,
      engineStartedAt: engine.startedAt,
      engineReadyAt: engine.readyAt ?? engineReady,
      fetchMs: fetched - t0,
      openMs: attached - Math.max(fetched, engineReady),
      tableMs: ready - attached,
      metaMs: performance.now() - ready,
      totalMs: ready - t0
    }
  };
}

/**
 * The provenance row of the attached file's metadata table (null when the file has none). Read
 * directly, a missing table being the answer "none": asking duckdb_tables() first costs 50–130 ms.
 */
async function readProvenance(conn: WasmConnector): Promise<Provenance | null> {
  try {
    const rows = await conn.query(`SELECT value FROM ${quoteIdentifier(LEADS_FILE_SCHEMA)}.${quoteIdentifier(METADATA_TABLE)} WHERE key = ${literal(PROVENANCE_KEY)}`);
    return rows.length ? parseProvenance(String(rows[0].value)) : null;
  } catch (error) {
    if (error instanceof QueryError && !(error instanceof EngineCrashError) && /Catalog Error: Table with name .* does not exist/.test(error.message)) return null;
    throw error;
  }
}
