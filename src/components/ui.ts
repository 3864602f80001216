/** Small DOM helpers shared by the pages: tables with CSV download, KPI cards, error boxes. */
import {html} from "htl";
import {toCsv} from "../lib/format.js";

export interface Column<T> {
  key: string;
  label: string;
  /** Cell text (default: String(value)). */
  format?: (row: T) => string | Node;
  /** Value written to CSV (default: the raw field). */
  csv?: (row: T) => unknown;
  align?: "left" | "right";
  title?: string;
}

/** An HTML table (text only, never HTML from data) with a "Download CSV" button. */
export function dataTable<T extends object>(rows: T[], columns: Column<T>[], options: {csvName?: string; caption?: string; rowClass?: (row: T) => string} = {}): HTMLElement {
  const table = html`<table class="tl-table">
    ${options.caption ? html`<caption>${options.caption}</caption>` : ""}
    <thead><tr>${columns.map((c) => html`<th class=${c.align === "left" ? "" : "num"} title=${c.title ?? ""}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr class=${options.rowClass?.(r) ?? ""}>${columns.map((c) => {
        const v = c.format ? c.format(r) : String((r as Record<string, unknown>)[c.key] ?? "–");
        return html`<td class=${c.align === "left" ? "" : "num"}>${v}</td>`;
      })}</tr>`
    )}</tbody>
  </table>`;
  const wrap = html`<div class="tl-table-wrap">${table}</div>`;
  if (options.csvName) {
    const button = html`<button class="tl-download" type="button">Download CSV</button>`;
    button.onclick = () => {
      const csvRows = rows.map((r) => Object.fromEntries(columns.map((c) => [c.label, c.csv ? c.csv(r) : (r as Record<string, unknown>)[c.key]])));
      download(toCsv(columns.map((c) => c.label), csvRows), options.csvName!, "text/csv");
    };
    wrap.append(button);
  }
  return wrap;
}

/** Saves text as a file in the browser. */
export function download(text: string, filename: string, type = "text/plain"): void {
  const url = URL.createObjectURL(new Blob([text], {type: `${type};charset=utf-8`}));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A KPI card: a big number, a label and a note (e.g. n or the interval). */
export function kpi(label: string, value: string, note = ""): HTMLElement {
  return html`<div class="card tl-kpi"><h2>${label}</h2><span class="big">${value}</span><div class="tl-note">${note}</div></div>`;
}

/** A visible error: the message, and the SQL when there is one. */
export function errorBox(error: unknown, title = "Something went wrong"): HTMLElement {
  const e = error as {message?: string; sql?: string; issues?: string[]};
  return html`<div class="tl-error" role="alert"><strong>${title}</strong>
    <div>${String(e?.message ?? error)}</div>
    ${e?.issues?.length ? html`<ul>${e.issues.map((i) => html`<li>${i}</li>`)}</ul>` : ""}
    ${e?.sql ? html`<details><summary>SQL</summary><pre>${e.sql}</pre></details>` : ""}
  </div>`;
}
