/**
 * One run of the tier page's interactive loop: wait out a burst of edits on large data (the
 * debounce), then compare the edited rule set with the compared one through the TierPreview.
 */
import type {ColumnInfo} from "../lib/column-info.js";
import type {Population} from "../lib/population.js";
import {SCAN_FIRST_REASON, type PreviewComparison, type TierPreview} from "../lib/tiers/preview.js";
import {parseRuleSet} from "../lib/rules/parse.js";
import type {RuleSet} from "../lib/rules/types.js";

/** Leads above which edits are debounced (an edit's loop then takes tens of milliseconds or more). */
export const DEBOUNCE_ROWS = 1_000_000;
export const DEBOUNCE_MS = 150;

/** Validated compared rule sets, by the (unchanging) preset object and schema: validating is a few ms. */
const checked = new WeakMap<object, WeakMap<readonly ColumnInfo[], RuleSet>>();
function checkedCompare(compare: unknown, columns: readonly ColumnInfo[]): RuleSet {
  if (typeof compare !== "object" || compare === null) return parseRuleSet(compare, columns);
  const bySchema = checked.get(compare) ?? new WeakMap<readonly ColumnInfo[], RuleSet>();
  checked.set(compare, bySchema);
  let rules = bySchema.get(columns);
  if (!rules) bySchema.set(columns, (rules = parseRuleSet(compare, columns)));
  return rules;
}

export type PreviewOutcome = {comparison: PreviewComparison & {ms: number}; error: null} | {comparison: null; error: unknown} | null;

/**
 * The compared rule set (a preset: not edited on this page, so not copied) is validated once.
 * Returns null when `invalidation` (Framework's promise that this cell is being re-run) comes
 * first: a newer edit has superseded this one, so it computes nothing.
 */
export async function previewEdit(options: {
  preview: TierPreview;
  edited: RuleSet;
  compare: unknown;
  population: Population;
  columns: readonly ColumnInfo[];
  rows: number;
  invalidation: Promise<unknown>;
  /** The page's first comparison: there is no burst of edits to wait out, so no debounce. */
  first?: boolean;
}): Promise<PreviewOutcome> {
  if (options.rows > DEBOUNCE_ROWS && !options.first) {
    const superseded = await Promise.race([new Promise((resolve) => setTimeout(() => resolve(false), DEBOUNCE_MS)), options.invalidation.then(() => true)]);
    if (superseded) return null;
  }
  try {
    const t0 = performance.now();
    const compare = checkedCompare(options.compare, options.columns);
    const comparison = await options.preview.compare(options.edited, compare, {population: options.population});
    return {comparison: {...comparison, ms: performance.now() - t0}, error: null};
  } catch (error) {
    return {comparison: null, error};
  }
}

/** How the preview computed, for the note under the results. */
export function countingNote(c: PreviewComparison): string {
  if (c.countedBy === "loop") {
    if (c.readMs === 0) return "counted in JavaScript";
    return c.columnsFrom === "file" ? `took the population from the columns file (${c.readMs.toFixed(0)} ms), then counted in JavaScript` : `read the population (${c.readMs.toFixed(0)} ms), then counted in JavaScript`;
  }
  if (c.reason === SCAN_FIRST_REASON) return "the first result, from one SQL scan; the edits after it are counted in JavaScript on the leads read meanwhile";
  return `computed in SQL because ${c.reason}`;
}
