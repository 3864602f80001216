/**
 * The rule-set format (docs/rule-sets.md): tiers evaluated first-match like SQL `CASE`, each
 * an AND-list of conditions (`when`) or an OR of AND-lists (`anyOf`), and a fallback tier.
 */

import type {Condition} from "./operators.js";

export {OPERATORS, type Condition, type NormalizedCondition, type Operator, type Scalar} from "./operators.js";

export interface Tier {
  /** The value the CASE yields (`TIER_1A_PRIME_MOVER_SMALL`). */
  id: string;
  /** Display name (`Prime Mover (Small Firm)`). */
  label: string;
  /** Tiers sharing a group are also reported together (V3.2's 1A/1B/1C as `TIER_1`). */
  group?: string;
  /** Conditions ANDed together. Exactly one of `when` and `anyOf` is given. */
  when?: Condition[];
  /** An OR of AND-lists. */
  anyOf?: Condition[][];
  /** Calibrated conversion rate (0–1) shipped with the deployed model. */
  expectedConversion?: number;
  /** Expected lift shipped with the deployed model. */
  expectedLift?: number;
  /** What sales should do with a lead in this tier. */
  action?: string;
  /** Why a lead is in this tier, for the sales team. */
  explanation?: string;
}

/** The tier of every lead no tier matches (the CASE's ELSE). */
export interface FallbackTier {
  id: string;
  label: string;
  expectedConversion?: number;
  expectedLift?: number;
  action?: string;
  explanation?: string;
}

export interface RuleSet {
  name: string;
  /** What the rule set is for, in words (optional). */
  description?: string;
  version?: string;
  tiers: Tier[];
  fallback: FallbackTier;
}

/** A rule set that failed validation; `issues` are readable sentences naming the tier and condition. */
export class RuleSetError extends Error {
  readonly issues: string[];
  constructor(issues: string[], options?: {cause?: unknown}) {
    super(`invalid rule set:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`, options);
    this.name = "RuleSetError";
    this.issues = issues;
  }
}
