/** Download buttons for a rule set's deployment artifacts (JSON, BigQuery SQL, registry entry). */
import {html} from "htl";
import {calibrationTableSql, modelRegistryEntry, salesforceSyncSql, scoringTableSql} from "../lib/rules/export-sql.js";
import type {RuleSet} from "../lib/rules/types.js";
import {download} from "./ui.js";

export interface Tables {
  sourceTable: string;
  targetTable: string;
  calibrationTable: string;
  modelVersion: string;
}

const slug = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, "_");

/** The artifacts of a rule set: [button label, file name, content type, text]. */
export function artifacts(rules: RuleSet, t: Tables): [string, string, string, () => string][] {
  const base = slug(rules.name);
  return [
    ["Rule set (JSON)", `${base}.json`, "application/json", () => JSON.stringify(rules, null, 2) + "\n"],
    ["BigQuery scoring SQL", `${base}_tiered_scoring.sql`, "application/sql", () => scoringTableSql(rules, t) + "\n"],
    ["Salesforce sync query", `${base}_salesforce_sync.sql`, "application/sql", () => salesforceSyncSql(rules, t) + "\n"],
    ["Calibration table query", `${base}_calibration.sql`, "application/sql", () => calibrationTableSql(rules, t) + "\n"],
    ["Model registry entry", `${base}_model_registry.json`, "application/json", () => JSON.stringify(modelRegistryEntry(rules, t), null, 2) + "\n"]
  ];
}

export function exportButtons(rules: RuleSet, tables: Tables): HTMLElement {
  return html`<div class="tl-exports">${artifacts(rules, tables).map(([label, file, type, text]) => {
    const b = html`<button type="button" data-file=${file}>↓ ${label}</button>` as HTMLButtonElement;
    b.onclick = () => download(text(), file, type);
    return b;
  })}</div>`;
}
