/**
 * The one seam between analysis code and a database. The browser passes a DuckDB-WASM connector,
 * the CLI and tests pass a native DuckDB connector; everything in src/lib/ talks only to this.
 *
 * Rows come back as plain objects with JavaScript values: numbers (never bigint), strings,
 * booleans, null, and dates as ISO `YYYY-MM-DD` strings, so both engines yield identical rows.
 */
export type Value = number | string | boolean | null;
export type Row = Record<string, Value>;

export interface Connector {
  /** Runs one SQL statement and returns its rows. Throws a {@link QueryError} on failure. */
  query(sql: string): Promise<Row[]>;
  /** Which SQL dialect the connector speaks (used by the compiler). */
  readonly dialect: "duckdb" | "bigquery";
}

/** A failed query: carries the SQL so the message can show exactly what was run. */
export class QueryError extends Error {
  readonly sql: string;
  constructor(message: string, sql: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = "QueryError";
    this.sql = sql;
  }
}

/** Converts an engine value (bigint, Date, Decimal-like) to a plain {@link Value}. */
export function normalizeValue(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  return String(value);
}

/** Formats a Date as `YYYY-MM-DD` in UTC (DuckDB DATE values are UTC midnights). */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Runs a query expected to return exactly one row. */
export async function queryOne(conn: Connector, sql: string): Promise<Row> {
  const rows = await conn.query(sql);
  if (rows.length !== 1) throw new QueryError(`expected one row, got ${rows.length}`, sql);
  return rows[0];
}
