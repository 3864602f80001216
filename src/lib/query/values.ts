/**
 * The values of an analyst's own query (tierlab query, the Explore page, SQL cells), the same from
 * both engines: BIGINT and HUGEINT as numbers when they fit a double exactly, else as decimal text;
 * DATE as `YYYY-MM-DD`, TIMESTAMP as ISO text; lists and structs as JSON arrays and objects; BLOB
 * as `\xNN` text (DuckDB's own spelling).
 */
export type QueryValue = number | string | boolean | null | QueryValue[] | {[key: string]: QueryValue};
export type QueryRow = Record<string, QueryValue>;

export interface QueryColumn {
  name: string;
  /** The engine's type name (BIGINT, DATE, VARCHAR …). */
  type: string;
}

/** An engine value (bigint, Date, bytes, list, struct, Arrow row or vector) as a {@link QueryValue}. */
export function toQueryValue(value: unknown): QueryValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : String(value);
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  if (value instanceof Uint8Array) return [...value].map((b) => `\\x${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  if (Array.isArray(value)) return value.map(toQueryValue);
  const object = value as {toJSON?: () => unknown; [Symbol.iterator]?: unknown};
  // Arrow's list vectors and struct rows (the browser's results) say what they hold through toJSON.
  if (typeof object.toJSON === "function") return toQueryValue(object.toJSON());
  if (typeof object[Symbol.iterator] === "function") return [...(value as Iterable<unknown>)].map(toQueryValue);
  const out: {[key: string]: QueryValue} = {};
  for (const [k, v] of Object.entries(value)) setField(out, k, toQueryValue(v));
  return out;
}

/** `row[name] = value`, also for a column named `__proto__` (which plain assignment would drop). */
export function setField(row: {[key: string]: QueryValue}, name: string, value: QueryValue): void {
  if (name === "__proto__") Object.defineProperty(row, name, {value, enumerable: true, writable: true, configurable: true});
  else row[name] = value;
}

/**
 * Result column names made unique (`SELECT 1 AS a, 2 AS a` gives `a` and `a_2`), so that each is a
 * field of a row object, in both engines alike.
 */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let k = 2; seen.has(unique); ++k) unique = `${name}_${k}`;
    seen.add(unique);
    return unique;
  });
}

/** A value as one line of text for a table cell, Markdown or CSV: lists and structs as JSON. */
export function valueText(value: QueryValue): string | number | boolean | null {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
}

/** Whether a column's values are numbers (right-aligned, charted on a linear scale). */
export function isNumericType(type: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/i.test(type);
}
