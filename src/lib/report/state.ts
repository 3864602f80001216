/**
 * Whether a report built ahead of time is the one a page is asked for (its rule set, compared rule
 * set and population): the report page shows the built numbers only then, and computes the
 * report live otherwise — never numbers for other rules.
 */
import type {Population} from "../population.js";
import type {ReportData} from "./data.js";

/** JSON with every object's keys sorted: equal for equal values whatever the key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export interface ReportRequest {
  rules: unknown;
  compareId: string;
  population: Population;
}

/** What differs between the built report and the one asked for, in words (empty: the same report). */
export function reportDifferences(built: Pick<ReportData, "rules" | "compareId" | "population">, wanted: ReportRequest): string[] {
  const out: string[] = [];
  if (stableJson(built.rules) !== stableJson(wanted.rules)) out.push("the rule set");
  if (built.compareId !== wanted.compareId) out.push("the compared rule set");
  if (stableJson(built.population) !== stableJson(wanted.population)) out.push("the population");
  return out;
}
