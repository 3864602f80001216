/**
 * SQL text helpers: the only places where names and values become SQL. Column names and values
 * from rule sets, URLs or data files reach SQL only through {@link quoteIdentifier} and
 * {@link literal}; nothing else splices user text.
 */
export type Dialect = "duckdb" | "bigquery";

/** Quotes an identifier: `"name"` for DuckDB, `` `name` `` for BigQuery (table paths split on dots). */
export function quoteIdentifier(name: string, dialect: Dialect = "duckdb"): string {
  if (name.length === 0) throw new Error("empty identifier");
  if (name.includes("\u0000")) throw new Error("identifier contains a NUL character");
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
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    const text = String(value);
    return text;
  }
  if (value.includes("\u0000")) throw new Error("string contains a NUL character");
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
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(Date.parse(iso + "T00:00:00Z"))) {
    throw new Error(`not a date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  }
  return `DATE ${literal(iso, dialect)}`;
}
