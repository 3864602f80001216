/**
 * The tier page's threshold sweeps (issue 16 §1): a threshold named by its place in the editor,
 * swept over the page's population by the sweep's loop over the columns file's typed columns
 * (no query), or by the sweep's SQL on the engine when the file cannot serve it (a rule on a
 * column it does not hold, a population it cannot select). Either way the numbers are those of
 * `tierlab sweep` (sweep.ts holds both paths to it).
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector} from "../connector.js";
import type {Population} from "../population.js";
import {ruleColumns} from "../rules/js-compile.js";
import type {RuleSet} from "../rules/types.js";
import {sourceLeads, type PreviewSource} from "./preview-source.js";
import {locateThreshold, sweep, sweepColumns, ThresholdError, type Bound, type LeadColumns, type RunOptions, type Sweep, type SweepRequest, type Threshold} from "./sweep.js";

/** A threshold by its place in the rule set (0-based), as the editor lays it out. */
export interface SweepTarget {
  tierIndex: number;
  alternative: number;
  position: number;
  bound: Bound | null;
}

/**
 * The sweep request for a place in `rules`: the tier's id and the condition as the CLI names it
 * (`N`, or `A.N` in an anyOf tier), so the page's request is the one `tierlab sweep` takes.
 * @throws {ThresholdError} when the place is not in the rule set
 */
export function sweepRequest(rules: RuleSet, target: SweepTarget): SweepRequest {
  const tier = rules.tiers[target.tierIndex];
  if (!tier) throw new ThresholdError(`the rule set has no tier ${target.tierIndex + 1}`);
  const condition = tier.anyOf ? `${target.alternative + 1}.${target.position + 1}` : `${target.position + 1}`;
  return {tier: tier.id, condition, bound: target.bound};
}

/** The `tierlab sweep` command line that gives the same numbers (shown beside the chart). */
export function sweepCommand(request: SweepRequest, population: Population, rulesFile = "rules.json"): string {
  const p = population;
  const options = [
    p.split ? `--split ${p.split}` : "",
    p.from ? `--from ${p.from}` : "",
    p.to ? `--to ${p.to}` : "",
    p.excludeWirehouse ? "--exclude-wirehouse" : "",
    p.analysisDate ? `--analysis-date ${p.analysisDate} --maturity-days ${p.maturityDays ?? 0}` : ""
  ].filter(Boolean);
  const quoted = /^[\w.:-]+$/.test(request.tier) ? request.tier : `'${request.tier.replace(/'/g, `'\\''`)}'`;
  return [`npx tierlab sweep --data leads.parquet --rules ${rulesFile} --tier ${quoted} --condition ${request.condition}`, request.bound ? `--bound ${request.bound}` : "", ...options].filter(Boolean).join(" ");
}

/** A sweep as the page shows it: how long it took, and where the leads came from. */
export interface PageSweep extends Sweep {
  threshold: Threshold;
  ms: number;
}

export interface SweepRunnerOptions {
  /** The page's columns file (null when it could not be read: every sweep then goes to the engine). */
  source: PreviewSource | null;
  /** The database engine, once loaded (asked only when the columns file cannot serve a sweep). */
  engine: () => Promise<Connector>;
  /** The leads table's columns. */
  schema: readonly ColumnInfo[];
}

/** Sweeps for one page; keeps the latest population's typed columns between sweeps. */
export class SweepRunner {
  private cached: {key: string; leads: Promise<LeadColumns | {reason: string}>} | null = null;

  constructor(private readonly options: SweepRunnerOptions) {}

  /**
   * One threshold swept over `population`, everything else as in `rules` (valid for the schema).
   * @throws {ThresholdError} naming why the threshold cannot be swept
   */
  async run(rules: RuleSet, request: SweepRequest, population: Population, options: RunOptions = {}): Promise<PageSweep> {
    const {schema} = this.options;
    const threshold = locateThreshold(rules, request.tier, request.condition, request.bound ?? null, schema);
    const t0 = performance.now();
    let reason = "the columns file could not be read";
    if (this.options.source) {
      const leads = await this.fromFile(this.options.source, population);
      const missing = "reason" in leads ? null : [...ruleColumns(rules), threshold.column].find((n) => !leads.columns.has(n));
      if ("reason" in leads) reason = leads.reason;
      else if (missing) reason = `the columns file does not hold ${missing}`;
      else {
        const viaLoop = await sweepColumns(leads, rules, request, {...options, columns: schema});
        if ("points" in viaLoop) return {...viaLoop, threshold, ms: performance.now() - t0};
        reason = viaLoop.reason;
      }
    }
    // The engine's own path: one aggregate query (what tierlab sweep runs).
    const conn = await this.options.engine();
    options.signal?.throwIfAborted();
    const viaSql = await sweep(conn, rules, request, {...options, population, schema});
    return {...viaSql, reason, threshold, ms: performance.now() - t0};
  }

  /** The population's leads from the columns file, every feature it holds (the latest population kept). */
  private fromFile(source: PreviewSource, population: Population): Promise<LeadColumns | {reason: string}> {
    const key = JSON.stringify(population);
    if (this.cached?.key !== key) {
      this.cached = {key, leads: sourceLeads(source, population, [...source.features.keys()])};
    }
    return this.cached.leads;
  }
}
