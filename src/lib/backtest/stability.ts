/**
 * Population stability between a period's train and test windows: the PSI of the tier mix and the
 * CSI of each band column, with the usual lights; and the test window's discrimination (AUC, Gini,
 * KS) per period, summarised across periods.
 *
 *   PSI = Σ over categories (test share − train share) · ln(test share / train share)
 *
 * A category's share is its leads over the window's leads. A category empty in one window (and
 * not in the other) counts 0.5 leads there, so its log is finite; the window's shares are then
 * over its leads plus those halves, so they still sum to 1. A category empty in both windows adds
 * nothing. The CSI of a band column is the same formula over its bands, the missing band (NULL
 * values) included. A window with no leads has no PSI (null).
 */
import type {ColumnInfo} from "../column-info.js";
import type {Row} from "../connector.js";
import type {BandDefinition} from "../signals/signals.js";
import {discrimination, mean, sampleSd, type Discrimination} from "../stats.js";
import type {Report} from "../tiers/report.js";

/** Leads counted for a category empty in one window (and not in the other). */
export const PSI_EMPTY_COUNT = 0.5;

export const PSI_NOTE = `A tier or band empty in one window counts ${PSI_EMPTY_COUNT} leads there (its window's shares are then over its leads plus those halves); one empty in both windows adds nothing.`;

export type Light = "stable" | "watch" | "shifted";

/** The usual lights: < 0.10 stable, 0.10–0.25 watch, > 0.25 shifted. */
export function stabilityLight(index: number | null): Light | null {
  if (index === null || !Number.isFinite(index)) return null;
  return index < 0.1 ? "stable" : index <= 0.25 ? "watch" : "shifted";
}

/**
 * The stability index of two distributions given as counts per category (same order): train
 * (expected) and test (actual). Null when either window has no leads.
 */
export function stabilityIndex(train: readonly number[], test: readonly number[]): number | null {
  if (train.length !== test.length) throw new RangeError(`stabilityIndex: ${train.length} train categories but ${test.length} test categories`);
  const pairs = train.map((a, i) => [a, test[i]] as const).filter(([a, b]) => a > 0 || b > 0);
  const adjusted = pairs.map(([a, b]) => [a > 0 ? a : PSI_EMPTY_COUNT, b > 0 ? b : PSI_EMPTY_COUNT] as const);
  if (!train.some((a) => a > 0) || !test.some((b) => b > 0)) return null;
  const totalA = adjusted.reduce((s, [a]) => s + a, 0);
  const totalB = adjusted.reduce((s, [, b]) => s + b, 0);
  return adjusted.reduce((sum, [a, b]) => {
    const p = a / totalA;
    const q = b / totalB;
    return sum + (q - p) * Math.log(q / p);
  }, 0);
}

/** The PSI of the tier mix (leads per tier, the rule set's order) between two windows' reports. */
export function tierPsi(train: Report, test: Report): number | null {
  const ids = train.tiers.map((t) => t.id);
  const leadsOf = (r: Report) => ids.map((id) => r.tiers.find((t) => t.id === id)?.leads ?? 0);
  return stabilityIndex(leadsOf(train), leadsOf(test));
}

/** The test window's AUC, Gini and KS over its labeled leads, tiers in the rule set's order (tier 1 best, fallback last). */
export function reportDiscrimination(report: Report): Discrimination {
  return discrimination(report.tiers.map((t) => ({positives: t.conversions, negatives: t.labeled - t.conversions})));
}

/** Values across periods (null where a period has none) with mean, min, max and sample SD of the defined ones. */
export interface Summary {
  values: (number | null)[];
  mean: number | null;
  min: number | null;
  max: number | null;
  sd: number | null;
}

export function summarize(values: readonly (number | null)[]): Summary {
  const defined = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return {
    values: [...values],
    mean: mean(defined),
    min: defined.length ? Math.min(...defined) : null,
    max: defined.length ? Math.max(...defined) : null,
    sd: sampleSd(defined)
  };
}

/** The band columns a CSI can be computed for: those the table holds (all of them when the schema is not given). */
export function csiBands(bands: readonly BandDefinition[], columns?: readonly ColumnInfo[]): BandDefinition[] {
  return columns ? bands.filter((b) => columns.some((c) => c.name === b.column && c.kind === "number")) : [...bands];
}

/**
 * Each period's CSI per band column from the rows of {@link csiSql}: `{column: value}` per period.
 * Bands are 0..edges.length and missing (NULL), in that order.
 */
export function csiFromCounts(bands: readonly BandDefinition[], periods: readonly unknown[], rows: readonly Row[]): Record<string, number | null>[] {
  const counts = periods.map(() => bands.map((b) => ({train: new Array<number>(b.edges.length + 2).fill(0), test: new Array<number>(b.edges.length + 2).fill(0)})));
  for (const row of rows) {
    const p = Number(row.period_index);
    const c = Number(row.column_index);
    const w = String(row.window_name);
    const cell = counts[p]?.[c];
    if (!cell || (w !== "train" && w !== "test")) throw new Error(`CSI counts: unexpected period ${JSON.stringify(row.period_index)} / column ${JSON.stringify(row.column_index)} / window ${JSON.stringify(row.window_name)}`);
    const band = row.band === null ? bands[c].edges.length + 1 : Number(row.band);
    cell[w][band] += Number(row.leads);
  }
  return counts.map((perColumn) => Object.fromEntries(bands.map((b, c) => [b.column, stabilityIndex(perColumn[c].train, perColumn[c].test)])));
}
