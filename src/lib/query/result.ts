/**
 * An analyst's query result as one table spec, so the CLI's Markdown and CSV, the Explore page and
 * the SQL cells show the same header and the same words.
 */
import {csvTable, markdownTable, table, type TableSpec} from "../table/index.js";
import {isNumericType, valueText, type QueryColumn, type QueryRow} from "./values.js";

export interface QueryResult {
  columns: QueryColumn[];
  rows: QueryRow[];
}

/** One column per result column, headed and named in CSV by the column's own name. */
export function queryTableSpec(columns: readonly QueryColumn[]): TableSpec<QueryRow> {
  return table<QueryRow>(
    columns.map((c) => ({
      key: (row: QueryRow) => valueText(row[c.name]),
      label: c.name,
      csv: c.name,
      format: isNumericType(c.type) ? ("number" as const) : ("text" as const),
      title: c.type
    }))
  );
}

export function queryMarkdown(result: QueryResult): string {
  return markdownTable(queryTableSpec(result.columns), result.rows);
}

export function queryCsv(result: QueryResult): string {
  return csvTable(queryTableSpec(result.columns), result.rows);
}

/** JSON: an array of row objects. */
export function queryJson(result: QueryResult): string {
  return JSON.stringify(result.rows, null, 2);
}
