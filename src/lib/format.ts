/** Number formatting shared by pages, Markdown and CSV output (en-US, fixed digits). */

/** 0.1592 → "15.92%"; null → "–". */
export function pct(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : `${(value * 100).toFixed(digits)}%`;
}

/** [0.113, 0.213] → "11.30–21.30%"; null → "–". */
export function pctInterval(ci: readonly [number, number] | null | undefined, digits = 2): string {
  return ci ? `${(ci[0] * 100).toFixed(digits)}–${(ci[1] * 100).toFixed(digits)}%` : "–";
}

/** 4.634 → "4.63×"; null → "–". */
export function times(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : `${value.toFixed(digits)}×`;
}

/** p-values: three decimals, "< 0.001" below that; null → "–". */
export function pValue(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : value < 0.001 ? "< 0.001" : value.toFixed(3);
}

/** 39448 → "39,448". */
export function int(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : Math.round(value).toLocaleString("en-US");
}

/** Escapes a Markdown table cell. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A Markdown table from a header and rows of cells. */
export function mdTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(mdCell).join(" | ")} |`;
  return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

/**
 * One RFC 4180 CSV field. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab
 * or CR first, and not a number) gets a leading apostrophe, so data cannot inject formulas.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = Array.isArray(value) ? value.join(";") : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !Number.isFinite(Number(text))) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV from objects (columns in the order given). */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  return [columns.map(csvField).join(","), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(","))].join("\r\n") + "\r\n";
}
