/**
 * The feature prior: one contacted advisor drawn from a mixture of career personas. The quotas in
 * quotas.ts accept or reject these draws so the tier volumes come out as in the seeds; this file
 * only has to make every tier cell reachable and keep the joint distribution believable:
 *
 * - industry tenure from the career stage; current-firm tenure never exceeds it, and equals it for
 *   advisors who never changed firms;
 * - veterans have more prior firms; "journeymen" (3+ prior firms) move often, so their current
 *   tenure is short, and they sit disproportionately at high-churn (bleeding) firms;
 * - firm size is heavy-tailed: wirehouses are a handful of firms with thousands of reps, large
 *   independent broker-dealers are big too, and a minority of advisors work at 1–10 rep shops
 *   (more so the veterans who broke away to found one);
 * - net change in reps is mostly zero or a little growth, with a few bleeding firms, the large
 *   ones losing tens to hundreds of reps.
 */
import type {Rng} from "./rng.js";

/** One candidate lead's features; -1 is NULL for tenure, industry tenure and prior firms. */
export interface Candidate {
  wirehouse: number;
  reps: number;
  netChange: number;
  industry: number;
  tenure: number;
  prior: number;
  moves: number;
  /** pit_restlessness_ratio in thousandths. */
  restlessnessMilli: number;
  source: number;
}

export function emptyCandidate(): Candidate {
  return {
    wirehouse: 0,
    reps: 0,
    netChange: 0,
    industry: 0,
    tenure: 0,
    prior: 0,
    moves: 0,
    restlessnessMilli: 0,
    source: 0
  };
}

/** Values of `lead_source`, with their shares. */
export const LEAD_SOURCES = ["LinkedIn", "Purchased list", "Website", "Referral", "Event"] as const;
const SOURCE_CDF = cumulative([0.36, 0.3, 0.16, 0.11, 0.07]);

/** Wirehouse head counts (reps); a lead lands at one with probability proportional to its size. */
const WIREHOUSES = [15600, 15100, 12300, 6400];
const WIREHOUSE_CDF = cumulative(WIREHOUSES);
/** Large independent broker-dealers and RIAs, 5,000+ reps. */
const LARGE_FIRMS = [22300, 19400, 10100, 8600, 7000, 5600];
const LARGE_FIRM_CDF = cumulative(LARGE_FIRMS);

/** Shares of the non-wirehouse firm-size bands: 1–10, 11–50, 51–500, 501–5,000 reps, and the large firms. */
const SIZE_BANDS = cumulative([0.075, 0.13, 0.25, 0.235, 0.31]);
const LOG_50_11 = Math.log(50 / 11);
const LOG_500_51 = Math.log(500 / 51);
const LOG_5000_501 = Math.log(5000 / 501);
const EXP_NEG_1 = Math.exp(-1);
const MAX_MONTHS = 42 * 12;
/** P(prior = 0) and P(prior <= 1) for Poisson(0.1 + 0.045 × years), by month of industry tenure. */
const PRIOR_0 = new Float64Array(MAX_MONTHS + 1);
const PRIOR_01 = new Float64Array(MAX_MONTHS + 1);
for (let m = 0; m <= MAX_MONTHS; ++m) {
  const mean = 0.1 + (0.045 * m) / 12;
  PRIOR_0[m] = Math.exp(-mean);
  PRIOR_01[m] = PRIOR_0[m] * (1 + mean);
}
/** exp(-mean) of the extra-moves Poisson, by 2 × min(prior, 6) + journeyman. */
const EXP_NEG_MOVES = Float64Array.from({length: 14}, (_, k) => Math.exp(-(0.3 + 0.12 * (k >> 1) + (k & 1 ? 0.5 : 0))));
/** Recent movers more often joined a small or mid-size firm. */
const MOVER_SIZE_BANDS = cumulative([0.1, 0.24, 0.28, 0.18, 0.2]);

/**
 * Draws one candidate into `c`. Draws a fixed sequence of random numbers per branch, so the same
 * seed always gives the same candidates.
 */
export function sampleCandidate(rng: Rng, c: Candidate): void {
  // Career stage → years in the industry (recruiters rarely call rookies).
  const stage = rng.next();
  const years =
    stage < 0.06
      ? 0.5 + 4.5 * Math.sqrt(rng.next())
      : stage < 0.46
        ? rng.uniform(5, 15)
        : stage < 0.63
          ? rng.uniform(15, 20)
          : rng.uniform(20, 42);
  const industry = Math.floor(years * 12);
  const wirehouse = rng.chance(0.29) ? 1 : 0;

  // Prior firms: veterans have had more; journeymen (3+) are rarer at wirehouses.
  const journeyman = years >= 5 && rng.chance((wirehouse ? 0.3 : 1) * (0.017 + 0.003 * years));
  let prior: number;
  if (journeyman) prior = 3 + rng.poissonFrom(1, EXP_NEG_1);
  else {
    // min(2, Poisson(0.1 + 0.045 × years)), from tables by month of industry tenure.
    const u = rng.next();
    prior = u < PRIOR_0[industry] ? 0 : u < PRIOR_01[industry] ? 1 : 2;
  }
  prior = Math.min(prior, Math.floor(years / 1.3));

  // Tenure at the current firm: the whole career if never moved; journeymen moved recently, and a
  // few others changed firms within the last year.
  let tenure: number;
  if (prior === 0) tenure = industry;
  else if (prior >= 3) tenure = rng.int(1, Math.max(1, Math.min(industry, 84)));
  else tenure = rng.chance(0.05) ? Math.min(industry, rng.int(0, 11)) : Math.floor(industry * Math.sqrt(rng.next()));
  const recentMover = prior >= 1 && tenure >= 12 && tenure <= 48;

  // Firm size: wirehouses are a few huge firms; independents are heavy-tailed. Veterans who moved
  // in the last three years often broke away to a small shop.
  let reps: number;
  if (wirehouse) {
    reps = Math.round(WIREHOUSES[pick(WIREHOUSE_CDF, rng.next())] * (1 + 0.02 * rng.normal()));
  } else {
    const breakaway = prior >= 1 && prior < 3 && tenure >= 12 && tenure <= 36 && industry >= 180 && rng.chance(0.25);
    const band = breakaway ? 0 : pick(recentMover ? MOVER_SIZE_BANDS : SIZE_BANDS, rng.next());
    const v = rng.next();
    reps =
      band === 0
        ? 1 + Math.floor(10 * v * v)
        : band === 1
          ? Math.round(11 * Math.exp(v * LOG_50_11))
          : band === 2
            ? Math.round(51 * Math.exp(v * LOG_500_51))
            : band === 3
              ? Math.round(501 * Math.exp(v * LOG_5000_501))
              : Math.round(LARGE_FIRMS[pick(LARGE_FIRM_CDF, v)] * (1 + 0.03 * rng.normal()));
  }

  // Net change in reps over 12 months: mostly flat or a little growth; some firms bleed, and
  // journeymen and recent movers are more often at the churning ones.
  const sizeFactor = wirehouse ? 1 : reps <= 10 ? 0.35 : reps <= 50 ? 1 : 1.15;
  const pBleed = sizeFactor * (wirehouse ? 0.06 : journeyman ? 0.55 : recentMover ? 0.14 : 0.022);
  let netChange: number;
  if (rng.chance(pBleed)) {
    const severity = rng.next();
    if (wirehouse)
      netChange = severity < 0.07 ? -rng.int(1, 10) : -Math.round(reps * (0.01 + 0.08 * severity * severity));
    else
      netChange = -Math.max(
        1,
        Math.round(Math.min(reps * (0.04 + 0.3 * severity), 12 + 600 * severity * severity * severity))
      );
  } else {
    const g = rng.next();
    if (wirehouse) netChange = g < 0.3 ? 0 : Math.round(reps * 0.003 * (g - 0.3));
    else if (reps <= 10) netChange = g < 0.9 ? 0 : 1 + Math.floor((g - 0.9) * 20);
    else netChange = g < 0.88 ? 0 : 1 + Math.round(reps * 0.6 * (g - 0.88) * (g - 0.88));
  }

  // Moves registered in the last three years (0..6), and restlessness: the advisor's rate of
  // firm changes relative to the industry's.
  const movesMean = 0.3 + 0.12 * Math.min(prior, 6) + (journeyman ? 0.5 : 0);
  const extraMoves = rng.poissonFrom(movesMean, EXP_NEG_MOVES[2 * Math.min(prior, 6) + (journeyman ? 1 : 0)]);
  const moves = Math.min(6, (prior >= 1 && tenure < 36 ? 1 : 0) + extraMoves);
  const restlessnessMilli = Math.round(
    (1000 * (prior + 0.6 * moves) * Math.exp(0.25 * rng.normal())) / Math.max(years, 3) / 0.069
  );

  // Missing values: no employment history (tenure and prior firms), no industry start date.
  const missing = rng.next();
  c.tenure = missing < 0.05 ? -1 : tenure;
  c.prior = missing < 0.035 || (missing >= 0.05 && missing < 0.065) ? -1 : prior;
  c.industry = rng.chance(0.03) ? -1 : industry;
  c.wirehouse = wirehouse;
  c.reps = Math.max(1, reps);
  c.netChange = netChange;
  c.moves = moves;
  c.restlessnessMilli = restlessnessMilli;
  c.source = pick(SOURCE_CDF, rng.next());
}

function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; ++i) out[i] = sum += weights[i] / total;
  out[weights.length - 1] = 1;
  return out;
}

function pick(cdf: Float64Array, u: number): number {
  let i = 0;
  while (u >= cdf[i]) ++i;
  return i;
}
