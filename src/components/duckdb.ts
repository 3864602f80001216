/**
 * DuckDB-WASM in the browser, started once and lazily from files Framework self-hosts (no CDN,
 * no extension downloads). Parquet is decoded with parquet-wasm and inserted as Arrow, so DuckDB
 * never needs its parquet extension.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import initParquet, {readParquet} from "parquet-wasm/esm";
import {DataType, type Table} from "apache-arrow";
import {QueryError, type Connector, type Row, type Value} from "../lib/connector.js";
import {PROVENANCE_KEY, parseProvenance, type Provenance} from "../lib/provenance.js";

const DUCKDB_WASM = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");
const DUCKDB_WORKER = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js");
const PARQUET_WASM = import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm");

let engine: Promise<duckdb.AsyncDuckDB> | null = null;
let parquetReady: Promise<unknown> | null = null;

/** The shared DuckDB-WASM instance (started on first use). */
export function startEngine(): Promise<duckdb.AsyncDuckDB> {
  engine ??= (async () => {
    const worker = new Worker(DUCKDB_WORKER, {type: "module"});
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(DUCKDB_WASM);
    await db.open({query: {castBigIntToDouble: true}});
    return db;
  })();
  engine.catch(() => (engine = null));
  return engine;
}

/** DuckDB-WASM behind the {@link Connector} interface. Rows are normalized like the Node engine's. */
export class WasmConnector implements Connector {
  readonly dialect = "duckdb" as const;
  constructor(readonly connection: duckdb.AsyncDuckDBConnection) {}

  async query(sql: string): Promise<Row[]> {
    let table: Table;
    try {
      table = await this.connection.query(sql);
    } catch (error) {
      throw new QueryError(error instanceof Error ? error.message : String(error), sql, {cause: error});
    }
    return arrowToRows(table);
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
    for (let j = 0; j < fields.length; ++j) row[fields[j].name] = convert[j](columns[j].get(i));
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
  engineMs: number;
  fetchMs: number;
  decodeMs: number;
  insertMs: number;
  totalMs: number;
}

export interface LoadedLeads {
  conn: WasmConnector;
  provenance: Provenance | null;
  rows: number;
  bytes: number;
  timings: LoadTimings;
}

/**
 * Loads Parquet bytes (e.g. `FileAttachment("data/leads.parquet").arrayBuffer()`) into the table
 * `leads` and returns a connector. The engine starts while the bytes download.
 */
export async function loadLeads(bytes: Promise<ArrayBuffer>, table = "leads"): Promise<LoadedLeads> {
  const t0 = performance.now();
  const enginePromise = startEngine().then((db) => ({db, at: performance.now()}));
  parquetReady ??= initParquet({module_or_path: PARQUET_WASM});
  const buffer = await bytes;
  const fetched = performance.now();
  await parquetReady;
  const wasmTable = readParquet(new Uint8Array(buffer));
  const provenance = parseProvenance(wasmTable.schema.metadata().get(PROVENANCE_KEY));
  const ipc = wasmTable.intoIPCStream();
  const decoded = performance.now();
  const {db, at: engineReady} = await enginePromise;
  const connection = await db.connect();
  await connection.query(`DROP TABLE IF EXISTS "${table.replace(/"/g, '""')}"`);
  await connection.insertArrowFromIPCStream(ipc, {name: table, create: true});
  const inserted = performance.now();
  const conn = new WasmConnector(connection);
  const [{n}] = await conn.query(`SELECT COUNT(*) AS n FROM "${table.replace(/"/g, '""')}"`);
  return {
    conn,
    provenance,
    rows: Number(n),
    bytes: buffer.byteLength,
    timings: {engineMs: engineReady - t0, fetchMs: fetched - t0, decodeMs: decoded - fetched, insertMs: inserted - Math.max(decoded, engineReady), totalMs: inserted - t0}
  };
}
