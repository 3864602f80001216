/**
 * The seeds' published results, which the synthetic data is calibrated to. Counts are for the seeds' 39,448 leads and are scaled to other sizes.
 */

/** Rows in the seeds' feature table (`lead_scoring_features_pit`). */
export const SEED_ROWS = 39448;

/** Converted leads (Phase 1.1, "Positive Leads: 1495", 3.79%). */
export const SEED_POSITIVES = 1495;

/** Wirehouse leads (Phase 4.1, "Wirehouse Leads Excluded: 11,278"). */
export const SEED_WIREHOUSE = 11278;

/** A split: its size, conversion rate and contacted-date window (Phase 2.1), dates inclusive. */
export interface SplitTarget {
  name: "TRAIN" | "GAP" | "TEST";
  count: number;
  rate: number;
  start: string;
  end: string;
}

export const SPLITS: readonly SplitTarget[] = [
  {name: "TRAIN", count: 30727, rate: 0.0366, start: "2024-02-01", end: "2025-07-03"},
  {name: "GAP", count: 1802, rate: 0.0461, start: "2025-07-06", end: "2025-08-01"},
  {name: "TEST", count: 6919, rate: 0.0416, start: "2025-08-04", end: "2025-10-01"}
];

/**
 * A tier's volume and conversion rate over all leads, and over TRAIN alone (the seeds validate and
 * calibrate tiers on TRAIN: their priority tiers are ~91% TRAIN, against 78% of all leads — the
 * "distribution shift" of Phase 5.1). `splits` (volume per split: TRAIN, GAP, TEST) and `testRate`
 * are given where the seeds publish them.
 */
export interface TierTarget {
  id: string;
  count: number;
  rate: number;
  trainCount: number;
  trainRate: number;
  splits?: readonly [number, number, number];
  testRate?: number;
}

const TRAIN_CONVERSIONS = 30727 * 0.0366;

/**
 * V3.2 with Tier 1 split into 1A/1B/1C, in CASE order. All leads (consolidated `V3.2_12212025`):
 * Tier 1 245 @ 15.92%, Proven Mover 1,281 @ 8.59%, Moderate Bleeder 84 @ 9.52%, Experienced Mover
 * 130 @ 11.54%, Heavy Bleeder 674 @ 7.27%, Standard 37,034 @ 3.44%. TRAIN (the V3.2 validation's
 * key metrics): 1A 30 @ 26.67%, 1B 104 @ 14.42%, 1C 91 @ 14.29%, 2A 1,155 @ 9.00%, 2B 75 @ 9.33%,
 * 3 117 @ 11.97%, 4 623 @ 7.38%; Standard takes the rest of TRAIN's 30,727 @ 3.66%. Tier 1's 245
 * are split 33:113:99 like its TRAIN volumes, with the TRAIN rates rescaled to the consolidated 15.92%.
 */
export const V32_TIERS: readonly TierTarget[] = (() => {
  const sub = [
    {id: "TIER_1A_PRIME_MOVER_SMALL", count: 33, rate: 0.2667, trainCount: 30, trainRate: 0.2667},
    {id: "TIER_1B_SMALL_FIRM", count: 113, rate: 0.1442, trainCount: 104, trainRate: 0.1442},
    {id: "TIER_1C_PRIME_MOVER", count: 99, rate: 0.1429, trainCount: 91, trainRate: 0.1429}
  ];
  const k = (245 * 0.1592) / sub.reduce((s, t) => s + t.count * t.rate, 0);
  const priority: TierTarget[] = [
    ...sub.map((t) => ({...t, rate: t.rate * k})),
    {id: "TIER_2_PROVEN_MOVER", count: 1281, rate: 0.0859, trainCount: 1155, trainRate: 0.09},
    {id: "TIER_3_MODERATE_BLEEDER", count: 84, rate: 0.0952, trainCount: 75, trainRate: 0.0933},
    {id: "TIER_4_EXPERIENCED_MOVER", count: 130, rate: 0.1154, trainCount: 117, trainRate: 0.1197},
    {id: "TIER_5_HEAVY_BLEEDER", count: 674, rate: 0.0727, trainCount: 623, trainRate: 0.0738}
  ];
  const trainCount = 30727 - priority.reduce((s, t) => s + t.trainCount, 0);
  const trainRate = (TRAIN_CONVERSIONS - priority.reduce((s, t) => s + t.trainCount * t.trainRate, 0)) / trainCount;
  return [...priority, {id: "STANDARD", count: 37034, rate: 0.0344, trainCount, trainRate}];
})();

/** V3.1 in CASE order: all leads (Phase 4.1), TRAIN and TEST (Phase 5.1); GAP is the remainder. */
export const V31_TIERS: readonly TierTarget[] = [
  {
    id: "TIER_1_PRIME_MOVER",
    count: 176,
    rate: 0.142,
    trainCount: 163,
    trainRate: 0.135,
    splits: [163, 3, 10],
    testRate: 0.2
  },
  {
    id: "TIER_2_MODERATE_BLEEDER",
    count: 274,
    rate: 0.0803,
    trainCount: 250,
    trainRate: 0.084,
    splits: [250, 6, 18],
    testRate: 0
  },
  {
    id: "TIER_3_EXPERIENCED_MOVER",
    count: 402,
    rate: 0.1045,
    trainCount: 358,
    trainRate: 0.1089,
    splits: [358, 15, 29],
    testRate: 0.069
  },
  {
    id: "TIER_4_HEAVY_BLEEDER",
    count: 1128,
    rate: 0.0816,
    trainCount: 1033,
    trainRate: 0.0852,
    splits: [1033, 29, 66],
    testRate: 0.0303
  },
  {
    id: "STANDARD",
    count: 37468,
    rate: 0.0351,
    trainCount: 28923,
    trainRate: 0.033,
    splits: [28923, 1749, 6796],
    testRate: 0.0415
  }
];

/**
 * Signal lifts vs the population rate, as the V3.2 brief states them ("Strongest Converting
 * Signals", Lift vs Baseline), plus its correction that under one year of tenure converts below
 * baseline (3.92% vs 4.24%). Bit order matches {@link signalMask} in tiers.ts.
 */
export const SIGNALS: readonly {id: string; lift: number}[] = [
  {id: "tenure_1_3y", lift: 3.7},
  {id: "small_firm_1_10", lift: 3.5},
  {id: "short_tenure_bleeding", lift: 3.4},
  {id: "moderate_bleeding", lift: 2.6},
  {id: "prior_firms_3plus", lift: 2.5},
  {id: "heavy_bleeding", lift: 2.4},
  {id: "tenure_lt_1y", lift: 3.92 / 4.24}
];

/**
 * V3.1's backtest: each period's test window (Phase BACKTEST, "Key Metrics"; data/periods.json) and
 * Tier 1's volume, conversion rate and lift in it (Phase BACKTEST-COMPILE, "Key Metrics": e.g.
 * "H1_2024 - Tier 1 Lift: 5.86x", "Conversion Rate: 22.39%", "Volume: 67"). Lift is against all
 * leads in the same window, so that window's rate is `tier1Rate / lift`. The windows lie inside
 * TRAIN; the seeds' train windows all start at TRAIN's start and need no target of their own.
 */
export interface BacktestTarget {
  name: string;
  test: readonly [string, string];
  tier1Count: number;
  tier1Rate: number;
  lift: number;
}

export const BACKTEST: readonly BacktestTarget[] = [
  {name: "H1_2024", test: ["2024-07-01", "2024-12-31"], tier1Count: 67, tier1Rate: 0.2239, lift: 5.86},
  {name: "Q1Q2_2024", test: ["2024-06-01", "2024-08-31"], tier1Count: 36, tier1Rate: 0.1667, lift: 4.65},
  {name: "Q2Q3_2024", test: ["2024-09-01", "2024-11-30"], tier1Count: 21, tier1Rate: 0.1905, lift: 5.25},
  {name: "Full_2024", test: ["2024-11-01", "2025-01-31"], tier1Count: 48, tier1Rate: 0.2083, lift: 4.7}
];

/** The seeds' non-wirehouse baseline ("~4.5%"); wirehouse leads make up the rest of the population. */
export const NON_WIREHOUSE_RATE = 0.045;

/**
 * Days from contact to MQL (Phase 0.2): median 1, mean 20.5, 90th percentile 43, 95th 121.9, 99th
 * 342.7. Knots of a piecewise-linear quantile function (probability, days); days are its floor.
 */
export const DAYS_TO_MQL_QUANTILES: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.42, 1],
  [0.6, 2],
  [0.7, 5],
  [0.8, 13],
  [0.9, 44],
  [0.95, 123],
  [0.99, 340],
  [1, 365]
];

/** The seeds' execution date: no MQL is dated after it. */
export const EXPORT_DATE = "2025-12-21";

/** Scales a seed count to `rows` leads. */
export function scaleCount(count: number, rows: number): number {
  return Math.round((count * rows) / SEED_ROWS);
}

/** Scales seed counts to `rows` so they sum to `rows` exactly (largest remainder). */
export function scaleCounts(counts: readonly number[], rows: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const exact = counts.map((c) => (c * rows) / total);
  const out = exact.map(Math.floor);
  let rest = rows - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let k = 0; rest > 0; ++k, --rest) out[order[k % order.length][1]]++;
  return out;
}

/** Split sizes for `rows` leads: GAP and TEST scaled and rounded, the remainder to TRAIN. */
export function splitCounts(rows: number): number[] {
  const gap = scaleCount(SPLITS[1].count, rows);
  const test = scaleCount(SPLITS[2].count, rows);
  return [rows - gap - test, gap, test];
}
