/** The one Markdown table renderer. */
import {cellText, columnAlign, shownColumns, type TableSpec} from "./spec.js";

/** Escapes a Markdown table cell (pipes, backslashes; newlines become spaces). */
export function mdCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A Markdown table (GitHub style): the spec's labels, numbers right-aligned, one line per row. */
export function markdownTable<R>(spec: TableSpec<R>, rows: readonly R[]): string {
  const columns = shownColumns(spec);
  const line = (cells: string[]) => `| ${cells.map(mdCell).join(" | ")} |`;
  return [
    line(columns.map((c) => c.label!)),
    `|${columns.map((c) => (columnAlign(c) === "right" ? "---:" : "---")).join("|")}|`,
    ...rows.map((row, i) => line(columns.map((c) => cellText(c, row, i))))
  ].join("\n");
}
