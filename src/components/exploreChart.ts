/**
 * The Explore page's quick chart: Plot's `auto` mark over the result's rows shown, with x, y and
 * colour picked from its columns (y empty: Plot counts). The table of the same rows is the result
 * above it.
 */
import * as Plot from "@observablehq/plot";
import {html} from "htl";
import {isNumericType, valueText} from "../lib/query/values.js";
import type {BrowserResult} from "./sqlEngine.js";

const NONE = "";

function picker(name: string, columns: string[], value: string, allowNone: boolean): HTMLSelectElement {
  const select = html`<select id=${`chart-${name}`} aria-label=${`chart ${name}`}>
    ${allowNone ? html`<option value="">(none)</option>` : ""}
    ${columns.map((c) => html`<option value=${c}>${c}</option>`)}
  </select>` as HTMLSelectElement;
  select.value = value;
  return select;
}

export function quickChart(result: BrowserResult, width: number): HTMLElement {
  const names = result.columns.map((c) => c.name);
  if (!names.length || !result.rows.length) return html`<div class="tl-note" id="quick-chart">No rows to chart.</div>` as HTMLElement;
  const numeric = result.columns.filter((c) => isNumericType(c.type)).map((c) => c.name);
  const x = picker("x", names, names[0], false);
  const y = picker("y", names, numeric.find((n) => n !== names[0]) ?? NONE, true);
  const color = picker("color", names, NONE, true);
  // Plot's auto mark draws dots for categories against a number; bars read better there.
  const categoryX = !numeric.includes(names[0]);
  const mark = picker("mark", ["auto", "bar", "line", "dot", "area", "rule"], categoryX && y.value !== NONE ? "bar" : "auto", false);
  // Lists and structs as their JSON text, so that every value is something Plot can place.
  const rows = result.rows.map((row) => Object.fromEntries(names.map((n) => [n, valueText(row[n])])));
  const area = html`<div id="quick-chart-plot"></div>` as HTMLElement;
  const draw = () => {
    try {
      const options: Record<string, string> = {x: x.value};
      if (y.value !== NONE) options.y = y.value;
      if (color.value !== NONE) options.color = color.value;
      if (mark.value !== "auto") options.mark = mark.value;
      const categories = new Set(rows.map((r) => r[x.value])).size;
      const rotate = !numeric.includes(x.value) && categories > 4;
      const chart = Plot.plot({width, marginLeft: 60, marginBottom: rotate ? 90 : 30, x: rotate ? {tickRotate: -30} : {}, color: {legend: color.value !== NONE}, marks: [Plot.auto(rows, options as Plot.AutoOptions)]});
      area.replaceChildren(chart);
    } catch (error) {
      area.replaceChildren(html`<div class="tl-note">No chart for these columns: ${error instanceof Error ? error.message : String(error)}</div>`);
    }
  };
  for (const select of [x, y, color, mark]) select.onchange = draw;
  draw();
  const shown = result.total > result.rows.length ? ` (the first ${result.rows.length.toLocaleString("en-US")} rows)` : "";
  return html`<div id="quick-chart"><div class="tl-chart-pickers"><label>x ${x}</label> <label>y ${y}</label> <label>colour ${color}</label> <label>mark ${mark}</label> <span class="tl-note">Plot's auto mark${shown}</span></div>${area}</div>` as HTMLElement;
}
