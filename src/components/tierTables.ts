/** Tables of the tier page and the report, rendered from the specs of src/lib/tiers/tables.ts. */
import type {Comparison, TierDelta} from "../lib/tiers/compare.js";
import type {Gate} from "../lib/tiers/gates.js";
import type {Report} from "../lib/tiers/report.js";
import * as specs from "../lib/tiers/tables.js";
import type {RuleSet} from "../lib/rules/types.js";
import {dataTable} from "./table.js";

/** The tier (or group) table: counts, rate with interval, both lifts (labelled), the test, flags. */
export function tierTable(report: Report, level: "tiers" | "groups", csvName: string): HTMLElement {
  return dataTable(specs.tierTable(report, level), report[level], {csvName});
}

/** The gains table: the tiers in rule order, cumulated. */
export function gainsTable(report: Report, csvName: string): HTMLElement {
  return dataTable(specs.gainsTable(report), report.gains, {csvName});
}

/** The gates panel: pass / fail, value, threshold and why. */
export function gatesTable(gates: Gate[], csvName: string): HTMLElement {
  return dataTable(specs.gateTable, gates, {csvName});
}

/** Per-tier deltas against the compared rule set. */
export function deltaTable(deltas: TierDelta[], compareName: string, csvName: string): HTMLElement {
  return dataTable(specs.deltaTable(compareName), deltas, {csvName});
}

/** The migration matrix: rows = compared tiers, columns = edited tiers, cells = leads moving. */
export function migrationTable(c: Comparison, csvName: string): HTMLElement {
  return dataTable(specs.migrationTable(c), specs.migrationRows(c), {csvName, caption: "Leads by tier under the compared rule set (rows) and the edited one (columns); off-diagonal cells are leads that move."});
}

/** A rule set's tiers: criteria in words and the action. */
export function criteriaTable(rules: RuleSet, csvName: string): HTMLElement {
  return dataTable(specs.criteriaTable, rules.tiers, {csvName});
}
