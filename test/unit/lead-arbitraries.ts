// Random leads for the property tests that hold a JavaScript path to its SQL (preview, sweep, tune,
// backtest from the columns file): a value or NULL per feature column, a label, a contact day, a
// split and the wirehouse flag, written to a DuckDB table the SQL and the loop both read.
import fc from "fast-check";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import type {Connector} from "../../src/lib/connector.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {literal, quoteIdentifier} from "../../src/lib/sql.js";

type Value = number | boolean | string;

/** Feature columns: each one's SQL type and the values a lead may take. */
export type ColumnSpecs = Readonly<Record<string, {readonly type: string; readonly values: readonly Value[]}>>;

/** One lead: a value or NULL per feature column, its label (NULL: unlabeled), day after 2024-01-01, split and wirehouse flag. */
export type GeneratedLead<C extends ColumnSpecs> = {[K in keyof C]: C[K]["values"][number] | null} & {target: number | null; day: number; split: string | null; wirehouse: number | null};

/** Leads over `columns`; `labelFreq`: one lead in about that many is unlabeled. */
export function leadArbitrary<C extends ColumnSpecs>(columns: C, labelFreq = 8): fc.Arbitrary<GeneratedLead<C>> {
  const features = Object.fromEntries(Object.entries(columns).map(([name, c]) => [name, fc.option(fc.constantFrom(...c.values), {freq: 4})]));
  return fc.record({
    ...features,
    target: fc.option(fc.constantFrom(0, 1), {freq: labelFreq}),
    day: fc.integer({min: 0, max: 90}),
    split: fc.option(fc.constantFrom("TRAIN", "TEST"), {freq: 6}),
    wirehouse: fc.option(fc.constantFrom(0, 1), {freq: 5})
  }) as unknown as fc.Arbitrary<GeneratedLead<C>>;
}

/** The leads as table `table` (replacing it), with the data contract's label, date, split and wirehouse columns; its columns. */
export async function writeLeads<C extends ColumnSpecs>(db: Connector & {run(sql: string): Promise<unknown>}, columns: C, leads: readonly GeneratedLead<C>[], table = "p"): Promise<ColumnInfo[]> {
  const names = Object.keys(columns);
  const defs = names.map((n) => `${quoteIdentifier(n)} ${columns[n].type}`).join(", ");
  await db.run(`CREATE OR REPLACE TABLE ${quoteIdentifier(table)} (${defs}, target TINYINT, contacted_date DATE, split VARCHAR, is_wirehouse TINYINT)`);
  if (leads.length) {
    const lead = (l: GeneratedLead<C>) => [...names.map((n) => literal(l[n] as Value | null)), literal(l.target), `DATE '2024-01-01' + ${l.day}`, literal(l.split), literal(l.wirehouse)];
    await db.run(`INSERT INTO ${quoteIdentifier(table)} VALUES ${leads.map((l) => `(${lead(l).join(", ")})`).join(", ")}`);
  }
  return describeColumns(db, table);
}
