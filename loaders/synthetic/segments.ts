/**
 * Time inside TRAIN, for the seeds' backtest. Their four 2024 test windows lie inside TRAIN, so
 * TRAIN is cut at every window edge into segments (Feb–May 2024, Jun, Jul–Aug, Sep–Oct, Nov, Dec,
 * Jan 2025, Feb–Jul 2025); every window is then a run of whole segments. Each segment has a fixed
 * number of rows (its share of TRAIN's weekday-weighted days), and V3.1 Tier 1's leads and
 * conversions per segment, and all leads' conversions per segment, are chosen so that every
 * window's sums equal the published ones (targets.ts BACKTEST): among all such choices, the one
 * closest to spreading them evenly over time (weighted least squares). Placement and calibration
 * then make them exact.
 */
import {BACKTEST, scaleCount, scaleCounts, SPLITS, splitCounts} from "./targets.js";
import {dayWeight, epochDay} from "./dates.js";

/** A run of rows with one split and one contact-date range (days since epoch, inclusive). */
export interface Period {
  split: number;
  first: number;
  last: number;
}

/** TRAIN's segments, then GAP and TEST: the periods a lead's conversion key carries. */
export const PERIODS: readonly Period[] = (() => {
  const [trainFirst, trainLast] = [epochDay(SPLITS[0].start), epochDay(SPLITS[0].end)];
  const cuts = new Set<number>();
  for (const w of BACKTEST)
    for (const day of [epochDay(w.test[0]), epochDay(w.test[1]) + 1])
      if (day > trainFirst && day <= trainLast) cuts.add(day);
  const edges = [trainFirst, ...[...cuts].sort((a, b) => a - b), trainLast + 1];
  const out: Period[] = edges.slice(0, -1).map((first, k) => ({split: 0, first, last: edges[k + 1] - 1}));
  for (let s = 1; s < SPLITS.length; ++s) out.push({split: s, first: epochDay(SPLITS[s].start), last: epochDay(SPLITS[s].end)});
  return out;
})();
export const PERIOD_COUNT = PERIODS.length;
/** TRAIN's segments are periods 0..SEGMENT_COUNT-1. */
export const SEGMENT_COUNT = PERIODS.filter((p) => p.split === 0).length;

/** The period holding split `s`'s rows for GAP and TEST (TRAIN has several). */
export function periodOfSplit(s: number): number {
  return SEGMENT_COUNT - 1 + s;
}

/** Each backtest window as the segments [from, to) it covers. */
export const WINDOW_SEGMENTS: readonly [number, number][] = BACKTEST.map((w) => {
  const [a, b] = [epochDay(w.test[0]), epochDay(w.test[1])];
  const from = PERIODS.findIndex((p) => p.split === 0 && p.first === a);
  const to = PERIODS.findIndex((p) => p.split === 0 && p.last === b) + 1;
  if (from < 0 || to <= from) throw new Error(`synthetic data: backtest window ${w.name} is not inside TRAIN`);
  return [from, to];
});

/** Rows per period for `rows` leads: TRAIN shared over its segments by weekday-weighted days. */
export function periodCounts(rows: number): number[] {
  const splits = splitCounts(rows);
  const weights = PERIODS.slice(0, SEGMENT_COUNT).map((p) => {
    let w = 0;
    for (let d = p.first; d <= p.last; ++d) w += dayWeight(d);
    return w;
  });
  return [...scaleCounts(weights, splits[0]), ...splits.slice(1)];
}

/**
 * Values per segment, summing to `total`, whose sums over each window hit `windows`, as close as
 * possible to `total` spread in proportion to `sizes`: minimizes Σ (x − total·size/Σsize)² / size.
 * Undefined when that needs a negative value (tiny tables) or a window has no rows.
 */
export function spreadOverSegments(sizes: readonly number[], total: number, windows: readonly number[]): number[] | undefined {
  const n = sizes.length;
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum <= 0) return undefined;
  // Constraints: each window, then the total (the segments [0, n)).
  const spans: [number, number][] = [...WINDOW_SEGMENTS, [0, n]];
  const goals = [...windows, total];
  const even = sizes.map((s) => (total * s) / sum);
  // x = even + D Aᵀ μ with D = diag(sizes), where (A D Aᵀ) μ = goals − A·even.
  const k = spans.length;
  const m = spans.map(([a1, b1]) =>
    spans.map(([a2, b2]) => {
      let s = 0;
      for (let i = Math.max(a1, a2); i < Math.min(b1, b2); ++i) s += sizes[i];
      return s;
    })
  );
  const rhs = spans.map(([a, b], j) => goals[j] - even.slice(a, b).reduce((x, y) => x + y, 0));
  const mu = solve(m, rhs);
  if (!mu) return undefined;
  const x = even.map((e, i) => {
    let d = 0;
    for (let j = 0; j < k; ++j) if (i >= spans[j][0] && i < spans[j][1]) d += mu[j];
    return e + sizes[i] * d;
  });
  return x.every((v) => v >= -1e-9) ? x.map((v) => Math.max(0, v)) : undefined;
}

/**
 * {@link spreadOverSegments} in whole numbers with every window sum and the total still exact.
 * Windows are runs of segments, so each constraint fixes a difference of two prefix sums; prefix
 * sums tied together by constraints share their fractional part and are shifted together to whole
 * numbers (the one tied to 0 by not at all). Undefined when that needs a negative value.
 */
export function spreadWhole(sizes: readonly number[], total: number, windows: readonly number[]): number[] | undefined {
  const x = spreadOverSegments(sizes, total, windows);
  if (!x) return undefined;
  const n = sizes.length;
  const prefix = [0];
  for (const v of x) prefix.push(prefix[prefix.length - 1] + v);
  // Union-find over prefix positions 0..n, linked by the constraints.
  const parent = prefix.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (const [a, b] of [...WINDOW_SEGMENTS, [0, n] as [number, number]]) parent[find(a)] = find(b);
  const shift = new Map<number, number>();
  shift.set(find(0), 0);
  const whole = prefix.map((p, i) => {
    const root = find(i);
    if (!shift.has(root)) shift.set(root, Math.round(p) - p);
    return Math.round(p + shift.get(root)!);
  });
  const out = whole.slice(1).map((p, i) => p - whole[i]);
  return out.every((v) => v >= 0) ? out : undefined;
}

/** Window targets scaled to `rows` leads: V3.1 Tier 1's leads and conversions, and all leads' rate. */
export function windowTargets(rows: number): {tier1: number[]; tier1Conversions: number[]; rate: number[]} {
  const tier1 = BACKTEST.map((w) => scaleCount(w.tier1Count, rows));
  return {
    tier1,
    tier1Conversions: BACKTEST.map((w, i) => Math.round(tier1[i] * w.tier1Rate)),
    rate: BACKTEST.map((w) => w.tier1Rate / w.lift)
  };
}

/**
 * All leads' whole conversions in each window: of the counts within 2 of `leads × rate`, the one whose
 * lift — Tier 1's rate over the window's — is nearest the published lift. (Whole leads cannot always
 * hit a 2-decimal lift: H1_2024's 15 of 67 over 10,928 leads gives 5.867× with 417, 5.853× with 418.)
 */
export function windowConversions(leads: readonly number[], tier1: readonly number[], tier1Conversions: readonly number[]): number[] {
  const {rate} = windowTargets(0);
  return leads.map((n, w) => {
    const ideal = Math.round(n * rate[w]);
    const miss = (k: number) => Math.abs((tier1Conversions[w] / Math.max(1, tier1[w])) * (n / k) - BACKTEST[w].lift);
    let best = ideal;
    for (let k = Math.max(1, ideal - 2); k <= ideal + 2; ++k) if (miss(k) < miss(best) - 1e-12) best = k;
    return best;
  });
}

/** Gaussian elimination with partial pivoting; undefined for a singular system. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; ++c) {
    let p = c;
    for (let r = c + 1; r < n; ++r) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (Math.abs(m[p][c]) < 1e-9) return undefined;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; ++r) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= n; ++j) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}
