/**
 * The site's data: one tar archive with the leads table in three files, both written from the one
 * validated `leads` table (so from one read of the source, which can never disagree):
 *
 * - `leads.parquet`: ZSTD Parquet with the provenance in its key/value metadata — published for
 *   download and read by the command line;
 * - `leads.duckdb`: a DuckDB database file in the browser engine's storage version, with the
 *   provenance in its metadata table — what the pages load (ATTACH, no decoding);
 * - `leads.arrow`: the columns the tier page's counting loop reads, narrowed, as Arrow IPC
 *   (loaders/leads-arrow.ts) — its first numbers come from it while the engine starts.
 *
 * Pages reference the members (`FileAttachment("data/leads/leads.duckdb")`); Framework extracts
 * them from the archive at build time.
 */
import {mkdir, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Writable} from "node:stream";
import {pipeline} from "node:stream/promises";
import type {Provenance} from "../src/lib/provenance.js";
import {discardTemp, tempPathFor} from "./atomic.js";
import {copyToDuckdbFile} from "./duckdb-file.js";
import {copyToParquet} from "./export.js";
import type {NodeConnector} from "./node-duckdb.js";
import {copyToPreviewColumns} from "./leads-arrow.js";
import {tarStream} from "./tar.js";

/** The members' names; pages load `data/leads/<name>`. */
export const ARCHIVE_MEMBERS = {parquet: "leads.parquet", duckdb: "leads.duckdb", columns: "leads.arrow"} as const;

/** A further member computed from the same read (the site's report: loaders/site-report.ts). */
export interface ArchiveText {
  name: string;
  text: string;
}

/**
 * Writes the files into a temp directory, then streams the archive to `output`. Nothing reaches
 * `output` unless every file was written; the temp directory is removed in every case (on
 * SIGINT/SIGTERM too, through atomic.ts).
 */
export async function writeLeadsArchive(conn: NodeConnector, provenance: Provenance, output: Writable, table = "leads", extra: readonly ArchiveText[] = []): Promise<void> {
  const dir = tempPathFor(join(tmpdir(), "leads-archive"));
  try {
    await mkdir(dir);
    const parquet = join(dir, ARCHIVE_MEMBERS.parquet);
    const duckdb = join(dir, ARCHIVE_MEMBERS.duckdb);
    const columns = join(dir, ARCHIVE_MEMBERS.columns);
    await copyToParquet(conn, parquet, provenance, table);
    await copyToDuckdbFile(conn, duckdb, provenance, table);
    await copyToPreviewColumns(conn, columns, provenance, table);
    for (const e of extra) await writeFile(join(dir, e.name), e.text);
    await pipeline(
      tarStream([
        {name: ARCHIVE_MEMBERS.parquet, path: parquet},
        {name: ARCHIVE_MEMBERS.duckdb, path: duckdb},
        {name: ARCHIVE_MEMBERS.columns, path: columns},
        ...extra.map((e) => ({name: e.name, path: join(dir, e.name)}))
      ]),
      output
    );
  } finally {
    await discardTemp(dir);
  }
}
