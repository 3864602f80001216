/**
 * The one HTML table renderer: a table spec (src/lib/table) and its rows become a `<table>` with
 * the spec's labels and the same words as the Markdown, and a "Download CSV" button that writes
 * csvTable(spec, rows). Text only: data never becomes HTML.
 */
import {html} from "htl";
import type {FormatName} from "../lib/format.js";
import {cellClass, cellText, columnValue, csvTable, shownColumns, type Column, type TableSpec} from "../lib/table/index.js";
import {download} from "./ui.js";

/**
 * Markup some formats add on the page around the same words: the id of a named row on hover, the
 * colour of a gate's outcome, a break after an interval's dash (so wide tables fit their column),
 * the leads that move in the migration matrix.
 */
const MARKUP: Partial<Record<FormatName, (text: string, value: unknown) => Node | string>> = {
  name: (text, value) => html`<span title=${(value as {id: string}).id}>${text}</span>`,
  passFail: (text, value) => html`<span class=${value ? "tl-pass" : "tl-fail"}>${text}</span>`,
  pctInterval: breakAfterDash,
  timesInterval: breakAfterDash,
  moves: (text, value) => (value === 0 ? html`<span class="tl-muted">${text}</span>` : html`<strong>${text}</strong>`)
};

/** Two halves a line may break between, when the column is narrow (style.css); <wbr> would break even under nowrap. */
function breakAfterDash(text: string): Node | string {
  const at = text.indexOf("–");
  return at < 0 ? text : html`<span class="tl-half">${text.slice(0, at + 1)}</span><span class="tl-half">${text.slice(at + 1)}</span>`;
}

function cell<R>(column: Column<R>, row: R, index: number): Node | string {
  const text = cellText(column, row, index);
  const markup = MARKUP[column.format ?? "text"];
  return markup ? markup(text, columnValue(column, row, index)) : text;
}


export interface TableOptions {
  /** The CSV file the "Download CSV" button writes (no button without one). */
  csvName?: string;
  caption?: string;
}

/** An element with a class (and more attributes) and children: text stays text. */
function element(tag: string, className: string, children: readonly (Node | string)[], attributes: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value);
  e.append(...children);
  return e;
}

/** A table from its spec, in a wrapper that scrolls sideways when the table is wider than its column. */
export function dataTable<R>(spec: TableSpec<R>, rows: readonly R[], options: TableOptions = {}): HTMLElement {
  const columns = shownColumns(spec);
  // Rows and cells are made with createElement: a template per cell (htl parses each as HTML) took
  // most of a page's redraw (the backtest page draws about a thousand cells per change).
  const table = html`<table class="tl-table">
    ${options.caption ? html`<caption>${options.caption}</caption>` : ""}
    <thead>${element("tr", "", columns.map((c) => element("th", cellClass(c), [c.label ?? ""], {title: c.title ?? ""})))}</thead>
    <tbody>${rows.map((r, i) => element("tr", spec.rowClass?.(r) ?? "", columns.map((c) => element("td", cellClass(c), [cell(c, r, i)]))))}</tbody>
  </table>`;
  // data-csv names the table by its download (tests find every table of a page by it).
  const wrap = html`<div class="tl-table-block" data-csv=${options.csvName ?? ""}><div class="tl-table-wrap">${table}</div></div>`;
  if (options.csvName) {
    const button = html`<button class="tl-download" type="button">Download CSV</button>`;
    button.onclick = () => download(csvTable(spec, rows), options.csvName!, "text/csv");
    wrap.append(button);
  }
  return wrap;
}
