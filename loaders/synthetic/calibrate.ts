/**
 * Conversion calibration. A lead's conversion probability depends only on its cell key: period
 * (TRAIN's backtest segments, GAP, TEST; segments.ts) × wirehouse × V3.2 tier × V3.1 tier × signal
 * bits. The probability is a product of one factor per margin group the cell belongs to — its
 * split, wirehouse flag, tier in each rule set, tier within TRAIN (both rule sets) and TEST (V3.1),
 * signals, TRAIN segment and V3.1 Tier 1 within a TRAIN segment — raked until the expected
 * conversions hit every target at once: split rates, the non-wirehouse baseline, each tier's rate
 * over all leads, over TRAIN and (V3.1) over TEST, each signal's lift, and per segment the
 * conversions that make every backtest test window's rate and Tier 1 conversions the seeds'. Expected counts are then rounded per key
 * so that every margin's realized conversions are as close to its target as whole leads allow, and
 * the converting leads are drawn at random within each key.
 */
import type {Rng} from "./rng.js";
import {PERIOD_COUNT, PERIODS, SEGMENT_COUNT, spreadWhole, WINDOW_SEGMENTS, windowConversions, windowTargets} from "./segments.js";
import {NON_WIREHOUSE_RATE, scaleCount, scaleCounts, SEED_POSITIVES, SIGNALS, SPLITS, V31_TIERS, V32_TIERS} from "./targets.js";
import {SIGNAL_COUNT, V31_COUNT, V32_COUNT} from "./tiers.js";

const SPLIT_COUNT = SPLITS.length;
const MASKS = 1 << SIGNAL_COUNT;
/** Keys: ((((v32 × 5 + v31) × 128 + signal mask) × 2 + wirehouse) × periods + period). */
export const KEY_COUNT = V32_COUNT * V31_COUNT * MASKS * 2 * PERIOD_COUNT;
/** No cell converts with certainty. */
const MAX_RATE = 0.9;

export function keyOf(v32: number, v31: number, mask: number, wirehouse: number, period: number): number {
  return (((v32 * V31_COUNT + v31) * MASKS + mask) * 2 + wirehouse) * PERIOD_COUNT + period;
}

/** Margin groups, numbered by family: [first, end) of each. */
const FAMILIES = (() => {
  const sizes = {
    split: SPLIT_COUNT,
    wh: 2,
    v32: V32_COUNT,
    tier1: 1,
    v31: V31_COUNT,
    v32Train: V32_COUNT,
    v31Train: V31_COUNT,
    v31Test: V31_COUNT,
    signal: SIGNAL_COUNT,
    segment: SEGMENT_COUNT,
    tier1Segment: SEGMENT_COUNT
  };
  let at = 0;
  const out = {} as Record<keyof typeof sizes, number>;
  for (const [name, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
    out[name] = at;
    at += size;
  }
  return {...out, count: at};
})();
const GROUP_RANGES: [number, number][] = [
  [FAMILIES.split, FAMILIES.wh],
  [FAMILIES.wh, FAMILIES.v32],
  [FAMILIES.v32, FAMILIES.tier1],
  [FAMILIES.tier1, FAMILIES.v31],
  [FAMILIES.v31, FAMILIES.v32Train],
  [FAMILIES.v32Train, FAMILIES.v31Train],
  [FAMILIES.v31Train, FAMILIES.v31Test],
  [FAMILIES.v31Test, FAMILIES.signal],
  [FAMILIES.signal, FAMILIES.segment],
  [FAMILIES.segment, FAMILIES.tier1Segment],
  [FAMILIES.tier1Segment, FAMILIES.count]
];

/** The non-empty keys, their sizes and margin groups (flattened: groups[start[c]..start[c+1]]). */
interface Cells {
  key: Int32Array;
  n: Float64Array;
  start: Int32Array;
  groups: Int32Array;
}

function cellsOf(counts: Int32Array): Cells {
  const keys: number[] = [];
  for (let k = 0; k < KEY_COUNT; ++k) if (counts[k] > 0) keys.push(k);
  const m = keys.length;
  const start = new Int32Array(m + 1);
  const groups: number[] = [];
  for (let c = 0; c < m; ++c) {
    let k = keys[c];
    const period = k % PERIOD_COUNT;
    const split = PERIODS[period].split;
    k = (k - period) / PERIOD_COUNT;
    const wh = k % 2;
    k = (k - wh) / 2;
    const mask = k % MASKS;
    k = (k - mask) / MASKS;
    const v31 = k % V31_COUNT;
    const v32 = (k - v31) / V31_COUNT;
    groups.push(FAMILIES.split + split, FAMILIES.wh + wh, FAMILIES.v32 + v32, FAMILIES.v31 + v31);
    if (v32 <= 2) groups.push(FAMILIES.tier1); // consolidated Tier 1 (1A + 1B + 1C)
    if (split === 0) groups.push(FAMILIES.v32Train + v32, FAMILIES.v31Train + v31);
    if (split === 2) groups.push(FAMILIES.v31Test + v31);
    for (let b = 0; b < SIGNAL_COUNT; ++b) if (mask & (1 << b)) groups.push(FAMILIES.signal + b);
    if (split === 0) groups.push(FAMILIES.segment + period);
    if (split === 0 && v31 === 0) groups.push(FAMILIES.tier1Segment + period);
    start[c + 1] = groups.length;
  }
  return {
    key: Int32Array.from(keys),
    n: Float64Array.from(keys, (k) => counts[k]),
    start,
    groups: Int32Array.from(groups)
  };
}

/** Target conversions per margin group, each family consistent with the split targets' total. */
function groupTargets(cells: Cells, rows: number): {target: Float64Array; size: Float64Array} {
  const size = new Float64Array(FAMILIES.count);
  for (let c = 0; c < cells.n.length; ++c)
    for (let j = cells.start[c]; j < cells.start[c + 1]; ++j) size[cells.groups[j]] += cells.n[c];
  const target = new Float64Array(FAMILIES.count);
  let total = 0;
  // Whole conversions per split (TRAIN's segments' are whole too, segmentTargets), summing to the
  // seeds' positive count: the split rates' products shared out by largest remainder.
  const whole = scaleCounts(
    SPLITS.map((t, s) => size[FAMILIES.split + s] * t.rate),
    scaleCount(SEED_POSITIVES, rows)
  );
  for (let s = 0; s < SPLIT_COUNT; ++s) total += target[FAMILIES.split + s] = whole[s];
  const train = target[FAMILIES.split];
  const test = target[FAMILIES.split + 2];
  const normalized = (offset: number, rates: readonly number[], sum: number) => {
    let raw = 0;
    for (let i = 0; i < rates.length; ++i) raw += size[offset + i] * rates[i];
    for (let i = 0; i < rates.length; ++i) target[offset + i] = raw > 0 ? (size[offset + i] * rates[i] * sum) / raw : 0;
  };
  normalized(
    FAMILIES.v32,
    V32_TIERS.map((t) => t.rate),
    total
  );
  target[FAMILIES.tier1] = target[FAMILIES.v32] + target[FAMILIES.v32 + 1] + target[FAMILIES.v32 + 2];
  normalized(
    FAMILIES.v31,
    V31_TIERS.map((t) => t.rate),
    total
  );
  normalized(
    FAMILIES.v32Train,
    V32_TIERS.map((t) => t.trainRate),
    train
  );
  normalized(
    FAMILIES.v31Train,
    V31_TIERS.map((t) => t.trainRate),
    train
  );
  normalized(
    FAMILIES.v31Test,
    V31_TIERS.map((t) => t.testRate ?? 0),
    test
  );
  target[FAMILIES.wh] = Math.min(size[FAMILIES.wh] * NON_WIREHOUSE_RATE, total);
  target[FAMILIES.wh + 1] = total - target[FAMILIES.wh];
  for (let b = 0; b < SIGNAL_COUNT; ++b)
    target[FAMILIES.signal + b] = (size[FAMILIES.signal + b] * SIGNALS[b].lift * total) / rows;
  segmentTargets(target, size, rows);
  return {target, size};
}

/**
 * Per TRAIN segment: all leads' conversions and V3.1 Tier 1's (whole numbers), so that each backtest
 * test window's sums are the seeds' (segments.ts), consistent with the TRAIN and Tier 1 TRAIN
 * targets. Where a table is too small for that, conversions are spread evenly over time.
 */
function segmentTargets(target: Float64Array, size: Float64Array, rows: number): void {
  const windows = windowTargets(rows);
  const leads = Array.from(size.subarray(FAMILIES.segment, FAMILIES.segment + SEGMENT_COUNT));
  const tier1 = Array.from(size.subarray(FAMILIES.tier1Segment, FAMILIES.tier1Segment + SEGMENT_COUNT));
  const inWindow = (values: number[]) => WINDOW_SEGMENTS.map(([a, b]) => values.slice(a, b).reduce((x, y) => x + y, 0));
  const train = target[FAMILIES.split];
  const tier1Train = target[FAMILIES.v31Train];
  // The Tier 1 windows are only targeted where their volumes are the seeds' (placement.ts makes them so).
  const volumesHit = inWindow(tier1).every((n, w) => n === windows.tier1[w]);
  const all =
    (volumesHit
      ? spreadWhole(leads, train, windowConversions(inWindow(leads), windows.tier1, windows.tier1Conversions))
      : undefined) ?? leads.map((n) => (n * train) / Math.max(1, size[FAMILIES.split]));
  const t1 =
    (volumesHit ? spreadWhole(tier1, Math.round(tier1Train), windows.tier1Conversions) : undefined) ??
    tier1.map((n) => (n * tier1Train) / Math.max(1, size[FAMILIES.v31Train]));
  // Whole Tier 1 conversions in TRAIN; V3.1 Standard in TRAIN takes the difference, so the family
  // still sums to TRAIN's conversions (margins that disagree would keep the raking from converging).
  const t1Total = t1.reduce((x, y) => x + y, 0);
  target[FAMILIES.v31Train + V31_COUNT - 1] += tier1Train - t1Total;
  target[FAMILIES.v31Train] = t1Total;
  for (let s = 0; s < SEGMENT_COUNT; ++s) {
    target[FAMILIES.segment + s] = all[s];
    target[FAMILIES.tier1Segment + s] = t1[s];
  }
}

/** Rakes one factor per group so expected conversions match the targets; returns each cell's rate. */
function fitRates(cells: Cells, target: Float64Array, rows: number): Float64Array {
  const m = cells.n.length;
  const factor = new Float64Array(FAMILIES.count).fill(1);
  let total = 0;
  for (let s = 0; s < SPLIT_COUNT; ++s) total += target[FAMILIES.split + s];
  const base = total / rows;
  const rate = new Float64Array(m);
  const expected = new Float64Array(FAMILIES.count);
  const measure = () => {
    expected.fill(0);
    for (let c = 0; c < m; ++c) {
      let p = base;
      for (let j = cells.start[c]; j < cells.start[c + 1]; ++j) p *= factor[cells.groups[j]];
      rate[c] = Math.min(p, MAX_RATE);
      const e = cells.n[c] * rate[c];
      for (let j = cells.start[c]; j < cells.start[c + 1]; ++j) expected[cells.groups[j]] += e;
    }
  };
  // Whole conversions are assigned afterwards, so a few hundredths of a conversion is close enough;
  // when some margins cannot all be met at once (the worst error stops shrinking), more sweeps only cost time.
  let checkpoint = Infinity;
  for (let iteration = 0; iteration < 1000; ++iteration) {
    for (const [from, to] of GROUP_RANGES) {
      measure();
      for (let g = from; g < to; ++g) if (expected[g] > 0) factor[g] *= target[g] / expected[g];
    }
    measure();
    let worst = 0;
    for (let g = 0; g < FAMILIES.count; ++g) worst = Math.max(worst, Math.abs(expected[g] - target[g]));
    if (worst < 0.02) break;
    if (iteration % 20 === 19) {
      if (worst > 0.95 * checkpoint) break;
      checkpoint = worst;
    }
  }
  return rate;
}

/**
 * Whole conversions per cell: systematic rounding in key order, then single-conversion changes —
 * one more or one fewer in a cell, or one moved between cells — while they bring the margins
 * closer to their targets (each cell stays within one of its expected count's floor and ceiling).
 */
function roundConversions(
  cells: Cells,
  rate: Float64Array,
  target: Float64Array,
  size: Float64Array,
  rng: Rng
): Int32Array {
  // The single-conversion changes can stop one conversion short where only a chain of changes
  // would help (a tier's extra conversion in TEST that belongs in TRAIN, say). Another start of the
  // systematic rounding usually avoids that: a few are tried, and the one leaving the fewest
  // groups a whole conversion or more off their targets is kept. Only for small tables: in a big one
  // a conversion more or less no longer shows in a published decimal, and each start is a full pass.
  const attempts = cells.n.reduce((a, b) => a + b, 0) <= 100_000 ? 8 : 1;
  let best: {count: Int32Array; miss: number} | undefined;
  for (let attempt = 0; attempt < attempts && (best?.miss ?? 1) > 0; ++attempt) {
    const result = roundOnce(cells, rate, target, size, rng.next());
    if (!best || result.miss < best.miss) best = result;
  }
  return best!.count;
}

function roundOnce(
  cells: Cells,
  rate: Float64Array,
  target: Float64Array,
  size: Float64Array,
  u: number
): {count: Int32Array; miss: number} {
  const m = cells.n.length;
  const count = new Int32Array(m);
  const lo = new Int32Array(m);
  const hi = new Int32Array(m);
  let cumulative = 0;
  for (let c = 0; c < m; ++c) {
    const e = cells.n[c] * rate[c];
    const before = Math.floor(cumulative + u);
    cumulative += e;
    count[c] = Math.floor(cumulative + u) - before;
    lo[c] = Math.max(0, Math.floor(e) - 1);
    hi[c] = Math.min(cells.n[c], Math.ceil(e) + 1);
  }
  // Squared errors are weighted by 1/size: what matters is each group's rate, so small groups
  // (a 400-lead signal, an 84-lead tier) get their conversions right first.
  const error = new Float64Array(FAMILIES.count);
  const weight = new Float64Array(FAMILIES.count);
  for (let g = 0; g < FAMILIES.count; ++g) {
    error[g] = -target[g];
    weight[g] = 1 / Math.max(size[g], 1);
  }
  // Tier 1A/1B/1C over all leads are not published (only consolidated Tier 1 and their TRAIN rows
  // are; targets.ts), so they yield to the published groups when whole conversions must choose.
  for (let g = FAMILIES.v32; g < FAMILIES.v32 + 3; ++g) weight[g] *= 0.1;
  const {start, groups} = cells;
  for (let c = 0; c < m; ++c) for (let j = start[c]; j < start[c + 1]; ++j) error[groups[j]] += count[c];

  const mark = new Uint8Array(FAMILIES.count);
  const gain = (c: number, d: number) => {
    let delta = 0;
    for (let j = start[c]; j < start[c + 1]; ++j) delta += weight[groups[j]] * (1 + 2 * d * error[groups[j]]);
    return delta;
  };
  const apply = (c: number, d: number) => {
    count[c] += d;
    for (let j = start[c]; j < start[c + 1]; ++j) error[groups[j]] += d;
  };
  for (let sweep = 0; sweep < 200; ++sweep) {
    let moved = 0;
    // One conversion more or fewer in a cell (the total itself is only right to within one).
    for (let c = 0; c < m; ++c) {
      if (count[c] < hi[c] && gain(c, 1) < -1e-12) {
        apply(c, 1);
        ++moved;
      } else if (count[c] > lo[c] && gain(c, -1) < -1e-12) {
        apply(c, -1);
        ++moved;
      }
    }
    // One conversion moved from cell a to cell b.
    for (let a = 0; a < m; ++a) {
      if (count[a] <= lo[a]) continue;
      // Moving one conversion from a to b changes a group's squared error by 1 - 2e if it loses
      // one, 1 + 2e if it gains one, and not at all if it holds both cells.
      let best = -1e-12;
      let bestB = -1;
      for (let b = 0; b < m; ++b) {
        if (b === a || count[b] >= hi[b]) continue;
        for (let j = start[b]; j < start[b + 1]; ++j) mark[groups[j]] = 1;
        let delta = 0;
        for (let j = start[a]; j < start[a + 1]; ++j) {
          const g = groups[j];
          if (mark[g]) mark[g] = 2;
          else delta += weight[g] * (1 - 2 * error[g]);
        }
        for (let j = start[b]; j < start[b + 1]; ++j) {
          const g = groups[j];
          if (mark[g] === 1) delta += weight[g] * (1 + 2 * error[g]);
          mark[g] = 0;
        }
        if (delta < best) {
          best = delta;
          bestB = b;
        }
      }
      if (bestB >= 0) {
        apply(a, -1);
        apply(bestB, 1);
        ++moved;
      }
    }
    if (moved === 0) break;
  }
  let miss = 0;
  for (let g = 0; g < FAMILIES.count; ++g) if (Math.abs(error[g]) >= 0.5 && weight[g] * size[g] >= 1) miss += Math.abs(error[g]);
  return {count, miss};
}

/** Assigns `target` (0/1) to every row from its cell key; `keys[i]` is row i's {@link keyOf}. */
export function assignTargets(keys: Int32Array, rng: Rng): Int8Array {
  const rows = keys.length;
  const counts = new Int32Array(KEY_COUNT);
  for (let i = 0; i < rows; ++i) counts[keys[i]]++;
  const cells = cellsOf(counts);
  const {target, size} = groupTargets(cells, rows);
  const rate = fitRates(cells, target, rows);
  const conversions = roundConversions(cells, rate, target, size, rng);

  // Rows grouped by key (counting sort), then a random subset of each key's rows converts.
  const start = new Int32Array(KEY_COUNT + 1);
  for (let k = 0; k < KEY_COUNT; ++k) start[k + 1] = start[k] + counts[k];
  const fill = start.slice(0, KEY_COUNT);
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; ++i) order[fill[keys[i]]++] = i;
  const out = new Int8Array(rows);
  for (let c = 0; c < cells.key.length; ++c) {
    const from = start[cells.key[c]];
    const n = cells.n[c];
    for (let j = 0; j < conversions[c]; ++j) {
      const pick = from + j + Math.floor(rng.next() * (n - j));
      const t = order[pick];
      order[pick] = order[from + j];
      order[from + j] = t;
      out[t] = 1;
    }
  }
  return out;
}
