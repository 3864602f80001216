// An oracle for the pages that shares nothing with them: counts from the test's own SQL on the
// published Parquet file (a second DuckDB, native), Wilson intervals from the closed form, and
// numbers written out with Intl.NumberFormat (decimal rounding) instead of src/lib/format.ts (which
// uses toFixed), so a formatter bug on a page shows as a difference.
import {NodeConnector} from "../../loaders/node-duckdb.js";

/** Rows of `sql`, where `leads` is the published Parquet file `file`. */
export async function queryParquet(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const conn = await NodeConnector.open({threads: 1});
  try {
    await conn.run(`CREATE VIEW leads AS SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`);
    return (await conn.query(sql)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
  } finally {
    conn.close();
  }
}

const fixed = (digits: number) => new Intl.NumberFormat("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false});

/** 39448 → "39,448". */
export const count = (n: unknown): string => new Intl.NumberFormat("en-US", {maximumFractionDigits: 0}).format(Number(n));
/** 0.0379 → "3.79%"; no labeled lead → "–". */
export const percent = (x: number | null, digits = 2): string =>
  x === null ? "–" : new Intl.NumberFormat("en-US", {style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits}).format(x);
/** [0.1, 0.2] → "10.00–20.00%". */
export const interval = (ci: [number, number] | null): string => (ci === null ? "–" : `${fixed(2).format(ci[0] * 100)}–${fixed(2).format(ci[1] * 100)}%`);
/** 4.634 → "4.63×". */
export const lift = (x: number | null, digits = 2): string => (x === null ? "–" : `${fixed(digits).format(x)}×`);

/** The Wilson 95% interval of x conversions in n labeled leads, from its closed form (null for n = 0). */
export function wilson95(x: number, n: number): [number, number] | null {
  if (n === 0) return null;
  const z = 1.959963984540054;
  const p = x / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Rate of conversions over labeled leads, null when none is labeled. */
export const rateOf = (conversions: unknown, labeled: unknown): number | null => (Number(labeled) ? Number(conversions) / Number(labeled) : null);
