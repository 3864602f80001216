/**
 * The two names an analyst's query reads: `leads` (the data as loaded) and `scored_leads`, every
 * lead with a `tier` column computed by the rule set's `CASE` (the one compiler, rules/compile.ts).
 */
import type {ColumnInfo} from "../column-info.js";
import {LEADS_TABLE} from "../population.js";
import {compileTierCase} from "../rules/compile.js";
import type {RuleSet} from "../rules/types.js";
import {quoteIdentifier} from "../sql.js";

export const SCORED_LEADS_VIEW = "scored_leads";

/**
 * `CREATE OR REPLACE TEMP VIEW scored_leads AS SELECT *, CASE … END AS tier FROM leads` (a data
 * column already named `tier` is replaced by the rule set's).
 */
export function scoredLeadsViewSql(rules: RuleSet, columns: readonly ColumnInfo[]): string {
  const tier = compileTierCase(rules, {columns, indent: "  "});
  const select = columns.some((c) => c.name === "tier") ? `* REPLACE (${tier} AS tier)` : `*, ${tier} AS tier`;
  return `CREATE OR REPLACE TEMP VIEW ${quoteIdentifier(SCORED_LEADS_VIEW)} AS\nSELECT ${select}\nFROM ${quoteIdentifier(LEADS_TABLE)}`;
}

