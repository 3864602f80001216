/** Signal investigation as Markdown (the CLI's `signals --format md`) and as rows for tables and CSV. */
import {int, mdTable, pct, pctInterval, times, toCsv} from "../format.js";
import type {BandColumnResult, BandStat, SignalResult, SignalsReport, Stat} from "./signals.js";

/** A table row for one signal: rank, counts and the formatted rate, interval, lift, published values. */
export function signalRow(s: SignalResult, rank: number): string[] {
  return [
    String(rank),
    s.label,
    s.definition,
    int(s.leads),
    int(s.labeled),
    int(s.conversions),
    pct(s.rate),
    pctInterval(s.ci),
    times(s.lift),
    s.published?.rate == null ? "–" : pct(s.published.rate),
    s.published?.lift == null ? "–" : times(s.published.lift, 1)
  ];
}

export const SIGNAL_HEADER = ["#", "signal", "definition", "leads", "labeled (n)", "conversions", "rate", "95% CI (Wilson)", "lift vs population", "published rate (seeds)", "published lift (vs their baseline)"];

export const BAND_HEADER = ["band", "leads", "labeled (n)", "conversions", "rate", "95% CI (Wilson)", "lift vs population", "share of leads"];

/** The rows of a band column's table, the "missing" row last. */
export function bandRows(column: BandColumnResult): (BandStat | (Stat & {label: string; min: null; max: null; lessThan: null}))[] {
  return [...column.bands, {label: "missing", min: null, max: null, lessThan: null, ...column.missing}];
}

function bandCells(b: Stat & {label: string}): string[] {
  return [b.label, int(b.leads), int(b.labeled), int(b.conversions), pct(b.rate), pctInterval(b.ci), times(b.lift), pct(b.share, 1)];
}

/** The whole report as Markdown. */
export function signalsToMarkdown(report: SignalsReport): string {
  const p = report.population;
  const parts = [
    `# Converting signals`,
    `Population: ${p.description} — ${int(p.leads)} leads, ${int(p.labeled)} labeled, ${int(p.conversions)} conversions, rate ${pct(p.rate)} (95% CI ${pctInterval(p.ci)}, Wilson). Lift is against this population rate; the published lifts (seeds) are against their 4.24% baseline.`,
    `## Signals, ranked by rate`,
    mdTable(SIGNAL_HEADER, report.signals.map((s, i) => signalRow(s, i + 1)))
  ];
  for (const column of report.bands) {
    parts.push(`## ${column.label} (\`${column.column}\`)`, mdTable(BAND_HEADER, bandRows(column).map(bandCells)));
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

/** The signal table as CSV: one column per field, the interval as two numbers. */
export function signalsCsv(signals: SignalResult[]): string {
  const columns = ["rank", "id", "label", "definition", "leads", "labeled", "conversions", "rate", "ci_low", "ci_high", "lift_vs_population", "published_rate", "published_lift"];
  return toCsv(
    columns,
    signals.map((s, i) => ({
      rank: i + 1,
      id: s.id,
      label: s.label,
      definition: s.definition,
      leads: s.leads,
      labeled: s.labeled,
      conversions: s.conversions,
      rate: s.rate,
      ci_low: s.ci?.[0],
      ci_high: s.ci?.[1],
      lift_vs_population: s.lift,
      published_rate: s.published?.rate,
      published_lift: s.published?.lift
    }))
  );
}
