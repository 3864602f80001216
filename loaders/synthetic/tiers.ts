/**
 * The seeds' tier CASE logic and signals over raw feature values, for the generator's own
 * bookkeeping (the workbench compiles rule sets to SQL instead). Nullable features use -1 for NULL,
 * and a comparison with NULL is not true, as in SQL: the lead falls through.
 */

/**
 * V3.2 tiers in CASE order: 1A, 1B, 1C, Proven Mover, Moderate Bleeder, Experienced Mover, Heavy
 * Bleeder, Standard.
 */
export const V32_COUNT = 8;
/** V3.1 tiers in CASE order (Prime Mover, Moderate Bleeder, Experienced Mover, Heavy Bleeder, Standard). */
export const V31_COUNT = 5;
/** Signal bits in {@link signalMask}. */
export const SIGNAL_COUNT = 7;

/** V3.2 tier index, 0..7 (0–2 are Tier 1A/1B/1C, 7 is STANDARD). `tenure`, `industry`, `prior`: -1 = NULL. */
export function tierV32(
  tenure: number,
  industry: number,
  netChange: number,
  reps: number,
  prior: number,
  wirehouse: number
): number {
  const t36 = tenure >= 12 && tenure <= 36;
  const t48 = tenure >= 12 && tenure <= 48;
  const i60to180 = industry >= 60 && industry <= 180;
  const i60 = industry >= 60;
  const independent = wirehouse === 0;
  if (t36 && i60to180 && netChange < 0 && reps <= 50 && independent) return 0;
  if (t36 && reps <= 10 && independent) return 1;
  if (t48 && i60to180 && netChange < 0 && independent) return 2;
  if (prior >= 3 && i60 && independent) return 3;
  if (netChange >= -10 && netChange <= -1 && i60) return 4;
  if (t48 && industry >= 240) return 5;
  if (netChange < -10 && i60) return 6;
  return 7;
}

/** Consolidated V3.2 (`V3.2_12212025`) index: Tier 1 = 0, then 1..4, STANDARD = 5. */
export function consolidatedV32(tier: number): number {
  return tier <= 2 ? 0 : tier - 2;
}

/** V3.1 tier index, 0..4 (4 is STANDARD). */
export function tierV31(tenure: number, industry: number, netChange: number, wirehouse: number): number {
  const t48 = tenure >= 12 && tenure <= 48;
  const i60 = industry >= 60;
  if (t48 && industry >= 60 && industry <= 180 && netChange !== 0 && wirehouse === 0) return 0;
  if (netChange >= -10 && netChange <= -1 && i60) return 1;
  if (t48 && industry >= 240) return 2;
  if (netChange < -10 && i60) return 3;
  return 4;
}

/**
 * Signal membership bits: 1 tenure_1_3y, 2 small_firm_1_10, 4 short_tenure_bleeding,
 * 8 moderate_bleeding, 16 prior_firms_3plus, 32 heavy_bleeding, 64 tenure_lt_1y.
 */
export function signalMask(tenure: number, netChange: number, reps: number, prior: number): number {
  const t36 = tenure >= 12 && tenure <= 36;
  return (
    (t36 ? 1 : 0) |
    (reps >= 1 && reps <= 10 ? 2 : 0) |
    (t36 && netChange < 0 ? 4 : 0) |
    (netChange >= -10 && netChange <= -1 ? 8 : 0) |
    (prior >= 3 ? 16 : 0) |
    (netChange < -10 ? 32 : 0) |
    (tenure >= 0 && tenure < 12 ? 64 : 0)
  );
}
