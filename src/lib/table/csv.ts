/** The one CSV writer (RFC 4180): raw values under the names the table spec gives. */
import {csvFields, csvHeader, type TableSpec} from "./spec.js";

/**
 * One RFC 4180 CSV field. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab
 * or CR first, and not a number) gets a leading apostrophe, so data cannot inject formulas.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object" && !Array.isArray(value)) throw new TypeError(`a CSV field must be a number, text, boolean or list, got ${JSON.stringify(value)}`);
  let text = Array.isArray(value) ? value.join(";") : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !Number.isFinite(Number(text))) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A table as CSV: the header from the spec, one line per row, CRLF line ends, empty for null. */
export function csvTable<R>(spec: TableSpec<R>, rows: readonly R[]): string {
  const fields = spec.columns.flatMap((c) => csvFields(c));
  const lines = [csvHeader(spec).map(csvField).join(","), ...rows.map((row, i) => fields.map((f) => csvField(f.value(row, i))).join(","))];
  return lines.join("\r\n") + "\r\n";
}
