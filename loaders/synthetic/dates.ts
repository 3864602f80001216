/**
 * Splits, contact dates and MQL dates. The table is laid out as consecutive blocks of rows, TRAIN
 * (itself cut into the backtest's segments, segments.ts), GAP and TEST, with the seeds' exact
 * (scaled) sizes; each block gets dates drawn within its period — weekdays far more often than
 * weekends — in ascending order, so lead ids follow time.
 */
import type {Rng} from "./rng.js";
import {DAYS_TO_MQL_QUANTILES, EXPORT_DATE} from "./targets.js";

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function epochDay(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

/** Relative contact volume by weekday (Sunday first). */
const WEEKDAY_WEIGHT = [0.08, 1, 1, 1, 1, 0.95, 0.12];

/** A day's relative contact volume (days since epoch). */
export function dayWeight(day: number): number {
  return WEEKDAY_WEIGHT[new Date(day * DAY_MS).getUTCDay()];
}

export interface Contacts {
  /** Split index per row (0 TRAIN, 1 GAP, 2 TEST). */
  split: Uint8Array;
  /** Period index per row (segments.ts PERIODS). */
  period: Uint8Array;
  /** Contact date per row, days since epoch, ascending. */
  contacted: Int32Array;
}

/**
 * Contact dates for consecutive blocks of rows, `counts[p]` rows per period, each block's dates
 * drawn within its period in ascending order; a split's first and last days are always used.
 */
export function assignContacts(
  periods: readonly {split: number; first: number; last: number}[],
  counts: readonly number[],
  rng: Rng
): Contacts {
  const rows = counts.reduce((a, b) => a + b, 0);
  const split = new Uint8Array(rows);
  const period = new Uint8Array(rows);
  const contacted = new Int32Array(rows);
  let at = 0;
  for (let p = 0; p < periods.length; ++p) {
    const n = counts[p];
    const {split: s, first, last} = periods[p];
    split.fill(s, at, at + n);
    period.fill(p, at, at + n);
    fillDates(contacted, at, n, first, last, rng);
    at += n;
  }
  // The split's own window ends, as the seeds' split boundaries are dates that occur.
  for (let s = 0, from = 0; from < rows; ++s) {
    let to = from;
    while (to < rows && split[to] === s) ++to;
    if (to - from >= 2) {
      contacted[from] = Math.min(...periods.filter((q) => q.split === s).map((q) => q.first));
      contacted[to - 1] = Math.max(...periods.filter((q) => q.split === s).map((q) => q.last));
    }
    from = to;
  }
  return {split, period, contacted};
}

/** Writes `n` ascending dates in [first, last] at `out[at..]`. */
function fillDates(out: Int32Array, at: number, n: number, first: number, last: number, rng: Rng): void {
  if (n === 0) return;
  const days = last - first + 1;
  const cdf = new Float64Array(days);
  let sum = 0;
  for (let d = 0; d < days; ++d) cdf[d] = sum += dayWeight(first + d);
  // A guide table: the first day whose cumulative weight passes each 1/G of the total.
  const G = 8 * days;
  const guide = new Int32Array(G);
  for (let g = 0, d = 0; g < G; ++g) {
    while (cdf[d] <= (g / G) * sum) ++d;
    guide[g] = d;
  }
  const histogram = new Int32Array(days);
  for (let i = 0; i < n; ++i) {
    const x = rng.next() * sum;
    let d = guide[Math.floor((x / sum) * G)];
    while (cdf[d] <= x) ++d;
    histogram[d]++;
  }
  let i = at;
  for (let d = 0; d < days; ++d) for (let k = 0; k < histogram[d]; ++k) out[i++] = first + d;
}

/** Marks a missing MQL date. */
export const NO_DATE = -2147483648;

/**
 * MQL dates: contact date + days to MQL for converted leads (the seeds' Phase 0.2 distribution),
 * {@link NO_DATE} for the others. The converted leads' quantiles are stratified (one per 1/K slice,
 * in random order), so the realized percentiles sit on the seeds' values. No MQL may fall after the
 * export date: a long delay drawn for a recent lead is swapped with a shorter one of an earlier
 * lead (as right-censoring would have it), and only if none is found redrawn within the top decile.
 */
export function mqlDates(contacted: Int32Array, target: Int8Array, rng: Rng): Int32Array {
  const out = new Int32Array(contacted.length).fill(NO_DATE);
  const exportDay = epochDay(EXPORT_DATE);
  const rows: number[] = [];
  for (let i = 0; i < target.length; ++i) if (target[i] === 1) rows.push(i);
  const k = rows.length;
  const slice = new Int32Array(k);
  for (let j = 0; j < k; ++j) slice[j] = j;
  rng.shuffle(slice);
  const days = new Int32Array(k);
  const room = new Int32Array(k);
  for (let j = 0; j < k; ++j) {
    days[j] = daysToMql((slice[j] + rng.next()) / k);
    room[j] = exportDay - contacted[rows[j]];
  }
  for (let j = 0; j < k; ++j) {
    if (days[j] <= room[j]) continue;
    for (let attempt = 0; attempt < 100 && days[j] > room[j]; ++attempt) {
      const other = Math.floor(rng.next() * k);
      if (room[other] >= days[j] && days[other] <= room[j]) {
        const t = days[j];
        days[j] = days[other];
        days[other] = t;
      }
    }
    if (days[j] > room[j]) {
      const top = mqlCdf(room[j] + 1);
      days[j] = Math.min(room[j], daysToMql(top > 0.9 ? 0.9 + (top - 0.9) * rng.next() : top * rng.next()));
    }
  }
  for (let j = 0; j < k; ++j) out[rows[j]] = contacted[rows[j]] + days[j];
  return out;
}

/** The days-to-MQL quantile function (floor of the piecewise-linear knots). */
export function daysToMql(u: number): number {
  const q = DAYS_TO_MQL_QUANTILES;
  for (let k = 1; k < q.length; ++k) {
    if (u < q[k][0]) {
      const [p0, d0] = q[k - 1];
      const [p1, d1] = q[k];
      return Math.floor(d0 + ((u - p0) / (p1 - p0)) * (d1 - d0));
    }
  }
  return q[q.length - 1][1];
}

/** P(days < x) under {@link daysToMql}'s continuous knots. */
function mqlCdf(x: number): number {
  const q = DAYS_TO_MQL_QUANTILES;
  for (let k = 1; k < q.length; ++k) {
    if (x <= q[k][1]) {
      const [p0, d0] = q[k - 1];
      const [p1, d1] = q[k];
      return d1 === d0 ? p0 : p0 + ((x - d0) / (d1 - d0)) * (p1 - p0);
    }
  }
  return 1;
}
