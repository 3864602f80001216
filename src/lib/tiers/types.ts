/** The statistics of a tier table: what the report computes and the gates judge. */

/** Counts for one tier, as the aggregate query returns them. */
export interface TierCount {
  tier: string;
  leads: number;
  labeled: number;
  conversions: number;
}

/** The statistics of one tier (or group). Undefined values are null, never NaN. */
export interface TierStats {
  id: string;
  label: string;
  /** The group the tier reports in (its own id when it has none). */
  group: string;
  /** Whether this is the fallback tier (or the fallback's group). */
  fallback: boolean;
  /** All leads in the tier. */
  leads: number;
  /** Leads with a (mature) label. */
  labeled: number;
  conversions: number;
  /** conversions / labeled; null when nothing is labeled. */
  rate: number | null;
  /** Wilson 95% interval of the rate; null when nothing is labeled. */
  ci: [number, number] | null;
  /** leads / population leads; null when the population is empty. */
  share: number | null;
  /** rate / population rate. */
  lift: number | null;
  /**
   * Katz log 95% interval of `lift`, taking the tier's and the population's rates as independent
   * (the tier is part of the population, so this is conservative: see docs/statistics.md); null
   * when the tier or the population has no conversions.
   */
  liftCi: [number, number] | null;
  /** rate / fallback rate. */
  liftVsFallback: number | null;
  /** The rule set's expected (calibrated) conversion, if it gives one. */
  expectedConversion: number | null;
  /** Two-sided p-value of the pooled two-proportion test against the fallback; null for the fallback. */
  pValue: number | null;
  /** Holm-adjusted p-value (across the non-fallback rows of the same table). */
  pAdjusted: number | null;
  /** pAdjusted < alpha; null when not tested. */
  significant: boolean | null;
  /** Fewer labeled leads than thresholds.minLabeled. */
  small: boolean;
}

export interface GroupStats extends TierStats {
  /** The tiers in the group, in rule order. */
  tiers: string[];
}

export interface PopulationStats {
  leads: number;
  labeled: number;
  conversions: number;
  rate: number | null;
  ci: [number, number] | null;
  /** The population in words ("TRAIN, 2024-02-01 – 2024-06-30"). */
  description: string;
}
