import {existsSync, readdirSync, readFileSync} from "node:fs";
import {basename, join} from "node:path";
import type {ColumnInfo} from "../src/lib/column-info.js";
import {parseRuleSetText} from "../src/lib/rules/parse.js";
import type {RuleSet} from "../src/lib/rules/types.js";
import {UsageError} from "./command.js";

const PRESETS_DIR = join(import.meta.dirname, "..", "data", "rules");

/** Preset ids (file names in data/rules without .json). */
export function presetIds(): string[] {
  return readdirSync(PRESETS_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => basename(f, ".json"))
    .sort();
}

/** Resolves `--rules`: a preset id (v3.2) or a path to a rule-set JSON file, validated (against the data's columns when given). */
export function loadRules(spec: string, columns?: readonly ColumnInfo[]): RuleSet {
  const presets = presetIds();
  const path = presets.includes(spec) ? join(PRESETS_DIR, `${spec}.json`) : spec;
  if (!presets.includes(spec) && !existsSync(spec)) {
    throw new UsageError(`--rules ${JSON.stringify(spec)} is neither a preset (${presets.join(", ")}) nor an existing file`);
  }
  const text = readFileSync(path, "utf8");
  try {
    return parseRuleSetText(text, columns);
  } catch (error) {
    if (error instanceof Error && error.name === "RuleSetError") error.message = `${path}: ${error.message}`;
    throw error;
  }
}
