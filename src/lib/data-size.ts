/**
 * Whether the leads file a page loads (the site's DuckDB database file, data/leads/leads.duckdb) is
 * small enough to open in the browser. DuckDB-WASM lives in a 32-bit WebAssembly memory (4 GB at
 * most) that must hold the whole file (it is attached from memory) beside the blocks a query reads
 * and the query's own state, and the tier page copies the columns its rules read into the page's
 * memory. Past the limits below a tab risks running out of memory; the page asks first.
 */

export interface SizeLimits {
  /** Largest file opened without asking. */
  maxBytes: number;
  /** Largest (estimated) number of leads opened without asking. */
  maxRows: number;
  /** File bytes per lead used to estimate rows from a file size. */
  bytesPerRow: number;
}

/**
 * 300 MB of DuckDB file or about 8 million leads, whichever comes first. 18 bytes a lead is what the
 * contract's columns take in the DuckDB file (the synthetic data: 18.6 at 1 million rows, 17.9 at
 * 5 million), so for such files the row limit applies first (at about 137 MB); wider exports reach
 * the byte limit.
 */
export const BROWSER_LIMITS: SizeLimits = {maxBytes: 300 * 1024 * 1024, maxRows: 8_000_000, bytesPerRow: 18};

export interface SizeAssessment {
  /** True when the page should load without asking (also when the size is unknown). */
  ok: boolean;
  bytes: number | null;
  estimatedRows: number | null;
  /** Why it is too large, in words (only when not ok). */
  reason?: string;
}

/** A byte count from a `Content-Length` header or a file's size: null when missing or not a count. */
export function parseByteCount(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** 314572800 → "300 MB"; 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    ++unit;
  }
  return unit === 0 ? `${bytes} bytes` : `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** 8000000 → "8 million"; 412345 → "412,345". */
function leads(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1).replace(/\.0$/, "")} million` : Math.round(n).toLocaleString("en-US");
}

/** Decides whether a file of `bytes` can be opened in the browser without asking. */
export function assessDataSize(bytes: number | null | undefined, limits: SizeLimits = BROWSER_LIMITS): SizeAssessment {
  const size = parseByteCount(bytes);
  if (size === null) return {ok: true, bytes: null, estimatedRows: null};
  const estimatedRows = Math.round(size / limits.bytesPerRow);
  if (size > limits.maxBytes) {
    return {ok: false, bytes: size, estimatedRows, reason: `the file is ${formatBytes(size)}, above the browser limit of ${formatBytes(limits.maxBytes)}`};
  }
  if (estimatedRows > limits.maxRows) {
    return {ok: false, bytes: size, estimatedRows, reason: `at ${formatBytes(size)} it holds about ${leads(estimatedRows)} leads, above the browser limit of ${leads(limits.maxRows)}`};
  }
  return {ok: true, bytes: size, estimatedRows};
}

/** The command lines that handle a dataset of any size (shown when the browser cannot). */
export const LARGE_DATA_COMMANDS = [
  "npx tierlab report --data leads.parquet --rules v3.2 --format md",
  "npx tierlab report --engine bigquery --bigquery project.dataset.table --rules v3.2 --format md"
] as const;

/** What the page says instead of loading a file that is too large. */
export function tooLargeMessage(assessment: SizeAssessment): string {
  return (
    `This dataset is too large to open in the browser: ${assessment.reason}. Loading it would most likely run ` +
    `out of memory and crash the tab. Run the analysis with the command line instead (native DuckDB, no such limit), ` +
    `or keep the data in BigQuery with \`--engine bigquery\` (the same SQL runs there and only the aggregates come back).`
  );
}
