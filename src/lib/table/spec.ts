/**
 * A table declared once, as column specs: the page, the Markdown and the CSV are rendered from the
 * same spec, so their headers and words cannot drift apart.
 */
import {FORMATS, formatValue, type FormatName} from "../format.js";

/** Reads a value from a row (its index in the rows is passed for ranks). */
export type Accessor<R> = (row: R, index: number) => unknown;

/** One CSV field of a column: its name and its raw value (the column's own value when omitted). */
export interface CsvField<R> {
  name: string;
  value?: (keyof R & string) | Accessor<R>;
}

interface ColumnBase<R> {
  /**
   * The header on the page and in Markdown. A column without one is written to CSV only (raw
   * fields a spreadsheet wants that nobody reads on screen, such as a p-value before correction).
   */
  label?: string;
  /** The named format of the value (see FORMATS); "text" when omitted. */
  format?: FormatName;
  /** What the header means; the page shows it on hover. */
  title?: string;
}

export type Column<R> = ColumnBase<R> &
  (
    | {
        /** A property of the row. */
        key: keyof R & string;
        /** CSV name(s): one name, several fields, or false for none. Default: the key in snake_case. */
        csv?: string | readonly CsvField<R>[] | false;
      }
    | {
        /** A value computed from the row. */
        key: Accessor<R>;
        /** CSV name(s): one name, several fields, or false for none (required: there is no key to name it). */
        csv: string | readonly CsvField<R>[] | false;
      }
  );

export interface TableSpec<R> {
  columns: readonly Column<R>[];
  /** Classes of a row on the page ("fallback", "flag"). */
  rowClass?: (row: R) => string;
}

/** Declares a spec (only for type inference of R at the call site). */
export function table<R>(columns: readonly Column<R>[], options: {rowClass?: (row: R) => string} = {}): TableSpec<R> {
  return {columns, ...options};
}

const read = <R>(key: (keyof R & string) | Accessor<R>, row: R, index: number): unknown =>
  typeof key === "function" ? key(row, index) : (row as Record<string, unknown>)[key];

/** The value of a column for a row. */
export function columnValue<R>(column: Column<R>, row: R, index: number): unknown {
  return read(column.key, row, index);
}

/** The columns shown on the page and in Markdown (those with a label). */
export function shownColumns<R>(spec: TableSpec<R>): Column<R>[] {
  return spec.columns.filter((c) => c.label !== undefined);
}

/** The header labels, as the page and the Markdown show them. */
export function headerLabels<R>(spec: TableSpec<R>): string[] {
  return shownColumns(spec).map((c) => c.label!);
}

/** Where a column's cells sit: numbers right, words left. */
export function columnAlign<R>(column: Column<R>): "left" | "right" {
  return FORMATS[column.format ?? "text"].align;
}

/** A cell's text (the same on the page and in Markdown). */
export function cellText<R>(column: Column<R>, row: R, index: number): string {
  return formatValue(column.format ?? "text", columnValue(column, row, index));
}

/** "liftVsFallback" → "lift_vs_fallback". */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A column's CSV fields (none for `csv: false`). */
export function csvFields<R>(column: Column<R>): {name: string; value: (row: R, index: number) => unknown}[] {
  const csv = column.csv;
  if (csv === false) return [];
  const own = (row: R, index: number) => columnValue(column, row, index);
  if (csv === undefined) {
    if (typeof column.key !== "string") throw new Error(`column "${column.label}": a computed column needs its CSV name(s)`);
    return [{name: snakeCase(column.key), value: own}];
  }
  if (typeof csv === "string") return [{name: csv, value: own}];
  return csv.map((f) => ({name: f.name, value: f.value === undefined ? own : (row: R, index: number) => read(f.value!, row, index)}));
}

/** The CSV header names, in order. */
export function csvHeader<R>(spec: TableSpec<R>): string[] {
  return spec.columns.flatMap((c) => csvFields(c).map((f) => f.name));
}

/** CSV fields for a Wilson interval: its low and high ends as two numbers. */
export function intervalCsv<R>(get: (row: R) => readonly [number, number] | null | undefined, prefix = "ci"): CsvField<R>[] {
  return [
    {name: `${prefix}_low`, value: (r) => get(r)?.[0] ?? null},
    {name: `${prefix}_high`, value: (r) => get(r)?.[1] ?? null}
  ];
}
