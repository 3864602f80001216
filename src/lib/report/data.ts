/**
 * The report, computed once: the configured rule set against the compared one over a population,
 * the summary in words (with the backtest's shifted periods), and what it runs on. The site's data
 * loader (src/data/report.json.ts) and `tierlab report --format html|pdf` build it on native
 * DuckDB; the report page builds it on DuckDB-WASM only when a link asks for other rules. It is
 * plain data (JSON), rendered by ./html.ts.
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector} from "../connector.js";
import type {Population} from "../population.js";
import type {RuleSet} from "../rules/types.js";
import {runBacktest, type Backtest, type Period} from "../backtest/backtest.js";
import type {BandDefinition} from "../signals/signals.js";
import {compareRuleSets, tierDeltas, type Comparison, type TierDelta} from "../tiers/compare.js";
import {changeSummary} from "../tiers/narrative.js";
import {shiftSummary} from "./summary.js";

export interface ReportData {
  /** The site's (or the file's) title. */
  title: string;
  /** The rule set reported on, as given (its criteria are a table of the report). */
  rules: RuleSet;
  /** The compared rule set's preset id (a link names it so). */
  compareId: string;
  population: Population;
  comparison: Comparison;
  deltas: TierDelta[];
  /** Findings in words: volume, conversion, Tier 1, discrimination, gates, backtest shift. */
  summary: string[];
  /** Where the data came from and when it was exported (describeProvenance). */
  data: string;
  /** When the report was computed (ISO): the site's build, or the command's run. */
  builtAt: string;
  /** "site built" or "written": how the report names builtAt. */
  builtLabel: string;
}

export interface ReportInput {
  title: string;
  rules: RuleSet;
  compare: RuleSet;
  compareId: string;
  population: Population;
  data: string;
  builtAt: string;
  builtLabel: string;
  columns?: readonly ColumnInfo[];
  table?: string;
  /** The backtest periods whose train/test shift the summary names (none: the summary says nothing of it). */
  periods?: readonly Period[];
  /** The band columns whose CSI the backtest computes. */
  bands?: readonly BandDefinition[];
}

/** Computes the report (two queries: the comparison, and the backtest when periods are given). */
export async function buildReportData(conn: Connector, input: ReportInput): Promise<ReportData> {
  const {population, columns, table} = input;
  const comparison = await compareRuleSets(conn, input.rules, input.compare, {population, columns, table});
  let backtest: Backtest | null = null;
  if (input.periods?.length) backtest = await runBacktest(conn, input.rules, input.periods, {...population, columns, table, bands: input.bands});
  const summary = changeSummary(comparison);
  if (backtest) summary.push(shiftSummary(backtest));
  return {
    title: input.title,
    rules: input.rules,
    compareId: input.compareId,
    population,
    comparison,
    deltas: tierDeltas(comparison),
    summary,
    data: input.data,
    builtAt: input.builtAt,
    builtLabel: input.builtLabel
  };
}
