/** The weight-of-evidence bars of one band column: one bar per band (missing last), right of 0 converts better. */
import * as Plot from "@observablehq/plot";
import {int} from "../lib/format.js";
import {formatValue} from "../lib/format.js";
import type {Evidence} from "../lib/signals/iv.js";

const BETTER = "#15803d";
const WORSE = "#b91c1c";

type WoeRow = Evidence & {label: string; labeled: number; conversions: number};

/**
 * Horizontal bars of WoE in band order, green when the band converts better than the population,
 * red when worse; the band's IV term beside each bar. Bands with no labeled leads have no bar and
 * read "no labeled leads".
 */
export function woeChart(bands: readonly WoeRow[], {width}: {width: number}): SVGSVGElement | HTMLElement {
  const rows = bands.map((b) => ({...b, w: b.woe ?? 0}));
  const extent = Math.max(0.5, ...rows.map((r) => Math.abs(r.w)));
  return Plot.plot({
    width,
    height: 40 + rows.length * 26,
    marginLeft: Math.min(160, Math.max(90, width * 0.18)),
    marginRight: 90,
    marginTop: 24,
    x: {label: "← converts worse · weight of evidence · converts better →", labelAnchor: "center", domain: [-extent * 1.1, extent * 1.1], grid: true},
    y: {label: null, domain: rows.map((r) => r.label)},
    marks: [
      Plot.barX(
        rows.filter((r) => r.woe !== null),
        {x: "w", y: "label", fill: (r) => (r.w >= 0 ? BETTER : WORSE), fillOpacity: 0.7, insetTop: 3, insetBottom: 3}
      ),
      Plot.ruleX([0], {stroke: "currentColor"}),
      Plot.text(rows, {
        y: "label",
        frameAnchor: "right",
        textAnchor: "start",
        dx: 8,
        fontSize: 11,
        text: (r) => (r.woe === null ? "no labeled leads" : `IV ${formatValue("index3", r.iv)}`)
      }),
      Plot.tip(
        rows.filter((r) => r.woe !== null),
        Plot.pointerY({
          x: "w",
          y: "label",
          channels: {
            woe: {value: (r) => formatValue("woe", r.woe), label: "WoE"},
            iv: {value: (r) => formatValue("index3", r.iv), label: "IV term"},
            n: {value: (r) => `${int(r.conversions)} of ${int(r.labeled)}`, label: "conversions"}
          },
          format: {x: false, y: false}
        })
      )
    ]
  });
}
