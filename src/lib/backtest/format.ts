/**
 * A backtest as rows (for the page's tables, charts and CSV downloads) and as Markdown (the CLI's
 * `--format md`, rendering the specs of ./tables.ts). Every lift says which baseline it is
 * against: the rate of the window it was measured in.
 */
import type {Backtest, Stability} from "./backtest.js";
import {int, pct, times} from "../format.js";
import {markdownTable} from "../table/index.js";
import {gateTable} from "../tiers/tables.js";
import type {Maturity} from "./maturity.js";
import type {TierStats} from "../tiers/report.js";
import {calibrationTable, discriminationTable, maturityTable, periodTable, shiftTable, stabilityTable, type DiscriminationRow} from "./tables.js";
import {PSI_NOTE} from "./stability.js";

export type Level = "tiers" | "groups";

/** One tier (or group) of one period: the train calibration beside the test result. */
export interface CalibrationRow {
  period: string;
  id: string;
  label: string;
  fallback: boolean;
  trainLeads: number;
  trainLabeled: number;
  /** The calibrated (expected) conversion: the train window's rate. */
  trainRate: number | null;
  trainLift: number | null;
  /** The rule set's own shipped expectation, when it gives one. */
  expectedConversion: number | null;
  testLeads: number;
  testLabeled: number;
  testConversions: number;
  testRate: number | null;
  testCi: [number, number] | null;
  testLift: number | null;
  testLiftVsFallback: number | null;
  /** test rate − train rate (rate units; × 100 for percentage points). */
  shift: number | null;
  small: boolean;
}

/** The calibration-vs-test rows of one period. */
export function calibrationRows(bt: Backtest, periodIndex: number, level: Level = "tiers"): CalibrationRow[] {
  const r = bt.results[periodIndex];
  return r.train[level].map((train: TierStats) => {
    const test = r.test[level].find((t) => t.id === train.id)!;
    return {
      period: r.name,
      id: train.id,
      label: train.label,
      fallback: train.fallback,
      trainLeads: train.leads,
      trainLabeled: train.labeled,
      trainRate: train.rate,
      trainLift: train.lift,
      expectedConversion: train.expectedConversion,
      testLeads: test.leads,
      testLabeled: test.labeled,
      testConversions: test.conversions,
      testRate: test.rate,
      testCi: test.ci,
      testLift: test.lift,
      testLiftVsFallback: test.liftVsFallback,
      shift: train.rate === null || test.rate === null ? null : test.rate - train.rate,
      small: test.small
    };
  });
}

/** One point of the lift chart: a tier's test lift in one period with its interval. */
export interface LiftPoint {
  period: string;
  periodIndex: number;
  id: string;
  label: string;
  fallback: boolean;
  labeled: number;
  rate: number | null;
  ci: [number, number] | null;
  /** The test window's population rate: the baseline of the lift. */
  populationRate: number | null;
  lift: number | null;
  /**
   * The lift's Katz log 95% interval (the tier's `liftCi`): both the tier's and the window's rates
   * are uncertain. Null when the tier or the window has no conversion.
   */
  liftLow: number | null;
  liftHigh: number | null;
}

/** Test lift per period and tier (or group), with its Katz interval. */
export function liftPoints(bt: Backtest, level: Level = "groups"): LiftPoint[] {
  return bt.results.flatMap((r, periodIndex) => {
    const base = r.test.population.rate;
    return r.test[level].map((t) => ({
      period: r.name,
      periodIndex,
      id: t.id,
      label: t.label,
      fallback: t.fallback,
      labeled: t.labeled,
      rate: t.rate,
      ci: t.ci,
      populationRate: base,
      lift: t.lift,
      liftLow: t.liftCi?.[0] ?? null,
      liftHigh: t.liftCi?.[1] ?? null
    }));
  });
}

/** The stability rows of one level: tiers, or the groups (a group of one tier is that tier). */
export function stabilityRows(bt: Backtest, level: Level = "tiers"): Stability[] {
  if (level === "tiers") return bt.stability.filter((s) => s.level === "tier");
  const groupIds = bt.results[0]?.test.groups.map((g) => g.id) ?? [];
  return groupIds.map((id) => bt.stability.find((s) => s.id === id && s.level === "group") ?? bt.stability.find((s) => s.id === id)!).filter(Boolean);
}

/** Two rule sets' Tier 1 (first group) across the periods, side by side. */
export interface VersionRow {
  period: string;
  aLeads: number | null;
  aRate: number | null;
  aLift: number | null;
  bLeads: number | null;
  bRate: number | null;
  bLift: number | null;
}

export function versionRows(a: Backtest, b: Backtest): VersionRow[] {
  return a.results.map((r, i) => {
    const ga = r.test.groups[0];
    const gb = b.results[i]?.test.groups[0];
    return {period: r.name, aLeads: ga.leads, aRate: ga.rate, aLift: ga.lift, bLeads: gb?.leads ?? null, bRate: gb?.rate ?? null, bLift: gb?.lift ?? null};
  });
}

/** The seeds' published backtest (data/reference/published.json "backtest") beside a computed one. */
export interface PublishedRow {
  period: string;
  publishedLift: number | null;
  publishedRate: number | null;
  publishedVolume: number | null;
  lift: number | null;
  rate: number | null;
  volume: number | null;
}

interface PublishedBacktest {
  periods: {id: string; tier1: {lift: number; rate: number; volume: number}}[];
}

export function publishedRows(published: PublishedBacktest | undefined, bt: Backtest): PublishedRow[] {
  const names = [...new Set([...bt.results.map((r) => r.name), ...(published?.periods.map((p) => p.id) ?? [])])];
  return names.map((name) => {
    const pub = published?.periods.find((p) => p.id === name)?.tier1;
    const g = bt.results.find((r) => r.name === name)?.test.groups[0];
    return {
      period: name,
      publishedLift: pub?.lift ?? null,
      publishedRate: pub?.rate ?? null,
      publishedVolume: pub?.volume ?? null,
      lift: g?.lift ?? null,
      rate: g?.rate ?? null,
      volume: g ? g.leads : null
    };
  });
}

/** One period's windows and sizes (the first table of the Markdown). */
export interface PeriodRow {
  name: string;
  train: [string, string];
  test: [string, string];
  trainLeads: number;
  testLeads: number;
  testRate: number | null;
}

export function periodRows(bt: Backtest): PeriodRow[] {
  return bt.results.map((r, i) => ({name: r.name, train: bt.periods[i].train, test: bt.periods[i].test, trainLeads: r.train.population.leads, testLeads: r.test.population.leads, testRate: r.test.population.rate}));
}

/** A statistic of the days from contact to MQL, here and in the seeds. */
export interface MaturityRow {
  stat: string;
  value: number | null;
  seeds: number | null;
}

/** The seeds' published maturity analysis (data/reference/published.json "maturity"). */
export interface PublishedMaturity {
  daysToConversion?: {mean?: number; median?: number; p90?: number; p95?: number; p99?: number};
  windowDays?: number;
}

/** Mean, quantiles and the window capturing m.capture of conversions, beside the seeds' values. */
export function maturityRows(m: Maturity, published: PublishedMaturity = {}): MaturityRow[] {
  const seeds = published.daysToConversion ?? {};
  return [
    ["mean", m.mean, seeds.mean],
    ["median", m.median, seeds.median],
    ["90th percentile", m.p90, seeds.p90],
    ["95th percentile", m.p95, seeds.p95],
    ["99th percentile", m.p99, seeds.p99],
    [`window capturing ${pct(m.capture, 0)}`, m.captureWindow, published.windowDays]
  ].map(([stat, value, seedValue]) => ({stat: stat as string, value: (value as number | null) ?? null, seeds: (seedValue as number | undefined) ?? null}));
}

/** The maturity section (days to MQL, the 90% window, what the chosen window censors). */
export function maturityToMarkdown(m: Maturity, published?: PublishedMaturity): string {
  const lines = [
    "## Maturity: days from contact to MQL",
    "",
    `${int(m.conversions)} leads with an mql_date on or after their contact date` +
      (m.beforeContact ? ` (${int(m.beforeContact)} with an mql_date before contact left out)` : "") +
      ". Quantiles interpolate linearly between order statistics.",
    "",
    markdownTable(maturityTable, maturityRows(m, published)),
    ""
  ];
  if (m.maturityDays !== null && m.windowCapture !== null) lines.push(`A ${m.maturityDays}-day window captures ${pct(m.windowCapture, 1)} of conversions.`, "");
  if (m.censored) {
    lines.push(
      `Analysis date ${m.analysisDate}, window ${m.maturityDays ?? 0} days: leads contacted after ${m.cutoff} are censored — ` +
        `${int(m.censored.leads)} of ${int(m.leads)} leads (${pct(m.censored.share, 1)}), ${int(m.censored.labeled)} of them with a target that is not used.`,
      ""
    );
  } else {
    lines.push("No analysis date set: only the data's own NULL targets are unlabeled.", "");
  }
  return lines.join("\n");
}

/** AUC, Gini and KS across the periods, as the discrimination table's rows. */
export function discriminationRows(bt: Backtest): DiscriminationRow[] {
  return [
    {measure: "AUC", ...bt.discrimination.auc},
    {measure: "Gini", ...bt.discrimination.gini},
    {measure: "KS", ...bt.discrimination.ks}
  ];
}

/** What the population-stability and discrimination numbers are, in one paragraph. */
export const SHIFT_NOTE =
  "PSI: Σ over tiers (test share − train share) · ln(test share / train share), shares of each window's leads; CSI: the same over a band column's bands (missing included); < 0.10 stable, 0.10–0.25 watch, > 0.25 shifted. " +
  PSI_NOTE +
  " AUC over the test window's labeled leads, tier 1 best and ties (same tier) counted half; Gini = 2·AUC − 1; KS = the largest gap between the cumulative shares of converters and non-converters over the tier boundaries, in rule order.";

/** The backtest as Markdown: periods, stability (tiers, then groups), gates, then each period's calibration vs test. */
export function backtestToMarkdown(bt: Backtest, options: {maturity?: Maturity | null; publishedMaturity?: PublishedMaturity} = {}): string {
  const lift = (s: Stability) => s.lifts.map((l) => times(l)).join(" / ");
  const periodNames = bt.periods.map((p) => p.name);
  const lines = [
    `# Backtest: ${bt.rules}${bt.version ? ` (${bt.version})` : ""}`,
    "",
    `${bt.periods.length} periods, both windows inclusive on contacted_date. Lift = rate / the rate of all leads in the same window. ` +
      (bt.population.cutoff ? `Leads contacted after ${bt.population.cutoff} (analysis date ${bt.population.analysisDate} − ${bt.population.maturityDays ?? 0} days) count in volume only. ` : "") +
      (bt.population.excludeWirehouse ? "Wirehouse leads excluded." : ""),
    "",
    markdownTable(periodTable, periodRows(bt)),
    "",
    "## Stability of test lift across periods",
    "",
    markdownTable(stabilityTable(periodNames), stabilityRows(bt, "tiers")),
    ""
  ];
  if (bt.stability.some((s) => s.level === "group")) lines.push("### Groups", "", markdownTable(stabilityTable(periodNames), stabilityRows(bt, "groups")), "");
  lines.push(`Tier 1 (${bt.tier1.id}) test lift: ${lift(bt.tier1)}.`, "");
  lines.push(
    "## Population stability and discrimination",
    "",
    SHIFT_NOTE,
    "",
    markdownTable(shiftTable(bt.csiColumns), bt.results),
    "",
    "### Discrimination across periods",
    "",
    markdownTable(discriminationTable(periodNames), discriminationRows(bt)),
    ""
  );
  lines.push("## Gates", "", markdownTable(gateTable, bt.gates), "");
  bt.results.forEach((r, i) => {
    lines.push(
      `## ${r.name}: train ${bt.periods[i].train.join(" – ")} (calibration), test ${bt.periods[i].test.join(" – ")}`,
      "",
      `Train: ${int(r.train.population.leads)} leads, rate ${pct(r.train.population.rate)} (n = ${int(r.train.population.labeled)}). ` +
        `Test: ${int(r.test.population.leads)} leads, rate ${pct(r.test.population.rate)} (n = ${int(r.test.population.labeled)}).`,
      "",
      markdownTable(calibrationTable, calibrationRows(bt, i, "tiers")),
      ""
    );
  });
  if (options.maturity) lines.push(maturityToMarkdown(options.maturity, options.publishedMaturity));
  return lines.join("\n");
}
