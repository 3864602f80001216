/**
 * Tier volumes by quota. Every candidate falls in a feature cell (V3.2 tier × V3.1 tier ×
 * wirehouse), and every kept lead also gets a split, so quotas are kept per (feature cell, split).
 * A pilot sample of the prior gives each feature cell's share; raking (iterative proportional
 * fitting) adjusts that table to the seeds' counts — V3.2 tiers in TRAIN and outside it, V3.1 tiers
 * per split, the wirehouse count — keeping its structural zeros and interactions. Rounding gives
 * integer quotas with the V3.2 and split counts exact. The generator then keeps a candidate only
 * while its feature cell has quota left, and draws its split from what is left.
 */
import {emptyCandidate, sampleCandidate} from "./features.js";
import {Rng} from "./rng.js";
import {scaleCount, scaleCounts, SEED_WIREHOUSE, splitCounts, V31_TIERS, V32_TIERS} from "./targets.js";
import {tierV31, tierV32, V31_COUNT, V32_COUNT} from "./tiers.js";

/** Feature cells: (V3.2 tier, V3.1 tier, is_wirehouse). */
export const FEATURE_CELLS = V32_COUNT * V31_COUNT * 2;
export const SPLIT_COUNT = 3;

export function featureCell(v32: number, v31: number, wirehouse: number): number {
  return (v32 * V31_COUNT + v31) * 2 + wirehouse;
}

const PILOT_SIZE = 400_000;
const PILOT_SEED = 20251221;
/** Cells rarer than this in the pilot are treated as empty, so no quota waits on a near-impossible draw. */
const MIN_PILOT_COUNT = 12;

let pilot: Float64Array | undefined;

/** Feature-cell counts in a fixed-seed pilot sample of the prior (the same for every seed and size). */
export function pilotCounts(): Float64Array {
  if (pilot) return pilot;
  const rng = new Rng(PILOT_SEED);
  const c = emptyCandidate();
  const counts = new Float64Array(FEATURE_CELLS);
  for (let i = 0; i < PILOT_SIZE; ++i) {
    sampleCandidate(rng, c);
    const v32 = tierV32(c.tenure, c.industry, c.netChange, c.reps, c.prior, c.wirehouse);
    const v31 = tierV31(c.tenure, c.industry, c.netChange, c.wirehouse);
    counts[featureCell(v32, v31, c.wirehouse)]++;
  }
  for (let k = 0; k < FEATURE_CELLS; ++k) if (counts[k] < MIN_PILOT_COUNT) counts[k] = 0;
  return (pilot = counts);
}

/** The margins a (feature cell, split) cell belongs to. */
interface Margins {
  /** (V3.2 tier, in TRAIN or not): 2 × v32 + (split > 0). Rounding keeps these exact. */
  row: Int32Array;
  /** (V3.1 tier, split): 3 × v31 + split. */
  col: Int32Array;
  /** is_wirehouse. */
  wh: Int32Array;
}

function margins(): Margins {
  const n = FEATURE_CELLS * SPLIT_COUNT;
  const m: Margins = {row: new Int32Array(n), col: new Int32Array(n), wh: new Int32Array(n)};
  for (let v32 = 0; v32 < V32_COUNT; ++v32)
    for (let v31 = 0; v31 < V31_COUNT; ++v31)
      for (let w = 0; w < 2; ++w)
        for (let s = 0; s < SPLIT_COUNT; ++s) {
          const cell = featureCell(v32, v31, w) * SPLIT_COUNT + s;
          m.row[cell] = 2 * v32 + (s > 0 ? 1 : 0);
          m.col[cell] = SPLIT_COUNT * v31 + s;
          m.wh[cell] = w;
        }
  return m;
}

/**
 * Integer quotas per (feature cell, split), indexed `featureCell * 3 + split`, for `rows` leads.
 * They sum to `rows`, to the scaled split sizes and to the scaled V3.2 counts in and out of TRAIN.
 */
export function cellQuotas(rows: number): Int32Array {
  const splits = splitCounts(rows);
  const train = scaleCounts(
    V32_TIERS.map((t) => t.trainCount),
    splits[0]
  );
  const rest = scaleCounts(
    V32_TIERS.map((t) => t.count - t.trainCount),
    rows - splits[0]
  );
  const rowTargets = train.flatMap((t, v32) => [t, rest[v32]]);
  const perSplit = splits.map((n, s) =>
    scaleCounts(
      V31_TIERS.map((t) => t.splits![s]),
      n
    )
  );
  const colTargets = V31_TIERS.flatMap((_, v31) => perSplit.map((counts) => counts[v31]));
  const wirehouse = Math.min(scaleCount(SEED_WIREHOUSE, rows), rows);
  const whTargets = [rows - wirehouse, wirehouse];

  const m = margins();
  const seed = new Float64Array(FEATURE_CELLS * SPLIT_COUNT);
  const counts = pilotCounts();
  for (let f = 0; f < FEATURE_CELLS; ++f)
    for (let s = 0; s < SPLIT_COUNT; ++s) seed[f * SPLIT_COUNT + s] = (counts[f] * splits[s]) / rows;
  const fitted = rake(seed, [
    [m.row, rowTargets],
    [m.wh, whTargets],
    [m.col, colTargets]
  ]);
  const quotas = roundRows(fitted, m.row, rowTargets);
  balance(quotas, fitted, m, colTargets, whTargets);
  fixSplits(quotas, fitted, splits);
  return quotas;
}

/** Iterative proportional fitting to one-way margins given as (group of each cell, group targets). */
function rake(seed: Float64Array, margins: [Int32Array, number[]][]): Float64Array {
  const m = Float64Array.from(seed);
  const sums = margins.map(([, targets]) => new Float64Array(targets.length));
  for (let iteration = 0; iteration < 1000; ++iteration) {
    let worst = 0;
    for (const [k, [group, targets]] of margins.entries()) {
      const sum = sums[k].fill(0);
      for (let c = 0; c < m.length; ++c) sum[group[c]] += m[c];
      for (let g = 0; g < targets.length; ++g) {
        worst = Math.max(worst, Math.abs(sum[g] - targets[g]));
        if (sum[g] <= 0 && targets[g] > 0)
          throw new Error("synthetic data: a tier target has no reachable cell in the prior");
      }
      for (let c = 0; c < m.length; ++c) if (sum[group[c]] > 0) m[c] *= targets[group[c]] / sum[group[c]];
    }
    if (worst < 1e-7) break;
  }
  return m;
}

/** Rounds each row of the fitted table to integers summing to the row's target (largest remainder). */
function roundRows(fitted: Float64Array, row: Int32Array, targets: number[]): Int32Array {
  const out = new Int32Array(fitted.length);
  const members: number[][] = targets.map(() => []);
  for (let c = 0; c < fitted.length; ++c) if (fitted[c] > 0) members[row[c]].push(c);
  for (let r = 0; r < targets.length; ++r) {
    let total = 0;
    for (const c of members[r]) total += out[c] = Math.floor(fitted[c]);
    const order = members[r]
      .slice()
      .sort((a, b) => fitted[b] - Math.floor(fitted[b]) - (fitted[a] - Math.floor(fitted[a])) || a - b);
    for (let k = 0; total < targets[r] && order.length > 0; ++k, ++total) out[order[k % order.length]]++;
  }
  return out;
}

/**
 * Moves single units between cells of the same row (so the row counts stay exact) while that
 * brings the V3.1-by-split and wirehouse totals closer to their targets. Only cells the fit left
 * non-empty receive units, preferring the ones furthest below their fitted value.
 */
function balance(q: Int32Array, fitted: Float64Array, m: Margins, cols: number[], wh: number[]): void {
  const colError = cols.map((t) => -t);
  const whError = wh.map((t) => -t);
  for (let c = 0; c < q.length; ++c) {
    colError[m.col[c]] += q[c];
    whError[m.wh[c]] += q[c];
  }
  const rows: number[][] = [];
  for (let c = 0; c < q.length; ++c) if (fitted[c] > 0) (rows[m.row[c]] ??= []).push(c);
  const drift = (c: number, d: number) => (q[c] + d - fitted[c]) ** 2 - (q[c] - fitted[c]) ** 2;
  for (let step = 0; step < 100_000; ++step) {
    let best = -1e-9;
    let from = -1;
    let to = -1;
    for (const cells of rows) {
      if (!cells) continue;
      for (const x of cells) {
        if (q[x] === 0) continue;
        for (const y of cells) {
          if (y === x) continue;
          let delta = 0;
          if (m.col[x] !== m.col[y]) delta += 2 - 2 * colError[m.col[x]] + 2 * colError[m.col[y]];
          if (m.wh[x] !== m.wh[y]) delta += 2 - 2 * whError[m.wh[x]] + 2 * whError[m.wh[y]];
          delta += 1e-3 * (drift(x, -1) + drift(y, 1));
          if (delta < best) {
            best = delta;
            from = x;
            to = y;
          }
        }
      }
    }
    if (from < 0) break;
    q[from]--;
    q[to]++;
    colError[m.col[from]]--;
    colError[m.col[to]]++;
    whError[m.wh[from]]--;
    whError[m.wh[to]]++;
  }
}

/** Makes the GAP and TEST totals exact (TRAIN already is), moving units between a cell's GAP and TEST twins. */
function fixSplits(q: Int32Array, fitted: Float64Array, splits: number[]): void {
  const total = [0, 0, 0];
  for (let c = 0; c < q.length; ++c) total[c % SPLIT_COUNT] += q[c];
  while (total[1] !== splits[1]) {
    const [from, to] = total[1] > splits[1] ? [1, 2] : [2, 1];
    let best = -1;
    for (let f = 0; f < FEATURE_CELLS; ++f) {
      const x = f * SPLIT_COUNT + from;
      const y = f * SPLIT_COUNT + to;
      if (q[x] > 0 && fitted[y] > 0 && (best < 0 || q[x] > q[best * SPLIT_COUNT + from])) best = f;
    }
    if (best < 0) throw new Error("synthetic data: cannot balance the GAP and TEST quotas");
    q[best * SPLIT_COUNT + from]--;
    q[best * SPLIT_COUNT + to]++;
    total[from]--;
    total[to]++;
  }
}
