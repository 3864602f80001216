/**
 * Gains and discrimination of a tier table: the tiers in the rule set's own order (tier 1 first,
 * the fallback last — the order the sales team works them, not re-sorted by observed rate), with
 * cumulative leads, labeled leads and conversions, their shares of the population's, the
 * cumulative rate and lift; and the ordering's AUC (ties counted half), Gini and KS over the
 * labeled leads. See docs/statistics.md.
 */
import {discrimination, type Discrimination} from "../stats.js";
import type {PopulationStats, TierStats} from "./types.js";

export type {Discrimination} from "../stats.js";

/** One row of the gains table: everything up to and including the tier `id`. */
export interface GainsRow {
  id: string;
  cumLeads: number;
  cumLabeled: number;
  cumConversions: number;
  /** cumLeads / the population's leads; null for an empty population. */
  cumLeadsShare: number | null;
  /** cumConversions / the population's conversions; null when nothing converted. */
  cumConversionsShare: number | null;
  /** cumConversions / cumLabeled; null when nothing is labeled yet. */
  cumRate: number | null;
  /** cumRate / the population's rate. */
  cumLift: number | null;
}

/** The cumulative rows, in the order given (the report's tiers: rule order, fallback last). */
export function gainsRows(tiers: readonly TierStats[], population: PopulationStats): GainsRow[] {
  let leads = 0;
  let labeled = 0;
  let conversions = 0;
  return tiers.map((t) => {
    leads += t.leads;
    labeled += t.labeled;
    conversions += t.conversions;
    const cumRate = labeled ? conversions / labeled : null;
    return {
      id: t.id,
      cumLeads: leads,
      cumLabeled: labeled,
      cumConversions: conversions,
      cumLeadsShare: population.leads ? leads / population.leads : null,
      cumConversionsShare: population.conversions ? conversions / population.conversions : null,
      cumRate,
      cumLift: cumRate === null || !population.rate ? null : cumRate / population.rate
    };
  });
}

/** AUC, Gini and KS of the tiers as an ordinal score (first tier best), over labeled leads. */
export function tierDiscrimination(tiers: readonly TierStats[]): Discrimination {
  return discrimination(tiers.map((t) => ({positives: t.conversions, negatives: t.labeled - t.conversions})));
}

/** The gains curve's points: (0, 0), then each tier's cumulative share of leads and of conversions. */
export function gainsCurve(rows: readonly GainsRow[]): {id: string; leadsShare: number; conversionsShare: number}[] {
  const points = [{id: "", leadsShare: 0, conversionsShare: 0}];
  for (const r of rows) {
    if (r.cumLeadsShare === null || r.cumConversionsShare === null) return [];
    points.push({id: r.id, leadsShare: r.cumLeadsShare, conversionsShare: r.cumConversionsShare});
  }
  return points;
}
