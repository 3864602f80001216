/**
 * Where a dataset came from. Travels inside the Parquet file's key/value metadata, and inside the
 * site's DuckDB database file as a row of its metadata table.
 */
export interface Provenance {
  kind: "synthetic" | "file" | "bigquery";
  /** A table path, a file name, or "synthetic (seed 42)". */
  source: string;
  /** ISO timestamp of the export. */
  exportedAt: string;
  rows: number;
  seed?: number;
  query?: string;
}

export const PROVENANCE_KEY = "tierlab.provenance";

/** The DuckDB database file's metadata table: `(key VARCHAR, value VARCHAR)`, provenance under {@link PROVENANCE_KEY}. */
export const METADATA_TABLE = "tierlab_metadata";

/** Reads provenance from a metadata value, or null when absent or unreadable. */
export function parseProvenance(value: string | null | undefined): Provenance | null {
  if (!value) return null;
  try {
    const p = JSON.parse(value);
    return p && typeof p === "object" && typeof p.kind === "string" && typeof p.source === "string" ? (p as Provenance) : null;
  } catch {
    return null;
  }
}

/** "Synthetic data (seed 42), 39,448 rows, exported 2026-11-23 17:40 UTC". */
export function describeProvenance(p: Provenance | null): string {
  if (!p) return "Unknown source (the data file carries no provenance)";
  const what = p.kind === "synthetic" ? "Synthetic data" : p.kind === "bigquery" ? `BigQuery ${p.source}` : `File ${p.source}`;
  const seed = p.kind === "synthetic" && p.seed !== undefined ? ` (seed ${p.seed})` : "";
  const when = p.exportedAt ? `, exported ${p.exportedAt.slice(0, 16).replace("T", " ")} UTC` : "";
  return `${what}${seed}, ${p.rows.toLocaleString("en-US")} rows${when}`;
}
