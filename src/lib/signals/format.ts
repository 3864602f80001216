/** Signal investigation as Markdown (the CLI's `signals --format md`), and the bars a band chart shows. */
import {int, pct, pctInterval} from "../format.js";
import {markdownTable} from "../table/index.js";
import {WOE_NOTE} from "./iv.js";
import {rankSignals, type BandColumnResult, type SignalRank, type SignalsConfig, type SignalsReport, type Stat} from "./signals.js";
import {bandIvTable, bandRows, bandTable, signalTable} from "./tables.js";

/** What the published lifts are against: the signals file's published baseline, when it gives one. */
export function publishedBaseline(published: SignalsConfig["published"]): string {
  const base = published?.baseline;
  if (!base) return "the published lifts are against their source's own baseline";
  return `the published lifts (seeds) are against their ${pct(base.rate)} baseline${base.leads ? ` (${int(base.leads)} leads)` : ""}`;
}

/** The whole report as Markdown; `published`: the signals file's published figures (their lift base). */
export function signalsToMarkdown(report: SignalsReport, rank: SignalRank = "rate", published?: SignalsConfig["published"]): string {
  const p = report.population;
  const parts = [
    `# Converting signals`,
    `Population: ${p.description} — ${int(p.leads)} leads, ${int(p.labeled)} labeled, ${int(p.conversions)} conversions, rate ${pct(p.rate)} (95% CI ${pctInterval(p.ci)}, Wilson). Lift is against this population rate; ${publishedBaseline(published)}.`,
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
