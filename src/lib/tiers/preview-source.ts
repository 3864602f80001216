/**
 * The tier preview's leads without the database engine: the columns its loop reads, shipped beside
 * the DuckDB file as `leads.arrow` (written by loaders/leads-arrow.ts, decoded by
 * src/components/leadsArrowFile.ts), so a page's first numbers need not wait for DuckDB-WASM to
 * start. This module selects a population from those columns exactly as the SQL does —
 * {@link populationWhere} for the rows, {@link labelExpression} for the labels, the compared rule
 * set's CASE for each lead's compared tier — and says why when it cannot (a column the file does
 * not hold, a date the SQL would reject): the preview then asks the engine.
 */
import type {ColumnInfo} from "../column-info.js";
import {dayNumber} from "../dates.js";
import {maturityCutoff, type Population} from "../population.js";
import {PROVENANCE_KEY, type Provenance} from "../provenance.js";
import {columnRead, compileTierIndex, LOOP_SLICE, loopKinds, ruleColumns} from "../rules/js-compile.js";
import type {RuleSet} from "../rules/types.js";
import {KNOWN_COLUMNS} from "../data-contract.js";
import type {TypedColumn} from "../lead-arrays.js";
import {inSlices, yieldToPage} from "../yield.js";
import type {LeadColumns} from "./sweep.js";

/** The file's layout: Arrow IPC (stream), one field per column, these keys in its schema's metadata. */
export const COLUMNS_FILE = {
  /** The leads table's ColumnInfo[] (JSON). */
  schemaKey: "tierlab.columns",
  /** The provenance (JSON), as in the other two files. */
  provenanceKey: PROVENANCE_KEY,
  /** contacted_date: Arrow Date32 (days since 1970-01-01); split: a dictionary of strings; target: Int8. */
  date: "contacted_date",
  split: "split",
  target: "target"
} as const;

/**
 * The features the file holds: the data contract's features that are whole numbers or booleans
 * (1–2 bytes a lead once narrowed; the identifier advisor_crd, text, dates and DOUBLEs, which take
 * 8 bytes and compress poorly, are left to the engine), in the table's order. `candidates`
 * replaces the contract's features (tests).
 */
export function previewFeatures(schema: readonly ColumnInfo[], candidates: readonly string[] = Object.keys(KNOWN_COLUMNS).filter((n) => n !== "advisor_crd")): ColumnInfo[] {
  return schema.filter((c) => {
    if (!candidates.includes(c.name) || c.name === COLUMNS_FILE.split) return false;
    const read = columnRead(c);
    return read.ok && read.check === "none";
  });
}

export interface PreviewSource {
  rows: number;
  /** The whole leads table's columns, as describeColumns gives them for leads.duckdb. */
  schema: ColumnInfo[];
  provenance: Provenance | null;
  /** contacted_date as days since 1970-01-01 (never NULL: the data contract requires it). */
  days: ArrayLike<number>;
  /** split as codes into `values` (NULL split: invalid), or null when the table has no split column. */
  split: {codes: TypedColumn; values: string[]} | null;
  /** target, 0/1, NULL when not labeled. */
  target: TypedColumn;
  /** Feature columns by name: numbers (narrowed integers), booleans as 0/1. */
  features: Map<string, TypedColumn>;
}

/** What the preview's loop needs of one population: its leads' columns, compared tiers and labels. */
export interface SourceRows {
  rows: number;
  columns: Map<string, TypedColumn>;
  /** The compared rule set's tier of each lead, as an index (0 … its tier count). */
  from: TypedColumn;
  label: TypedColumn;
  /** The file's row of each selected lead (null: every row, in order), to read its other columns (the backtest reads its contact day). */
  picked: Int32Array | null;
}

type Selection = {ok: true; rows: Int32Array | null; label: TypedColumn} | {ok: false; reason: string};

/** The rows of the population (null: every row) and each one's label, as the SQL selects them. */
async function selectPopulation(source: PreviewSource, population: Population): Promise<Selection> {
  const bound = (iso: string | undefined, fallback: number) => (iso === undefined || iso === "" ? fallback : dayNumber(iso));
  const from = bound(population.from, -Infinity);
  const to = bound(population.to, Infinity);
  if (from === null || to === null) return {ok: false, reason: "the population's dates are not calendar dates"};
  let cutoff = Infinity;
  if (population.analysisDate) {
    const day = dayNumber(population.analysisDate);
    if (day === null || !Number.isInteger(population.maturityDays ?? 0) || (population.maturityDays ?? 0) < 0) return {ok: false, reason: "the maturity settings are not valid"};
    cutoff = dayNumber(maturityCutoff(population)!)!;
  }
  let split = -1;
  if (population.split) {
    if (!source.split) return {ok: false, reason: "the columns file has no split column"};
    split = source.split.values.indexOf(population.split);
    if (split < 0) split = -2; // (no lead has it: the population is empty)
  }
  const wirehouse = population.excludeWirehouse ? source.features.get("is_wirehouse") : undefined;
  if (population.excludeWirehouse && !wirehouse) return {ok: false, reason: "the columns file has no is_wirehouse column"};

  const days = source.days;
  const codes = source.split?.codes;
  const everyRow = from === -Infinity && to === Infinity && split === -1 && !wirehouse;
  const picked = everyRow ? null : new Int32Array(source.rows);
  let n = 0;
  if (picked) {
    await inSlices(source.rows, LOOP_SLICE, (start, end) => {
      for (let i = start; i < end; ++i) {
        const day = days[i];
        if (day < from || day > to) continue;
        // split = 'X' is false for a NULL split; COALESCE(is_wirehouse, 0) <> 1 keeps NULLs.
        if (split !== -1 && (split === -2 || codes!.values[i] !== split || (codes!.valid !== null && codes!.valid[i] === 0))) continue;
        if (wirehouse && wirehouse.values[i] === 1 && (wirehouse.valid === null || wirehouse.valid[i] === 1)) continue;
        picked[n++] = i;
      }
    });
  }
  const rows = picked ? picked.subarray(0, n) : null;
  const target = rows ? await gather(source.target, rows) : source.target;
  if (cutoff === Infinity) return {ok: true, rows, label: target};
  // CASE WHEN contacted_date <= cutoff THEN target END: unlabeled after the cutoff.
  const count = rows ? rows.length : source.rows;
  const valid = new Uint8Array(count);
  await inSlices(count, LOOP_SLICE, (start, end) => {
    for (let k = start; k < end; ++k) {
      const i = rows ? rows[k] : k;
      valid[k] = days[i] <= cutoff && (source.target.valid === null || source.target.valid[i] === 1) ? 1 : 0;
    }
  });
  return {ok: true, rows, label: {values: target.values, valid}};
}

type Copy = (from: ArrayLike<number>, rows: Int32Array, to: {[k: number]: number}, start: number, end: number) => void;

const copyAny: Copy = (from, rows, to, start, end) => {
  for (let k = start; k < end; ++k) to[k] = from[rows[k]];
};

/**
 * The copy loop for one kind of typed array: one loop for every kind would see them all and read
 * each element through a slow generic access (selecting a split took ~130 ms at 1M leads, ~20 ms
 * with a loop per kind). Compiled like the rule loops; the generic loop where that is forbidden.
 */
const COPIES = new Map<string, Copy>();
function copyFor(kind: string): Copy {
  let copy = COPIES.get(kind);
  if (!copy) {
    try {
      copy = new Function("from", "rows", "to", "start", "end", "for (let k = start; k < end; ++k) to[k] = from[rows[k]];") as Copy;
    } catch {
      copy = copyAny;
    }
    COPIES.set(kind, copy);
  }
  return copy;
}

/** The column's values at `rows`, in that order. */
async function gather(column: TypedColumn, rows: Int32Array): Promise<TypedColumn> {
  const source = column.values as Int8Array;
  const values = new (source.constructor as Int8ArrayConstructor)(rows.length);
  const v = column.valid;
  const valid = v === null ? null : new Uint8Array(rows.length);
  const copyValues = copyFor(source.constructor.name);
  const copyValid = copyFor("Uint8Array");
  await inSlices(rows.length, LOOP_SLICE, (start, end) => {
    copyValues(source, rows, values, start, end);
    if (valid) copyValid(v!, rows, valid, start, end);
  });
  return {values, valid};
}

/**
 * The population's leads from the columns file: the columns `names` (and those of `compare`),
 * the compared rule set's tier of each lead and its label. A reason instead when the file cannot
 * give exactly what the SQL would.
 */
export async function sourceRows(source: PreviewSource, compare: RuleSet, population: Population, names: readonly string[]): Promise<SourceRows | {reason: string}> {
  const compareNames = ruleColumns(compare);
  for (const name of [...names, ...compareNames]) if (!source.features.has(name)) return {reason: `the columns file does not hold ${name}`};
  // Compiled before any lead is selected, so a rule set the loop cannot run costs no pass over the
  // file (a gathered column keeps its validity array, so it is nullable exactly when the file's is).
  const kinds = loopKinds(source.schema, compareNames);
  const nullable = new Set(compareNames.filter((n) => source.features.get(n)!.valid !== null));
  const compiled = compileTierIndex(compare, compareNames, kinds, nullable);
  if (!compiled.ok) return compiled;
  const selection = await selectPopulation(source, population);
  if (!selection.ok) return selection;
  const columns = new Map<string, TypedColumn>();
  for (const name of new Set([...names, ...compareNames])) {
    const column = source.features.get(name)!;
    columns.set(name, selection.rows ? await gather(column, selection.rows) : column);
  }
  const rows = selection.rows ? selection.rows.length : source.rows;
  const from = new Int16Array(rows);
  const inputs = {columns: compareNames.map((n) => columns.get(n)!)};
  for (let start = 0; start < rows; start += LOOP_SLICE) {
    await yieldToPage(); // (the first time too: selecting the population was work already)
    compiled.indexer(inputs, from, start, Math.min(start + LOOP_SLICE, rows));
  }
  return {rows, columns, from: {values: from, valid: null}, label: selection.label, picked: selection.rows};
}

/** No tiers: selecting a population from the file needs a compared rule set; this one costs nothing. */
export const NO_TIERS: RuleSet = {name: "none", tiers: [], fallback: {id: "ALL", label: ""}};

/** A population's leads from the file with the columns `names`, as the sweep and the tuner read them; a reason when the file cannot give them exactly. */
export async function sourceLeads(source: PreviewSource, population: Population, names: readonly string[]): Promise<LeadColumns | {reason: string}> {
  const rows = await sourceRows(source, NO_TIERS, population, names);
  if ("reason" in rows) return rows;
  return {rows: rows.rows, columns: rows.columns, kinds: loopKinds(source.schema, names), label: rows.label};
}
