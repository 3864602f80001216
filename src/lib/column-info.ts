/**
 * What the analysis code knows about a table's columns: a name and a coarse kind. Rule sets and
 * signals are checked against this (a column the data does not have, a string compared with `lt`).
 */
export type ColumnKind = "number" | "string" | "date" | "boolean" | "other";

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** The engine's own type name (e.g. SMALLINT, VARCHAR, DATE). */
  type: string;
}

/** Maps a DuckDB (or BigQuery) type name to a {@link ColumnKind}. */
export function columnKind(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL.*|NUMERIC.*|BIGNUMERIC.*|INT64|FLOAT64|INT\d+)$/.test(t)) return "number";
  if (/^(VARCHAR|TEXT|STRING|CHAR.*|VARCHAR\(.*\))$/.test(t)) return "string";
  if (/^(DATE|TIMESTAMP.*|DATETIME)$/.test(t)) return "date";
  if (/^(BOOLEAN|BOOL)$/.test(t)) return "boolean";
  return "other";
}
