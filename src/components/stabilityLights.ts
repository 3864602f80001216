/** The PSI/CSI lights of a backtest: one cell per period and row (the tier mix, then each band column), coloured by its light. */
import * as Plot from "@observablehq/plot";
import {formatValue} from "../lib/format.js";
import type {Backtest} from "../lib/backtest/backtest.js";
import {stabilityLight, type Light} from "../lib/backtest/stability.js";

const COLORS: Record<Light | "none", string> = {stable: "#16a34a", watch: "#f59e0b", shifted: "#dc2626", none: "#9ca3af"};
const TIER_MIX = "tier mix (PSI)";

/** A grid of lights: periods across, the tier mix's PSI and each band column's CSI down, the value in every cell. */
export function stabilityLights(bt: Pick<Backtest, "results" | "csiColumns">, {width}: {width: number}): SVGSVGElement | HTMLElement {
  const rows = [TIER_MIX, ...bt.csiColumns.map((c) => `${c.label} (CSI)`)];
  type Cell = {period: string; row: string; value: number | null; light: Light | null};
  const cells: Cell[] = bt.results.flatMap((r) => [
    {period: r.name, row: TIER_MIX, value: r.psi},
    ...bt.csiColumns.map((c) => ({period: r.name, row: `${c.label} (CSI)`, value: r.csi[c.column] ?? null}))
  ]).map((d) => ({...d, light: stabilityLight(d.value)}));
  return Plot.plot({
    width,
    height: 40 + rows.length * 34,
    marginLeft: Math.min(300, Math.max(140, width * 0.28)),
    marginTop: 30,
    x: {label: null, axis: "top", domain: bt.results.map((r) => r.name)},
    y: {label: null, domain: rows},
    marks: [
      Plot.cell(cells, {x: "period", y: "row", fill: (d: Cell) => COLORS[d.light ?? "none"], fillOpacity: 0.75, inset: 2, rx: 4}),
      Plot.text(cells, {x: "period", y: "row", text: (d: Cell) => `${formatValue("index3", d.value)} ${d.light ?? ""}`, fill: "white", fontWeight: 600, fontSize: 12}),
      Plot.tip(cells, Plot.pointer({x: "period", y: "row", channels: {value: {value: (d: Cell) => formatValue("index3", d.value), label: "index"}, light: {value: (d: Cell) => d.light ?? "–", label: "light"}}, format: {x: true, y: true, fill: false}}))
    ]
  });
}

export const LIGHTS_NOTE = "Green: stable (< 0.10); amber: watch (0.10–0.25); red: shifted (> 0.25); grey: a window with no leads.";
