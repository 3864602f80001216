/**
 * A table spec rendered as an HTML string, for the report that is built ahead of time (the site's
 * report page, `tierlab report --format html` and its PDF): the same labels, words, classes and
 * markup as src/components/table.ts gives on a live page, without a DOM. Every text is escaped:
 * data never becomes markup.
 */
import type {FormatName} from "../format.js";
import {cellText, columnAlign, columnValue, shownColumns, type Column, type TableSpec} from "./spec.js";

/** Text (or an attribute value) safe inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]!);
}

/** The markup src/components/table.ts adds around the same words (see MARKUP there). */
const MARKUP: Partial<Record<FormatName, (text: string, value: unknown) => string>> = {
  name: (text, value) => `<span title="${escapeHtml((value as {id: string}).id)}">${escapeHtml(text)}</span>`,
  passFail: (text, value) => `<span class="${value ? "tl-pass" : "tl-fail"}">${escapeHtml(text)}</span>`,
  pctInterval: breakAfterDash,
  timesInterval: breakAfterDash,
  moves: (text, value) => (value === 0 ? `<span class="tl-muted">${escapeHtml(text)}</span>` : `<strong>${escapeHtml(text)}</strong>`)
};

function breakAfterDash(text: string): string {
  const at = text.indexOf("–");
  return at < 0 ? escapeHtml(text) : `<span class="tl-half">${escapeHtml(text.slice(0, at + 1))}</span><span class="tl-half">${escapeHtml(text.slice(at + 1))}</span>`;
}

/** The cell classes of src/components/table.ts: numbers right, intervals may break, outcomes on one line. */
export function cellClass<R>(column: Column<R>): string {
  return [columnAlign(column) === "right" ? "num" : "", column.format === "pctInterval" || column.format === "timesInterval" ? "interval" : "", column.format === "passFail" ? "nowrap" : ""].filter(Boolean).join(" ");
}

function cell<R>(column: Column<R>, row: R, index: number): string {
  const text = cellText(column, row, index);
  const markup = MARKUP[column.format ?? "text"];
  return markup ? markup(text, columnValue(column, row, index)) : escapeHtml(text);
}

export interface HtmlTableOptions {
  /** The CSV file the table's download writes (data-csv: the page adds its button, tests find tables by it). */
  csvName?: string;
  caption?: string;
}

const attr = (name: string, value: string) => (value ? ` ${name}="${escapeHtml(value)}"` : "");

/** A table from its spec, in the wrapper src/components/table.ts uses, as HTML text. */
export function htmlTable<R>(spec: TableSpec<R>, rows: readonly R[], options: HtmlTableOptions = {}): string {
  const columns = shownColumns(spec);
  const head = columns.map((c) => `<th${attr("class", cellClass(c))}${attr("title", c.title ?? "")}>${escapeHtml(c.label!)}</th>`).join("");
  const body = rows.map((r, i) => `<tr${attr("class", spec.rowClass?.(r) ?? "")}>${columns.map((c) => `<td${attr("class", cellClass(c))}>${cell(c, r, i)}</td>`).join("")}</tr>`).join("\n");
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  return `<div class="tl-table-block" data-csv="${escapeHtml(options.csvName ?? "")}"><div class="tl-table-wrap"><table class="tl-table">${caption}<thead><tr>${head}</tr></thead>\n<tbody>${body}</tbody></table></div></div>`;
}
