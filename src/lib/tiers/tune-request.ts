/**
 * What the tier page's "Suggest" panel asks the tuner, built without the DOM: the thresholds a tier
 * can free, in words, the fit and holdout windows inside the page's population, and a window's
 * leads from the page's columns file.
 */
import type {ColumnInfo} from "../column-info.js";
import {resolvePopulation, type Population} from "../population.js";
import {tierAlternatives} from "../rules/conditions.js";
import type {RuleSet} from "../rules/types.js";
import {sourceLeads, type PreviewSource} from "./preview-source.js";
import {locateThreshold, ThresholdError, thresholdId, type LeadColumns, type Threshold} from "./sweep.js";

/** A threshold the tuner can free: its id (`1.4`, `1.1:low`) and the condition in words, its value marked. */
export interface FreeableThreshold {
  id: string;
  threshold: Threshold;
  /** The condition as it reads now: `firm_rep_count_at_contact ≤ 10`; a range names the moving end. */
  words: string;
}

const SYMBOLS: Record<string, string> = {lt: "<", lte: "≤", gt: ">", gte: "≥"};

function words(t: Threshold): string {
  if (t.bound === null) return `${t.column} ${SYMBOLS[t.operator]} ${t.current}`;
  const [low, high] = t.bound === "low" ? [t.current, t.other] : [t.other, t.current];
  return `${t.column} ${t.operator === "between" ? "between" : "not between"} ${low} and ${high} (the ${t.bound} end, ${t.current})`;
}

/** Every numeric threshold of a tier, in the order of its conditions (a range's low end first). */
export function freeableThresholds(rules: RuleSet, tierId: string, columns?: readonly ColumnInfo[]): FreeableThreshold[] {
  const tier = rules.tiers.find((t) => t.id === tierId);
  if (!tier) return [];
  const out: FreeableThreshold[] = [];
  tierAlternatives(tier).forEach((list, a) => {
    list.forEach((_, i) => {
      const ref = tier.anyOf ? `${a + 1}.${i + 1}` : `${i + 1}`;
      for (const bound of [null, "low", "high"] as const) {
        try {
          const t = locateThreshold(rules, tierId, ref, bound, columns);
          out.push({id: thresholdId(t), threshold: t, words: words(t)});
        } catch (error) {
          // (Not a threshold, or not with this bound: the others are tried.)
          if (!(error instanceof ThresholdError)) throw error;
        }
      }
    });
  });
  return out;
}

/** A window as the panel states it: a split, or contact dates. */
export type WindowChoice = {split: string} | {from: string; to: string};

/**
 * The population a window stands for: the window inside the page's population, whose split and
 * dates it replaces (wirehouses and maturity stay), as `tierlab tune --fit` builds it.
 * @throws {PopulationError} for dates SQL would refuse
 */
export function tuneWindow(choice: WindowChoice, population: Population): Population {
  return resolvePopulation({}, {...tuneBase(population), ...choice});
}

/** What every window shares with the page's population: wirehouses and maturity (the backtest's population). */
export function tuneBase(population: Population): Population {
  const {split: _split, from: _from, to: _to, ...base} = population;
  return base;
}

/**
 * A window's leads from the tier page's columns file, the columns `names` (for the tuner's
 * `leadColumns`); null when the file cannot give them exactly (the tuner then queries the engine).
 */
export async function fileColumns(source: PreviewSource, population: Population, names: readonly string[]): Promise<LeadColumns | null> {
  const leads = await sourceLeads(source, population, names);
  return "reason" in leads ? null : leads;
}
