/**
 * The seeds' validation gates, with their thresholds as editable data. A gate whose value cannot be
 * computed (no labeled leads, an empty tier) fails with value null: a gate that cannot be checked
 * has not been passed.
 */
import type {Unit} from "../format.js";
import {holm, mean, oneSidedGreaterP, sampleSd} from "../stats.js";
import type {GroupStats, PopulationStats, TierStats} from "./types.js";

/** The part of a report the gates read. */
type TierTable = {population: PopulationStats; tiers: TierStats[]; groups: GroupStats[]};

export interface Thresholds {
  /** Tier 1 (the first group) conversion rate at least this (seeds: 10%). */
  tier1MinRate: number;
  /** Every priority tier's lift vs the population at least this (seeds: 2.0×). */
  minPriorityLift: number;
  /** Share of leads in priority tiers, [min, max] inclusive (seeds: 5–15%). */
  priorityShare: [number, number];
  /** Tiers with fewer labeled leads are flagged `small` (seeds' merge rule: 50). */
  minLabeled: number;
  /** Significance level for Holm-adjusted p-values. */
  alpha: number;
  /** Test lift within this fraction of train lift, |test − train| / train ≤ (seeds: 50%). */
  maxLiftChange: number;
  /** Tier 1 conversion shift between train and test below this, in rate units (seeds: 5 pp). */
  maxTier1Shift: number;
  /** Backtest: mean Tier 1 test lift across periods at least this (seeds: 3.0×). */
  backtestMinMeanLift: number;
  /** Backtest: smallest Tier 1 test lift at least this (seeds: 2.5×). */
  backtestMinLift: number;
  /** Backtest: sample SD of Tier 1 test lift below this (seeds: 1.0×). */
  backtestMaxSd: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  tier1MinRate: 0.1,
  minPriorityLift: 2.0,
  priorityShare: [0.05, 0.15] as [number, number],
  minLabeled: 50,
  alpha: 0.05,
  maxLiftChange: 0.5,
  maxTier1Shift: 0.05,
  backtestMinMeanLift: 3.0,
  backtestMinLift: 2.5,
  backtestMaxSd: 1.0
});

/** Defaults overlaid with the given thresholds, checked. */
export function resolveThresholds(partial: Partial<Thresholds> = {}): Thresholds {
  const t: Thresholds = {...DEFAULT_THRESHOLDS, priorityShare: [...DEFAULT_THRESHOLDS.priorityShare], ...partial};
  for (const [key, value] of Object.entries(t)) {
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`threshold ${key} must be a number ≥ 0, got ${JSON.stringify(value)}`);
    }
  }
  if (!(Array.isArray(t.priorityShare) && t.priorityShare.length === 2 && t.priorityShare[0] <= t.priorityShare[1])) {
    throw new RangeError(
      `threshold priorityShare must be [min, max] with min ≤ max, got ${JSON.stringify(t.priorityShare)}`
    );
  }
  return t;
}

export type Comparison = ">=" | "<=" | "<" | "between" | "==";

export interface Gate {
  id: string;
  label: string;
  pass: boolean;
  /** The measured value; null when it cannot be computed (then `pass` is false). */
  value: number | null;
  /** The threshold (the lower bound for `between`). */
  threshold: number;
  /** The upper bound, for `between`. */
  thresholdMax?: number;
  /** How value is compared with threshold: pass when `value <comparison> threshold`. */
  comparison: Comparison;
  /** How to show value and threshold: a rate or share (percent), a lift (×), a count. */
  unit: GateUnit;
  /** Why the value is what it is (which tier, which is missing). */
  detail?: string;
}

/** How a gate's value and threshold are shown (formatted by the "measure" and "bound" formats in ../format.ts). */
export type GateUnit = Unit;

/** Builds a gate: passes when the value is defined and satisfies the comparison. */
export function gate(
  id: string,
  label: string,
  value: number | null,
  comparison: Comparison,
  threshold: number,
  unit: GateUnit,
  extra: {thresholdMax?: number; detail?: string} = {}
): Gate {
  let pass = false;
  if (value !== null && Number.isFinite(value)) {
    if (comparison === ">=") pass = value >= threshold;
    else if (comparison === "<=") pass = value <= threshold;
    else if (comparison === "<") pass = value < threshold;
    else if (comparison === "==") pass = value === threshold;
    else pass = value >= threshold && value <= (extra.thresholdMax ?? Infinity);
  }
  const result: Gate = {
    id,
    label,
    pass,
    value: value !== null && Number.isFinite(value) ? value : null,
    threshold,
    comparison,
    unit
  };
  if (extra.thresholdMax !== undefined) result.thresholdMax = extra.thresholdMax;
  if (extra.detail !== undefined) result.detail = extra.detail;
  return result;
}

const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;
const times = (x: number | null) => (x === null ? "—" : `${x.toFixed(2)}×`);

/**
 * The single-window gates of a tier report (seeds' V3.2.1–V3.2.5):
 * - `tier1-rate`: the first group's conversion rate ≥ tier1MinRate;
 * - `priority-lift`: the smallest lift vs the population over every non-fallback tier ≥ minPriorityLift;
 * - `priority-share`: leads outside the fallback as a share of all leads within priorityShare;
 * - `ci-overlap`: the number of non-fallback tiers whose Wilson lower bound is not above the
 *   fallback's upper bound (the seeds' "CI lower bounds should NOT overlap with STANDARD CI upper bound") = 0;
 * - `tier-order`: no adjacent pair of tiers significantly inverted ({@link tierOrderGate}).
 */
export function tierGates(report: {tiers: TierStats[]; groups: GroupStats[]}, thresholds: Thresholds): Gate[] {
  const priority = report.tiers.filter((t) => !t.fallback);
  const fallback = report.tiers.find((t) => t.fallback);
  const first = report.groups[0];
  const gates: Gate[] = [];

  gates.push(
    gate(
      "tier1-rate",
      `Tier 1 (${first.id}) conversion ≥ ${pct(thresholds.tier1MinRate)}`,
      first.rate,
      ">=",
      thresholds.tier1MinRate,
      "percent",
      {
        detail:
          first.rate === null ? `${first.id} has no labeled leads` : `${first.conversions} of ${first.labeled} labeled`
      }
    )
  );

  const noLift = priority.filter((t) => t.lift === null).map((t) => t.id);
  const lowest = priority.reduce<TierStats | null>(
    (low, t) => (t.lift !== null && (!low || t.lift < low.lift!) ? t : low),
    null
  );
  gates.push(
    gate(
      "priority-lift",
      `Every priority tier's lift vs all leads ≥ ${thresholds.minPriorityLift}×`,
      noLift.length || !lowest ? null : lowest.lift,
      ">=",
      thresholds.minPriorityLift,
      "times",
      {
        detail: noLift.length
          ? `no lift for ${noLift.join(", ")} (no labeled leads or no conversions overall)`
          : `lowest: ${lowest?.id}`
      }
    )
  );

  const total = report.tiers.reduce((sum, t) => sum + t.leads, 0);
  const priorityLeads = priority.reduce((sum, t) => sum + t.leads, 0);
  const [low, high] = thresholds.priorityShare;
  gates.push(
    gate(
      "priority-share",
      `Priority tiers hold ${pct(low)}–${pct(high)} of leads`,
      total ? priorityLeads / total : null,
      "between",
      low,
      "percent",
      {
        thresholdMax: high,
        detail: `${priorityLeads} of ${total} leads`
      }
    )
  );

  const fallbackHigh = fallback?.ci?.[1];
  const noCi = priority.filter((t) => t.ci === null).map((t) => t.id);
  const overlapping = priority.filter((t) => t.ci !== null && fallbackHigh !== undefined && t.ci[0] <= fallbackHigh);
  const undefinedOverlap = fallbackHigh === undefined || noCi.length > 0;
  gates.push(
    gate(
      "ci-overlap",
      `No priority tier's 95% interval reaches the ${fallback?.id ?? "fallback"} interval`,
      undefinedOverlap ? null : overlapping.length,
      "==",
      0,
      "count",
      {
        detail: undefinedOverlap
          ? `no interval for ${fallbackHigh === undefined ? fallback?.id : noCi.join(", ")} (no labeled leads)`
          : overlapping.length
            ? `overlapping: ${overlapping.map((t) => t.id).join(", ")}`
            : "all separated"
      }
    )
  );
  gates.push(tierOrderGate(report.tiers, thresholds));
  return gates;
}

/** One adjacent pair of the tier order and its two one-sided tests (Holm-adjusted). */
export interface TierOrderPair {
  earlier: string;
  later: string;
  /** One-sided p that the earlier tier converts better, Holm-adjusted across the pairs. */
  pOrdered: number;
  /** One-sided p that the later tier converts better, Holm-adjusted across the pairs. */
  pInverted: number;
  /** pInverted < alpha: the later tier converts significantly better. */
  inverted: boolean;
  /** pOrdered < alpha: the earlier tier converts significantly better. */
  separated: boolean;
}

/**
 * The pairs the tier-order gate tests: each pair of adjacent tiers in rule order (each priority
 * tier and the next, the last priority tier and the fallback), skipping tiers with no labeled
 * leads. For each pair, one-sided pooled two-proportion tests in both directions, each family
 * Holm-corrected across the pairs.
 */
export function tierOrderPairs(tiers: readonly TierStats[], alpha: number): TierOrderPair[] {
  const ordered = [...tiers.filter((t) => !t.fallback), ...tiers.filter((t) => t.fallback)].filter((t) => t.labeled > 0);
  const pairs = ordered.slice(1).map((later, i) => ({earlier: ordered[i], later}));
  const forward = holm(pairs.map(({earlier: a, later: b}) => oneSidedGreaterP(a.conversions, a.labeled, b.conversions, b.labeled)));
  const backward = holm(pairs.map(({earlier: a, later: b}) => oneSidedGreaterP(b.conversions, b.labeled, a.conversions, a.labeled)));
  return pairs.map(({earlier, later}, i) => ({
    earlier: earlier.id,
    later: later.id,
    pOrdered: forward[i]!,
    pInverted: backward[i]!,
    inverted: backward[i]! < alpha,
    separated: forward[i]! < alpha
  }));
}

/**
 * `tier-order`: the number of adjacent pairs whose later tier converts significantly better than
 * the earlier one (one-sided, Holm-corrected) = 0. The detail names the inverted pairs, the pairs
 * merely not separated (earlier not significantly better) and tiers left out for having no
 * labeled leads. Undefined (fails) when fewer than two tiers have labeled leads.
 */
export function tierOrderGate(tiers: readonly TierStats[], thresholds: Thresholds): Gate {
  const pairs = tierOrderPairs(tiers, thresholds.alpha);
  const skipped = tiers.filter((t) => t.labeled === 0).map((t) => t.id);
  const name = (p: TierOrderPair) => `${p.earlier} vs ${p.later}`;
  const inverted = pairs.filter((p) => p.inverted);
  const unseparated = pairs.filter((p) => !p.inverted && !p.separated);
  const parts = pairs.length
    ? [
        inverted.length ? `inverted: ${inverted.map(name).join(", ")}` : "",
        unseparated.length ? `not separated: ${unseparated.map(name).join(", ")}` : "",
        !inverted.length && !unseparated.length ? `all ${pairs.length} pairs in order` : ""
      ]
    : ["fewer than two tiers have labeled leads"];
  if (skipped.length) parts.push(`no labeled leads: ${skipped.join(", ")}`);
  return gate(
    "tier-order",
    `No tier converts significantly better than the tier before it (one-sided, Holm, α = ${thresholds.alpha})`,
    pairs.length ? inverted.length : null,
    "==",
    0,
    "count",
    {detail: parts.filter(Boolean).join("; ")}
  );
}

/** Test lift within maxLiftChange of train lift: value |test − train| / train. */
export function liftStabilityGate(
  name: string,
  trainLift: number | null,
  testLift: number | null,
  thresholds: Thresholds
): Gate {
  const value =
    trainLift !== null && testLift !== null && trainLift > 0 ? Math.abs(testLift - trainLift) / trainLift : null;
  return gate(
    `lift-stability:${name}`,
    `${name}: test lift within ${pct(thresholds.maxLiftChange)} of train lift`,
    value,
    "<=",
    thresholds.maxLiftChange,
    "percent",
    {detail: `train ${times(trainLift)}, test ${times(testLift)}`}
  );
}

/** Tier 1 conversion shift between train and test below maxTier1Shift: value |test − train|. */
export function tier1ShiftGate(trainRate: number | null, testRate: number | null, thresholds: Thresholds): Gate {
  const value = trainRate !== null && testRate !== null ? Math.abs(testRate - trainRate) : null;
  return gate(
    "tier1-shift",
    `Tier 1 train/test conversion shift < ${+(thresholds.maxTier1Shift * 100).toFixed(2)} pp`,
    value,
    "<",
    thresholds.maxTier1Shift,
    "percent",
    {
      detail: `train ${trainRate === null ? "—" : pct(trainRate)}, test ${testRate === null ? "—" : pct(testRate)}`
    }
  );
}

/**
 * Gates comparing a train report with a test report of the same rule set: lift stability for
 * every non-fallback group (lift vs each window's own population), and the Tier 1 (first group)
 * conversion shift.
 */
export function twoWindowGates(train: TierTable, test: TierTable, thresholds: Thresholds): Gate[] {
  const gates: Gate[] = [];
  for (const group of train.groups) {
    if (group.fallback) continue;
    const other = test.groups.find((g) => g.id === group.id);
    gates.push(liftStabilityGate(group.id, group.lift, other?.lift ?? null, thresholds));
  }
  gates.push(tier1ShiftGate(train.groups[0]?.rate ?? null, test.groups[0]?.rate ?? null, thresholds));
  return gates;
}

/**
 * The backtest gates over Tier 1's test lift in each period: mean ≥ backtestMinMeanLift, minimum ≥
 * backtestMinLift, sample SD < backtestMaxSd. A null lift (a period with no labeled Tier 1 lead)
 * makes all three undefined.
 */
export function backtestGates(tier1Lifts: readonly (number | null)[], thresholds: Thresholds): Gate[] {
  const complete = tier1Lifts.length > 0 && tier1Lifts.every((l) => l !== null);
  const lifts = complete ? (tier1Lifts as number[]) : [];
  const detail = complete
    ? `${lifts.length} periods`
    : tier1Lifts.length
      ? "a period has no Tier 1 lift"
      : "no periods";
  return [
    gate(
      "backtest-mean-lift",
      `Tier 1 mean lift ≥ ${thresholds.backtestMinMeanLift}×`,
      complete ? mean(lifts) : null,
      ">=",
      thresholds.backtestMinMeanLift,
      "times",
      {detail}
    ),
    gate(
      "backtest-min-lift",
      `Tier 1 minimum lift ≥ ${thresholds.backtestMinLift}×`,
      complete ? Math.min(...lifts) : null,
      ">=",
      thresholds.backtestMinLift,
      "times",
      {detail}
    ),
    gate(
      "backtest-lift-sd",
      `Tier 1 lift sample SD < ${thresholds.backtestMaxSd}×`,
      complete ? sampleSd(lifts) : null,
      "<",
      thresholds.backtestMaxSd,
      "times",
      {detail}
    )
  ];
}
