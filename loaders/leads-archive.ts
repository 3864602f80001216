/**
 * The site's data: one tar archive with the leads table in two formats, both written from the one
 * validated `leads` table (so from one read of the source, which can never disagree):
 *
 * - `leads.parquet`: ZSTD Parquet with the provenance in its key/value metadata — published for
 *   download and read by the command line;
 * - `leads.duckdb`: a DuckDB database file in the browser engine's storage version, with the
 *   provenance in its metadata table — what the pages load (ATTACH, no decoding).
 *
 * Pages reference the members (`FileAttachment("data/leads/leads.duckdb")`); Framework extracts
 * them from the archive at build time.
 */
import {mkdir} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Writable} from "node:stream";
import {pipeline} from "node:stream/promises";
import type {Provenance} from "../src/lib/provenance.js";
import {discardTemp, tempPathFor} from "./atomic.js";
import {copyToDuckdbFile} from "./duckdb-file.js";
import {copyToParquet} from "./export.js";
import type {NodeConnector} from "./node-duckdb.js";
import {tarStream} from "./tar.js";

/** The members' names; pages load `data/leads/<name>`. */
export const ARCHIVE_MEMBERS = {parquet: "leads.parquet", duckdb: "leads.duckdb"} as const;

/**
 * Writes both files into a temp directory, then streams the archive to `output`. Nothing reaches
 * `output` unless both files were written; the temp directory is removed in every case (on
 * SIGINT/SIGTERM too, through atomic.ts).
 */
export async function writeLeadsArchive(conn: NodeConnector, provenance: Provenance, output: Writable, table = "leads"): Promise<void> {
  const dir = tempPathFor(join(tmpdir(), "leads-archive"));
  try {
    await mkdir(dir);
    const parquet = join(dir, ARCHIVE_MEMBERS.parquet);
    const duckdb = join(dir, ARCHIVE_MEMBERS.duckdb);
    await copyToParquet(conn, parquet, provenance, table);
    await copyToDuckdbFile(conn, duckdb, provenance, table);
    await pipeline(
      tarStream([
        {name: ARCHIVE_MEMBERS.parquet, path: parquet},
        {name: ARCHIVE_MEMBERS.duckdb, path: duckdb}
      ]),
      output
    );
  } finally {
    await discardTemp(dir);
  }
}
