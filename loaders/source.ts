/**
 * Choosing and loading the leads source: BigQuery when TIERLAB_BIGQUERY_TABLE is set, a local
 * Parquet/CSV export when TIERLAB_DATA is set, otherwise the embedded synthetic dataset. Every
 * source lands in the same validated `leads` table.
 */
import {writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";
import {Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet} from "parquet-wasm";
import type {Provenance} from "../src/lib/provenance.js";
import {arrowToParquet} from "./arrow-parquet.js";
import {discardTemp, tempPathFor} from "./atomic.js";
import {exportBigQuery, type BigQueryExportOptions} from "./bigquery.js";
import {loadLeadsFile, type LoadedData} from "./load-data.js";
import type {NodeConnector} from "./node-duckdb.js";
import {DEFAULT_ROWS, DEFAULT_SEED, generateLeads} from "./synthetic/generate.js";

export type SourceSpec =
  | {kind: "synthetic"; rows: number; seed: number}
  | {kind: "file"; path: string}
  | {kind: "bigquery"; table: string; query?: string; location?: string};

/** Reads the source from the environment (documented in the README). */
export function sourceFromEnv(env: NodeJS.ProcessEnv = process.env): SourceSpec {
  if (env.TIERLAB_BIGQUERY_TABLE) {
    return {kind: "bigquery", table: env.TIERLAB_BIGQUERY_TABLE, query: env.TIERLAB_BIGQUERY_QUERY || undefined, location: env.TIERLAB_BIGQUERY_LOCATION || undefined};
  }
  if (env.TIERLAB_DATA) return {kind: "file", path: env.TIERLAB_DATA};
  return {kind: "synthetic", rows: positiveInt(env.TIERLAB_ROWS, DEFAULT_ROWS, "TIERLAB_ROWS"), seed: positiveInt(env.TIERLAB_SEED, DEFAULT_SEED, "TIERLAB_SEED")};
}

function positiveInt(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return n;
}

export interface LoadOptions {
  log?: (message: string) => void;
  bigqueryClients?: BigQueryExportOptions["clients"];
}

/** Loads the source into `leads` and describes where it came from. */
export async function loadSource(conn: NodeConnector, spec: SourceSpec, options: LoadOptions = {}): Promise<{provenance: Provenance; data: LoadedData}> {
  const log = options.log ?? (() => {});
  const exportedAt = new Date().toISOString();
  if (spec.kind === "file") {
    log(`reading ${spec.path}`);
    const data = await loadLeadsFile(conn, spec.path);
    return {data, provenance: {kind: "file", source: basename(spec.path), exportedAt, rows: data.rows}};
  }
  if (spec.kind === "synthetic") {
    log(`generating ${spec.rows.toLocaleString("en-US")} synthetic leads (seed ${spec.seed})`);
    const bytes = arrowToParquet(generateLeads({rows: spec.rows, seed: spec.seed}));
    const data = await loadFromTempParquet(conn, bytes);
    return {data, provenance: {kind: "synthetic", source: `synthetic (seed ${spec.seed})`, exportedAt, rows: data.rows, seed: spec.seed}};
  }
  log(`exporting ${spec.table} from BigQuery`);
  const {ipc} = await exportBigQuery({table: spec.table, query: spec.query, location: spec.location, log, clients: options.bigqueryClients});
  const bytes = writeParquet(WasmTable.fromIPCStream(ipc), new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build());
  const data = await loadFromTempParquet(conn, bytes);
  return {data, provenance: {kind: "bigquery", source: spec.table, exportedAt, rows: data.rows, query: spec.query}};
}

async function loadFromTempParquet(conn: NodeConnector, bytes: Uint8Array): Promise<LoadedData> {
  const temp = tempPathFor(join(tmpdir(), "leads.parquet"));
  try {
    await writeFile(temp, bytes);
    return await loadLeadsFile(conn, temp);
  } finally {
    await discardTemp(temp);
  }
}
