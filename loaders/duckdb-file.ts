/**
 * The site's in-browser load format: a DuckDB database file with the table `leads` and a small
 * metadata table holding the provenance. The browser ATTACHes it as is (no decoding), so it is
 * written in the storage format of the browser's engine (DuckDB-WASM 1.32 = DuckDB 1.4), not the
 * newest one native DuckDB could write.
 */
import {rm} from "node:fs/promises";
import {METADATA_TABLE, PROVENANCE_KEY, parseProvenance, type Provenance} from "../src/lib/provenance.js";
import {literal, quoteIdentifier, quoteTable} from "../src/lib/sql.js";
import type {NodeConnector} from "./node-duckdb.js";

/** The newest storage version DuckDB 1.4 (the browser's engine) reads. */
export const BROWSER_STORAGE_VERSION = "v1.4.0";

/** Alias the file is attached under while it is written or read here. */
const ALIAS = "tierlab_file";

/**
 * Writes `table` as a new DuckDB database file at `path` (same rows, same column types, insertion
 * order kept) with the provenance in its metadata table. Not atomic by itself: write to a temp path.
 */
export async function copyToDuckdbFile(conn: NodeConnector, path: string, provenance: Provenance, table = "leads"): Promise<void> {
  await rm(path, {force: true});
  await rm(`${path}.wal`, {force: true});
  const alias = quoteIdentifier(ALIAS);
  await conn.run(`ATTACH ${literal(path)} AS ${alias} (STORAGE_VERSION ${literal(BROWSER_STORAGE_VERSION)})`);
  try {
    await conn.run(`CREATE TABLE ${alias}.leads AS SELECT * FROM ${quoteTable(table)}`);
    await conn.run(`CREATE TABLE ${alias}.${quoteIdentifier(METADATA_TABLE)} (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
    await conn.run(`INSERT INTO ${alias}.${quoteIdentifier(METADATA_TABLE)} VALUES (${literal(PROVENANCE_KEY)}, ${literal(JSON.stringify(provenance))})`);
  } finally {
    // Detaching checkpoints: everything ends up in the one file, no write-ahead log beside it.
    await conn.run(`DETACH ${alias}`);
  }
}

/** Reads the provenance stored in a DuckDB database file written by {@link copyToDuckdbFile} (null when it has none). */
export async function readDuckdbFileProvenance(conn: NodeConnector, path: string): Promise<Provenance | null> {
  const alias = quoteIdentifier(ALIAS);
  await conn.run(`ATTACH ${literal(path)} AS ${alias} (READ_ONLY)`);
  try {
    const tables = await conn.query(`SELECT 1 FROM duckdb_tables() WHERE database_name = ${literal(ALIAS)} AND table_name = ${literal(METADATA_TABLE)}`);
    if (!tables.length) return null;
    const rows = await conn.query(`SELECT value FROM ${alias}.${quoteIdentifier(METADATA_TABLE)} WHERE key = ${literal(PROVENANCE_KEY)}`);
    return rows.length ? parseProvenance(String(rows[0].value)) : null;
  } finally {
    await conn.run(`DETACH ${alias}`);
  }
}
