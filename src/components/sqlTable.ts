/**
 * An analyst's query result on a page (Explore, SQL cells): how many rows and how long, the table
 * (src/components/table.ts, from the spec `tierlab query --format md` prints), sortable by a click
 * on a column's header, the first 10,000 rows shown, and "Download CSV" with all of them (up to
 * CSV_ROWS, which it says). Text only: data never becomes HTML.
 */
import {html} from "htl";
import {int} from "../lib/format.js";
import {queryTableSpec} from "../lib/query/result.js";
import type {QueryRow, QueryValue} from "../lib/query/values.js";
import {CSV_ROWS, SHOWN_ROWS, type BrowserResult} from "./sqlEngine.js";
import {dataTable} from "./table.js";
import {download} from "./ui.js";

/** null last; numbers as numbers; everything else as text. */
function compare(a: QueryValue, b: QueryValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const [x, y] = [typeof a === "object" ? JSON.stringify(a) : String(a), typeof b === "object" ? JSON.stringify(b) : String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The result's summary line: rows and time, and what is shown when not everything is. */
export function resultSummary(result: BrowserResult): string {
  const rows = `${int(result.total)} row${result.total === 1 ? "" : "s"} in ${result.ms < 10 ? result.ms.toFixed(1) : Math.round(result.ms)} ms`;
  if (result.total <= SHOWN_ROWS) return rows;
  const csv = result.total > CSV_ROWS ? `the CSV has the first ${int(CSV_ROWS)}` : "the CSV has them all";
  return `${rows} · showing the first ${int(SHOWN_ROWS)} (${csv})`;
}

/** The result as a block: summary, sortable table, Download CSV (named `csvName`). */
export function sqlTable(result: BrowserResult, options: {csvName?: string; id?: string} = {}): HTMLElement {
  const spec = queryTableSpec(result.columns);
  const csvName = options.csvName ?? "query.csv";
  let rows: QueryRow[] = result.rows;
  let sorted: {column: string; descending: boolean} | null = null;
  const holder = html`<div></div>` as HTMLElement;
  const render = () => {
    const block = dataTable(spec, rows);
    block.dataset.csv = csvName;
    block.querySelectorAll("th").forEach((th, k) => {
      const column = result.columns[k].name;
      th.classList.add("tl-sortable");
      th.tabIndex = 0;
      th.setAttribute("aria-sort", sorted?.column === column ? (sorted.descending ? "descending" : "ascending") : "none");
      const sort = () => {
        const descending = sorted?.column === column ? !sorted.descending : false;
        sorted = {column, descending};
        rows = [...result.rows].sort((a, b) => (descending ? -1 : 1) * compare(a[column], b[column]));
        render();
      };
      th.onclick = sort;
      th.onkeydown = (event) => {
        if (event.key === "Enter" || event.key === " ") (event.preventDefault(), sort());
      };
    });
    const button = html`<button class="tl-download" type="button">Download CSV</button>` as HTMLButtonElement;
    button.onclick = () => download(result.csv(), csvName, "text/csv");
    block.append(button);
    holder.replaceChildren(block);
  };
  render();
  const sortNote = result.total > SHOWN_ROWS ? " Sorting by a header sorts the rows shown; ORDER BY sorts them all." : "";
  return html`<div class="tl-sql-result" id=${options.id ?? ""}>
    <div class="tl-note tl-sql-summary">${resultSummary(result)}.${sortNote}</div>
    ${holder}
  </div>` as HTMLElement;
}
