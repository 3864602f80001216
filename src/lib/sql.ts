/**
 * SQL text helpers: the only places where names and values become SQL. Column names and values
 * from rule sets, URLs or data files reach SQL only through {@link quoteIdentifier} and
 * {@link literal}; nothing else splices user text.
 */
import {isIsoDate} from "./dates.js";

export type Dialect = "duckdb" | "bigquery";

/**
 * A name or value that cannot be written as SQL at all (a NUL character, an empty name, an
 * infinite number). Refused before any SQL exists; shown to the analyst as one message.
 */
export class SqlTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SqlTextError";
  }
}

/** `"ab\u0000c"` → `"ab\\u0000c"`, for messages that name the offending text. */
function shown(text: string): string {
  const json = JSON.stringify(text);
  return json.length > 62 ? json.slice(0, 60) + "…\"" : json;
}

/** Quotes an identifier: `"name"` for DuckDB, `` `name` `` for BigQuery (table paths split on dots). */
export function quoteIdentifier(name: string, dialect: Dialect = "duckdb"): string {
  if (name.length === 0) throw new SqlTextError("a column or table name is empty");
  if (name.includes("\u0000")) throw new SqlTextError(`the name ${shown(name)} contains a NUL character (\\u0000), which SQL cannot express; rename the column`);
  if (dialect === "bigquery") return "`" + name.replace(/\\/g, "\\\\").replace(/`/g, "\\`") + "`";
  return '"' + name.replace(/"/g, '""') + '"';
}

/**
 * Quotes a table reference. For BigQuery a `project.dataset.table` path is quoted as one
 * backtick identifier (BigQuery's documented form); for DuckDB each dot-separated part is quoted.
 */
export function quoteTable(name: string, dialect: Dialect = "duckdb"): string {
  if (dialect === "bigquery") return quoteIdentifier(name, dialect);
  return name
    .split(".")
    .map((part) => quoteIdentifier(part, dialect))
    .join(".");
}

/** A SQL literal for a number, string, boolean or null. Non-finite numbers are rejected. */
export function literal(value: number | string | boolean | null, dialect: Dialect = "duckdb"): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new SqlTextError(`${value} is not a finite number; SQL has no literal for it`);
    // DuckDB reads a plain decimal as a DECIMAL and converts it to DOUBLE by division, which is
    // off by one unit in the last place for some 16–17 digit values; with an exponent it reads a
    // DOUBLE, exactly. So the exponent form for those (and for integers past 2^53, which BigQuery's
    // INT64 literals cannot hold), the plain form everywhere else.
    const text = String(value);
    const digits = text.replace(/e.*$/, "").replace(/[-.]/g, "").replace(/^0+/, "");
    return Number.isSafeInteger(value) || (!text.includes("e") && digits.length <= 15) ? text : value.toExponential();
  }
  if (value.includes("\u0000")) throw new SqlTextError(`the value ${shown(value)} contains a NUL character (\\u0000), which SQL cannot express; remove it`);
  if (dialect === "bigquery") {
    return (
      "'" +
      value
        .replace(/\\/g, "\\\\")
        .replace(/'/g, "\\'")
        .replace(/\n/g, "\\n")
        .replace(/\r/g, "\\r")
        .replace(/\t/g, "\\t") +
      "'"
    );
  }
  return "'" + value.replace(/'/g, "''") + "'";
}

/** A DATE literal from a `YYYY-MM-DD` string (validated). */
export function dateLiteral(iso: string, dialect: Dialect = "duckdb"): string {
  if (!isIsoDate(iso)) {
    throw new Error(`not a date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  }
  return `DATE ${literal(iso, dialect)}`;
}
