/**
 * Weight of evidence and information value (the scorecard reviewer's binning-table numbers), from
 * labeled counts only. For a group (a band, or "in the signal") of a population with C
 * conversions and N non-conversions among its labeled leads, holding c conversions and n
 * non-conversions:
 *
 *   woe = ln((c / C) / (n / N))           (positive: the group converts better than the population)
 *   iv  = (c / C − n / N) · woe           (≥ 0; a column's IV is the sum over its groups)
 *
 * A group with labeled leads but no conversions or no non-conversions gets 0.5 added to both of
 * its counts (c + 0.5, n + 0.5; the population's C and N stay as they are), so its WoE is finite.
 * A group with no labeled leads has no WoE and adds nothing. When the population has no
 * conversions or no non-conversions, there is no WoE or IV at all (null).
 */

/** Added to both counts of a group with no conversions or no non-conversions. */
export const WOE_ADJUSTMENT = 0.5;

/** The page's and the docs' sentence on the adjustment. */
export const WOE_NOTE = `A band with no conversions or no non-conversions gets ${WOE_ADJUSTMENT} added to both of its counts, so its WoE is finite; a band with no labeled leads has no WoE and adds nothing to the IV.`;

export interface Evidence {
  /** ln(share of the population's conversions / share of its non-conversions); null: no labeled leads. */
  woe: number | null;
  /** The group's term of the IV: (share of conversions − share of non-conversions) × woe. */
  iv: number | null;
}

export interface Counts {
  labeled: number;
  conversions: number;
}

/** A group's WoE and IV term within a population of `total` labeled counts. */
export function evidence(group: Counts, total: Counts): Evidence {
  const C = total.conversions;
  const N = total.labeled - total.conversions;
  if (C <= 0 || N <= 0 || group.labeled <= 0) return {woe: null, iv: null};
  let c = group.conversions;
  let n = group.labeled - group.conversions;
  if (c === 0 || n === 0) {
    c += WOE_ADJUSTMENT;
    n += WOE_ADJUSTMENT;
  }
  const good = c / C;
  const bad = n / N;
  const woe = Math.log(good / bad);
  return {woe, iv: (good - bad) * woe};
}

/** The IV of a partition of the population (the groups must cover its labeled leads): the sum of the terms; null when there is none. */
export function informationValue(groups: readonly Counts[], total: Counts): number | null {
  if (total.conversions <= 0 || total.labeled - total.conversions <= 0) return null;
  return groups.reduce((sum, g) => sum + (evidence(g, total).iv ?? 0), 0);
}

/** The IV of "in the group" vs "not in it" (a named signal). */
export function binaryInformationValue(group: Counts, total: Counts): number | null {
  const rest = {labeled: total.labeled - group.labeled, conversions: total.conversions - group.conversions};
  return informationValue([group, rest], total);
}

export type IvStrength = "not useful" | "weak" | "medium" | "strong";

/** The usual reading of an IV: < 0.02 not useful, 0.02–0.1 weak, 0.1–0.3 medium, > 0.3 strong. */
export function ivStrength(iv: number | null): IvStrength | null {
  if (iv === null || !Number.isFinite(iv)) return null;
  return iv < 0.02 ? "not useful" : iv < 0.1 ? "weak" : iv <= 0.3 ? "medium" : "strong";
}
