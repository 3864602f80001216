/**
 * The statistics behind every number in a tier report: Wilson intervals
 * (never Wald), a pooled two-proportion z test, Holm's correction, mean and sample SD. Undefined
 * results are `null`, never NaN.
 */

/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal. */
export const Z95 = 1.959963984540054;

function checkCounts(successes: number, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be a whole number between 0 and n = ${n}, got ${successes}`);
  }
}

/**
 * Wilson score interval for a proportion `successes / n`, clamped to [0, 1]; null when n = 0.
 * Unlike the Wald interval it stays inside [0, 1] and is sensible at 0 or n successes.
 */
export function wilson(successes: number, n: number, z: number = Z95): [number, number] | null {
  checkCounts(successes, n);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const low = successes === 0 ? 0 : Math.max(0, center - half);
  const high = successes === n ? 1 : Math.min(1, center + half);
  return [low, high];
}

/**
 * The complementary error function, to a few parts in 1e15 (relative) everywhere: the series
 * erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(2n+1)!! (all terms positive, no cancellation) below 1,
 * the Laplace continued fraction (modified Lentz, under 200 terms) from 1 up.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Infinity) return 0;
  if (x < 1) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > sum * 1e-17; ++n) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1 / (x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; ++n) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** The standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|). */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

export interface TwoProportionTest {
  /** Rate difference x1/n1 − x2/n2. */
  difference: number;
  /** Pooled z statistic. */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
}

/**
 * Pooled two-proportion z test of x1/n1 against x2/n2 (the χ² test without continuity
 * correction). Null when either sample is empty; z = 0, p = 1 when both rates are 0 or both 1.
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TwoProportionTest | null {
  checkCounts(x1, n1);
  checkCounts(x2, n2);
  if (n1 === 0 || n2 === 0) return null;
  const difference = x1 / n1 - x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return {difference, z: 0, pValue: 1};
  const z = difference / se;
  return {difference, z, pValue: twoSidedP(z)};
}

/**
 * Holm's step-down adjustment: the i-th smallest of m p-values is multiplied by (m − i + 1),
 * then made monotone and capped at 1. Nulls (tests not run) stay null and do not count in m.
 * Returned in the input order.
 */
export function holm(pValues: readonly (number | null)[]): (number | null)[] {
  const present = pValues.flatMap((p, i) => (p === null ? [] : [{p, i}]));
  for (const {p} of present) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  present.sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  present.forEach(({p, i}, rank) => {
    running = Math.max(running, Math.min(1, (present.length - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** Arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n − 1 in the denominator); null for fewer than two values. */
export function sampleSd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values)!;
  let squares = 0;
  for (const v of values) squares += (v - m) * (v - m);
  return Math.sqrt(squares / (values.length - 1));
}

/**
 * One-sided p-value of the pooled two-proportion z test that x1/n1 is greater than x2/n2:
 * P(Z ≥ z) = Φ(−z). Null when either sample is empty; 0.5 when the pooled rate is 0 or 1 (z = 0).
 */
export function oneSidedGreaterP(x1: number, n1: number, x2: number, n2: number): number | null {
  const test = twoProportionTest(x1, n1, x2, n2);
  return test === null ? null : normalCdf(-test.z);
}

/**
 * The Katz log interval for the ratio of two independent proportions (x1/n1) / (x2/n2)
 * (Katz, Baptista, Azen & Pike, Biometrics 34, 1978, method C): exp(ln RR ± z·SE) with
 * SE² = 1/x1 − 1/n1 + 1/x2 − 1/n2. Null when either proportion is 0 (ln 0) or a sample is empty.
 */
export function katzRatioCi(x1: number, n1: number, x2: number, n2: number, z: number = Z95): [number, number] | null {
  checkCounts(x1, n1);
  checkCounts(x2, n2);
  if (x1 === 0 || x2 === 0) return null;
  const ratio = x1 / n1 / (x2 / n2);
  const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
  return [ratio * Math.exp(-z * se), ratio * Math.exp(z * se)];
}

/** Positives and negatives at one level of an ordinal score (a tier), best level first. */
export interface OrdinalCell {
  positives: number;
  negatives: number;
}

export interface Discrimination {
  /** P(a positive ranks above a negative) + ½ P(same level); null without positives or negatives. */
  auc: number | null;
  /** 2·AUC − 1. */
  gini: number | null;
  /** The largest |cumulative share of positives − cumulative share of negatives| over the level boundaries. */
  ks: number | null;
}

/**
 * AUC (ties counted half: the Mann–Whitney U over positives and negatives, divided by P·N), Gini
 * and KS of an ordinal score given as levels ordered best first. Levels may be empty.
 */
export function discrimination(levels: readonly OrdinalCell[]): Discrimination {
  for (const l of levels) {
    if (!Number.isInteger(l.positives) || l.positives < 0 || !Number.isInteger(l.negatives) || l.negatives < 0)
      throw new RangeError(`counts must be whole numbers ≥ 0, got ${JSON.stringify(l)}`);
  }
  const P = levels.reduce((s, l) => s + l.positives, 0);
  const N = levels.reduce((s, l) => s + l.negatives, 0);
  if (P === 0 || N === 0) return {auc: null, gini: null, ks: null};
  // Walking from the worst level up: a positive outranks every negative already passed.
  let below = 0;
  let u = 0;
  for (let i = levels.length - 1; i >= 0; --i) {
    u += levels[i].positives * (below + levels[i].negatives / 2);
    below += levels[i].negatives;
  }
  let cumP = 0;
  let cumN = 0;
  let ks = 0;
  for (const l of levels) {
    cumP += l.positives;
    cumN += l.negatives;
    ks = Math.max(ks, Math.abs(cumP / P - cumN / N));
  }
  const auc = u / (P * N);
  return {auc, gini: 2 * auc - 1, ks};
}
