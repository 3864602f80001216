/**
 * The embedded synthetic leads dataset: deterministic for a seed, shaped like the seeds' feature
 * table and calibrated so that, at the default size, their published tier, split, signal and
 * backtest tables come out as published (generator.test.ts).
 *
 * 1. Features come from the persona prior (features.ts); a candidate is kept only while its
 *    (V3.2 tier, V3.1 tier, wirehouse) cell has quota left (quotas.ts), which fixes tier volumes,
 *    and its split is drawn from that cell's remaining split quotas.
 * 2. Each period (TRAIN's backtest segments, GAP, TEST; segments.ts) is a block of rows with
 *    ascending contact dates (dates.ts). A TRAIN lead's segment is drawn from what is left of its
 *    segment quotas — V3.1 Tier 1's own, so each backtest test window holds the seeds' Tier 1
 *    volume, and everyone else's — and it lands at a uniformly random row of that block (placement.ts).
 * 3. Conversion is calibrated per cell key (calibrate.ts); MQL dates follow for converted leads.
 */
import {Table} from "apache-arrow";
import {dateDayVector, float64Vector, intVector, labelVector, sequentialIdVector} from "./arrow.js";
import {assignTargets, keyOf} from "./calibrate.js";
import {assignContacts, mqlDates, NO_DATE} from "./dates.js";
import {emptyCandidate, LEAD_SOURCES, sampleCandidate} from "./features.js";
import {Placement} from "./placement.js";
import {cellQuotas, FEATURE_CELLS, featureCell, SPLIT_COUNT} from "./quotas.js";
import {Rng} from "./rng.js";
import {PERIODS, periodCounts, periodOfSplit, SEGMENT_COUNT, spreadWhole, windowTargets} from "./segments.js";
import {scaleCounts, SEED_ROWS, SPLITS} from "./targets.js";
import {signalMask, tierV31, tierV32, V31_COUNT} from "./tiers.js";

export interface GenerateOptions {
  /** Number of leads (default 39,448, the seeds' table). */
  rows?: number;
  /** PRNG seed (default 42); the same seed always gives the same table. */
  seed?: number;
}

export const DEFAULT_ROWS = SEED_ROWS;
export const DEFAULT_SEED = 42;

/** A guard against runaway requests: generating takes about 150 bytes of memory per row. */
const MAX_ROWS = 20_000_000;

/** Int32 values per kept-lead record: tenure, industry tenure, net change, reps, prior firms,
 * packed small values (wirehouse, moves, source, signal mask, V3.2 and V3.1 tiers), restlessness in
 * thousandths, CRD. */
const RECORD = 8;

/** Stream numbers for {@link Rng.fork}: each stage draws from its own stream. */
const STREAM = {features: 1, placement: 2, contacts: 3, targets: 4, mql: 5, crd: 6, split: 7} as const;

/** Generates the synthetic leads table (one row per contacted lead). */
export function generateLeads(options: GenerateOptions = {}): Table {
  const rows = options.rows ?? DEFAULT_ROWS;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > MAX_ROWS) {
    throw new RangeError(`rows must be an integer from 1 to ${MAX_ROWS.toLocaleString("en-US")}, got ${rows}`);
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const root = new Rng(seed);

  // Each period is a block of rows; a kept lead lands at a uniformly random row of its block.
  const counts = periodCounts(rows);
  const placement = new Placement(counts);
  const placementRng = root.fork(STREAM.placement);

  const quota = cellQuotas(rows);
  const segmentsLeft = segmentQuotas(quota, counts.slice(0, SEGMENT_COUNT), rows);
  const left = new Int32Array(FEATURE_CELLS);
  for (let f = 0; f < FEATURE_CELLS; ++f) for (let s = 0; s < SPLIT_COUNT; ++s) left[f] += quota[f * SPLIT_COUNT + s];
  const rng = root.fork(STREAM.features);
  const splitRng = root.fork(STREAM.split);
  const crdMap = crdMapping(root.fork(STREAM.crd));
  const c = emptyCandidate();
  // Kept leads are written as 8-value records (one cache line per two rows), unpacked below.
  const record = new Int32Array(rows * RECORD);
  // Every non-empty quota cell has pilot share >= 3e-5, so this cap is never reached in practice.
  const maxDraws = 50 * rows + 2_000_000;
  for (let draws = 0, kept = 0; kept < rows; ++draws) {
    if (draws > maxDraws)
      throw new Error("synthetic data: could not fill the tier quotas (prior too far from targets)");
    sampleCandidate(rng, c);
    const v32 = tierV32(c.tenure, c.industry, c.netChange, c.reps, c.prior, c.wirehouse);
    const v31 = tierV31(c.tenure, c.industry, c.netChange, c.wirehouse);
    const cell = featureCell(v32, v31, c.wirehouse);
    if (left[cell] === 0) continue;
    // The split: drawn from the cell's remaining split quotas, so each split gets exactly its share.
    let r = Math.floor(splitRng.next() * left[cell]);
    let s = 0;
    while (r >= quota[cell * SPLIT_COUNT + s]) r -= quota[cell * SPLIT_COUNT + s++];
    quota[cell * SPLIT_COUNT + s]--;
    left[cell]--;
    const period = s === 0 ? segmentsLeft.draw(v31 === 0, placementRng) : periodOfSplit(s);
    const at = placement.next(period, placementRng) * RECORD;
    const mask = signalMask(c.tenure, c.netChange, c.reps, c.prior);
    record[at] = c.tenure;
    record[at + 1] = c.industry;
    record[at + 2] = c.netChange;
    record[at + 3] = c.reps;
    record[at + 4] = c.prior;
    record[at + 5] = c.wirehouse | (c.moves << 1) | (c.source << 4) | (mask << 7) | (v32 << 14) | (v31 << 17);
    record[at + 6] = c.restlessnessMilli;
    record[at + 7] = crdMap(kept++);
  }
  placement.shuffleChunks(record, RECORD, placementRng);

  const tenure = new Int16Array(rows);
  const industry = new Int16Array(rows);
  const netChange = new Int16Array(rows);
  const reps = new Int32Array(rows);
  const prior = new Int16Array(rows);
  const wirehouse = new Int8Array(rows);
  const moves = new Int16Array(rows);
  const restlessness = new Float64Array(rows);
  const source = new Uint8Array(rows);
  const crd = new Int32Array(rows);
  const packed = new Int32Array(rows);
  for (let i = 0, at = 0; i < rows; ++i, at += RECORD) {
    tenure[i] = record[at];
    industry[i] = record[at + 1];
    netChange[i] = record[at + 2];
    reps[i] = record[at + 3];
    prior[i] = record[at + 4];
    const bits = (packed[i] = record[at + 5]);
    wirehouse[i] = bits & 1;
    moves[i] = (bits >> 1) & 7;
    source[i] = (bits >> 4) & 7;
    restlessness[i] = record[at + 6] / 1000;
    crd[i] = record[at + 7];
  }

  const {split, period, contacted} = assignContacts(PERIODS, counts, root.fork(STREAM.contacts));
  const keys = packed;
  for (let i = 0; i < rows; ++i) {
    const bits = packed[i];
    keys[i] = keyOf((bits >> 14) & 7, (bits >> 17) & 7, (bits >> 7) & 127, bits & 1, period[i]);
  }
  const target = assignTargets(keys, root.fork(STREAM.targets));
  const mql = mqlDates(contacted, target, root.fork(STREAM.mql));

  return new Table({
    lead_id: sequentialIdVector(rows, "L", 7),
    advisor_crd: intVector(crd),
    contacted_date: dateDayVector(contacted),
    mql_date: dateDayVector(mql, NO_DATE),
    target: intVector(target),
    split: labelVector(
      split,
      SPLITS.map((s) => s.name)
    ),
    current_firm_tenure_months: intVector(tenure, -1),
    industry_tenure_months: intVector(industry, -1),
    firm_net_change_12mo: intVector(netChange),
    firm_rep_count_at_contact: intVector(reps),
    num_prior_firms: intVector(prior, -1),
    is_wirehouse: intVector(wirehouse),
    pit_moves_3yr: intVector(moves),
    pit_restlessness_ratio: float64Vector(restlessness),
    lead_source: labelVector(source, LEAD_SOURCES)
  });
}

/**
 * TRAIN's rows per segment, split between V3.1 Tier 1 (so the backtest windows hold the seeds'
 * Tier 1 volumes; spread evenly over time where the table is too small for that) and everyone
 * else. `draw` picks a TRAIN lead's segment from what is left, so every segment fills exactly.
 */
function segmentQuotas(quota: Int32Array, sizes: number[], rows: number) {
  let tier1Train = 0;
  for (let f = 0; f < FEATURE_CELLS; ++f) if ((f >> 1) % V31_COUNT === 0) tier1Train += quota[f * SPLIT_COUNT];
  const tier1 = spreadWhole(sizes, tier1Train, windowTargets(rows).tier1) ?? scaleCounts(sizes, tier1Train);
  const other = sizes.map((n, s) => n - tier1[s]);
  if (other.some((n) => n < 0)) throw new Error("synthetic data: V3.1 Tier 1 does not fit TRAIN's segments");
  const left = [tier1, other];
  const total = [tier1Train, other.reduce((a, b) => a + b, 0)];
  return {
    draw(isTier1: boolean, rng: Rng): number {
      const k = isTier1 ? 0 : 1;
      const quotas = left[k];
      let r = Math.floor(rng.next() * total[k]);
      let s = 0;
      while (r >= quotas[s]) r -= quotas[s++];
      quotas[s]--;
      total[k]--;
      return s;
    }
  };
}

/**
 * 7-digit CRD numbers: an affine map of the kept-candidate index onto 1,000,000..9,999,999,
 * unique for up to nine million leads and in no visible order once rows are placed at random.
 */
function crdMapping(rng: Rng): (j: number) => number {
  const range = 9_000_000; // 2^6 · 3^2 · 5^6: a multiplier coprime to it makes the map one-to-one
  let a = rng.int(1_000_000, range - 1);
  while (a % 2 === 0 || a % 3 === 0 || a % 5 === 0) ++a;
  const b = rng.int(0, range - 1);
  return (j) => 1_000_000 + ((a * j + b) % range);
}
