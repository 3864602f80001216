/** Signal investigation as Markdown (the CLI's `signals --format md`), and the bars a band chart shows. */
import {int, pct, pctInterval} from "../format.js";
import {markdownTable} from "../table/index.js";
import {WOE_NOTE} from "./iv.js";
import {rankSignals, type BandColumnResult, type SignalRank, type SignalsReport, type Stat} from "./signals.js";
import {bandIvTable, bandRows, bandTable, signalTable} from "./tables.js";

/** The whole report as Markdown. */
export function signalsToMarkdown(report: SignalsReport, rank: SignalRank = "rate"): string {
  const p = report.population;
  const parts = [
    `# Converting signals`,
    `Population: ${p.description} — ${int(p.leads)} leads, ${int(p.labeled)} labeled, ${int(p.conversions)} conversions, rate ${pct(p.rate)} (95% CI ${pctInterval(p.ci)}, Wilson). Lift is against this population rate; the published lifts (seeds) are against their 4.24% baseline.`,
    `## Signals, ranked by ${rank === "iv" ? "information value" : "rate"}`,
    markdownTable(signalTable, rankSignals(report.signals, rank)),
    `## Information value by attribute`,
    `Weight of evidence (WoE) of a band: ln(its share of the population's conversions / its share of the non-conversions), over labeled leads; positive converts better. IV: the sum over the bands (missing included) of (share of conversions − share of non-conversions) × WoE; < 0.02 not useful, 0.02–0.1 weak, 0.1–0.3 medium, > 0.3 strong. ${WOE_NOTE}`,
    markdownTable(bandIvTable, report.bands)
  ];
  for (const column of report.bands) {
    parts.push(`## ${column.label} (\`${column.column}\`)`, markdownTable(bandTable, bandRows(column)));
  }
  return parts.join("\n\n") + "\n";
}

/**
 * The bars a band chart shows: every inner band (an empty one shows n = 0), the open-ended bands
 * and the missing row only when they hold leads.
 */
export function chartBands(column: BandColumnResult): (Stat & {label: string; missing?: boolean})[] {
  const last = column.bands.length - 1;
  const bands = column.bands.filter((b, i) => (i !== 0 && i !== last) || b.leads > 0);
  return column.missing.leads > 0 ? [...bands, {label: "missing", missing: true, ...column.missing}] : bands;
}
