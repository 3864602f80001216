import {PROVENANCE_KEY, parseProvenance, type Provenance} from "../src/lib/provenance.js";
import {literal, quoteTable} from "../src/lib/sql.js";
import {writeAtomically} from "./atomic.js";
import type {NodeConnector} from "./node-duckdb.js";

/** Writes a COPY of `table` as ZSTD Parquet with provenance metadata to `path`. Not atomic by itself. */
export async function copyToParquet(conn: NodeConnector, path: string, provenance: Provenance, table = "leads"): Promise<void> {
  const meta = `KV_METADATA {${literal(PROVENANCE_KEY)}: ${literal(JSON.stringify(provenance))}}`;
  await conn.run(`COPY ${quoteTable(table)} TO ${literal(path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880, ${meta})`);
}

/** Writes the leads table to `target` atomically (temp file + rename). */
export async function writeLeadsParquet(conn: NodeConnector, target: string, provenance: Provenance, table = "leads"): Promise<void> {
  await writeAtomically(target, (temp) => copyToParquet(conn, temp, provenance, table));
}

/** Reads the provenance stored in a Parquet file written by tierlab (null for other files). */
export async function readProvenance(conn: NodeConnector, path: string): Promise<Provenance | null> {
  const rows = await conn.query(
    `SELECT decode(value) AS value FROM parquet_kv_metadata(${literal(path)}) WHERE decode(key) = ${literal(PROVENANCE_KEY)}`
  );
  return rows.length ? parseProvenance(String(rows[0].value)) : null;
}
