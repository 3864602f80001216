/**
 * The overview tables, declared once: the population, the splits (beside the seeds' published
 * volumes and rates), the months and the data checks. The page, the Markdown (`tierlab inspect
 * --format md`) and the CSV downloads render these specs.
 */
import type {ColumnCheck} from "../data-contract.js";
import {intervalCsv, table, type TableSpec} from "../table/index.js";
import type {MonthRow, Overview, SplitRow} from "./overview.js";

/** A split's published volume and rate (data/reference/published.json "splits"). */
export interface PublishedSplit {
  split: string;
  volume: number;
  rate: number;
}

/** The whole population: leads, labels, conversions, the baseline rate and the contact dates. */
export const populationTable: TableSpec<Overview["population"]> = table<Overview["population"]>([
  {key: "leads", label: "leads", format: "int"},
  {key: "labeled", label: "labeled (n)", format: "int"},
  {key: "conversions", label: "conversions", format: "int"},
  {key: "rate", label: "baseline rate", format: "pct"},
  {key: "ci", label: "95% CI (Wilson)", format: "pctInterval", csv: intervalCsv((p) => p.ci)},
  {key: "from", label: "first contact", format: "date"},
  {key: "to", label: "last contact", format: "date"}
]);

/** TRAIN / GAP / TEST with their dates and rates, the seeds' published values beside. */
export function splitTable(published: readonly PublishedSplit[] = []): TableSpec<SplitRow> {
  const of = (s: SplitRow) => published.find((p) => p.split === s.split) ?? null;
  return table<SplitRow>([
    {key: "split", label: "split"},
    {key: "from", label: "from", format: "date"},
    {key: "to", label: "to", format: "date"},
    {key: "leads", label: "leads", format: "int"},
    {key: "labeled", label: "labeled (n)", format: "int"},
    {key: "conversions", label: "conversions", format: "int"},
    {key: "rate", label: "rate", format: "pct"},
    {key: "ci", label: "95% CI (Wilson)", format: "pctInterval", csv: intervalCsv((s) => s.ci)},
    {
      key: (s) => {
        const p = of(s);
        return p ? {leads: p.volume, rate: p.rate} : null;
      },
      label: "published (seeds)",
      format: "countAtRate",
      title: "leads @ rate in the seeds' split",
      csv: [{name: "published_leads", value: (s) => of(s)?.volume ?? null}, {name: "published_rate", value: (s) => of(s)?.rate ?? null}]
    }
  ]);
}

/** Volume and rate per month of contact. */
export const monthTable: TableSpec<MonthRow> = table<MonthRow>([
  {key: "month", label: "month", format: "month"},
  {key: "leads", label: "leads", format: "int"},
  {key: "labeled", label: "labeled (n)", format: "int"},
  {key: "conversions", label: "conversions", format: "int"},
  {key: "rate", label: "rate", format: "pct"},
  {key: "ci", label: "95% CI (Wilson)", format: "pctInterval", csv: intervalCsv((m) => m.ci)}
]);

/** Nulls and out-of-range values per column. */
export const checkTable: TableSpec<ColumnCheck> = table<ColumnCheck>([
  {key: "column", label: "column"},
  {key: "type", label: "type"},
  {key: "nulls", label: "nulls", format: "int"},
  {key: "nullShare", label: "null share", format: "pct1"},
  {key: "outOfRange", label: "out of range", format: "int"},
  {key: "rule", label: "expected"}
]);
