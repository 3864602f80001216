import {DataError} from "../../src/lib/data-contract.js";
import {isIsoDate} from "../../src/lib/dates.js";
import {PopulationError, resolvePopulation, type Population} from "../../src/lib/population.js";
import {CONSTRAINTS, OBJECTIVES, TUNE_STEPS, TUNE_TOP, tune as runTune, type ConstraintId} from "../../src/lib/tiers/tune.js";
import {tuneToMarkdown} from "../../src/lib/tiers/tune-table.js";
import {choiceOption, intOption, required, UsageError, type Command, type Values} from "../command.js";
import {DATA_OPTIONS, populationFrom} from "../data.js";
import {ENGINE_HELP, ENGINE_OPTIONS, openEngine} from "../engine.js";
import {loadRules, presetIds} from "../rules.js";
import {DEFAULT_PERIODS, readPeriodsFile} from "./backtest.js";
import {thresholdErrors} from "./sweep.js";

/** `--fit TRAIN` or `--fit 2024-02-01:2024-06-30`: a split or a date window, inside the base population. */
export function windowOption(values: Values, name: string, fallback: string, base: Population): Population {
  const raw = String(values[name] ?? fallback).trim();
  let window: Population;
  if (/^(TRAIN|GAP|TEST)$/i.test(raw)) window = {split: raw.toUpperCase()};
  else {
    const m = /^(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$/.exec(raw);
    if (!m || !isIsoDate(m[1]) || !isIsoDate(m[2])) throw new UsageError(`--${name} must be a split (TRAIN, GAP, TEST) or a date window FROM:TO like 2024-02-01:2024-06-30, got ${JSON.stringify(raw)}`);
    if (m[2] < m[1]) throw new UsageError(`--${name} ends (${m[2]}) before it starts (${m[1]})`);
    window = {from: m[1], to: m[2]};
  }
  try {
    return resolvePopulation({}, {...base, ...window});
  } catch (error) {
    throw error instanceof PopulationError ? new UsageError(`--${name}: ${error.message}`) : error;
  }
}

/** An optional number option within [min, max]. */
function numberOption(values: Values, name: string, min: number, max = Infinity): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (String(v).trim() === "" || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min}${max === Infinity ? " up" : ` to ${max}`}, got ${JSON.stringify(v)}`);
  return n;
}

/** `--skip priority-share,tier-order`: constraints not applied. */
function skipOption(values: Values): ConstraintId[] | undefined {
  if (values.skip === undefined) return undefined;
  const ids = String(values.skip).split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !(CONSTRAINTS as readonly string[]).includes(id));
  if (unknown.length) throw new UsageError(`--skip takes constraints among ${CONSTRAINTS.join(", ")}, got ${unknown.map((id) => JSON.stringify(id)).join(", ")}`);
  return ids as ConstraintId[];
}

export const tune: Command = {
  name: "tune",
  summary: "propose thresholds for a tier: every candidate on a fit window, the best out of sample",
  help: `tierlab tune --data FILE --rules PRESET_OR_FILE --tier TIER_ID --free N[,N…] [--objective O] [--min-labeled N] [--min-lift L] [--min-rate X] [--fit TRAIN|FROM:TO] [--holdout TEST|FROM:TO] [--top K] [--steps S] [--skip C[,C…]] [--periods FILE] [--exclude-wirehouse] [--analysis-date DATE [--maturity-days DAYS]] [--format json|md]

Frees one to three numeric thresholds of a tier (the others stay), evaluates every combination of
candidate values (each freed column's distinct values on the fit window, or S quantiles, and the
current value) on the fit window, keeps those meeting every constraint and ranks them by the
objective — on the fit window only. The best K are then shown on the holdout, untouched, and over
the backtest periods (the tier's test lift: mean, min, sample SD), beside the current rules; a
candidate whose holdout lift falls outside its fit interval is flagged. When no candidate meets
the constraints, the closest one is shown with what it misses, and the exit code is 1.

  --data FILE            a .parquet or .csv leads file
  --rules R              a preset (${presetIds().join(", ")}) or a rule-set JSON file
  --tier TIER_ID         the tier to tune
  --free N[,N…]          the thresholds to free: N (when) or A.N (anyOf), with :low or :high for an
                         end of a between or notBetween (e.g. 1.2,2.2 or 1.1:low,1.1:high)
  --objective O          lift-lower (default): the tier's Wilson lower bound over the population's rate;
                         conversions: the tier's conversions at a rate ≥ --min-rate;
                         priority-conversions: the expected conversions of all priority tiers
  --min-labeled N        at least N labeled leads in the tier (default 50, the gates' small-sample mark)
  --min-lift L           lift vs all leads ≥ L (default 2, the gates' priority lift)
  --min-rate X           rate ≥ X, a fraction (default for conversions: the tier's current fit rate)
                         Also, unless skipped: the priority tiers' share within the gates' 5–15%, the
                         tier's Wilson lower bound above the fallback's upper bound, and tier order kept
                         (every tier whose rate is above the next one's under the current rules stays so).
  --skip C[,C…]          constraints not to apply: min-labeled, min-rate, min-lift, priority-share,
                         ci-separation, tier-order
  --fit W                the window candidates are ranked on: a split or FROM:TO (default TRAIN)
  --holdout W            the window reported beside them, never used to rank (default TEST)
  --top K                candidates shown out of sample (default ${TUNE_TOP})
  --steps S              candidate values per freed threshold (default ${TUNE_STEPS})
  --periods FILE         backtest periods (default data/periods.json)
  --exclude-wirehouse    leave wirehouse leads out of every window
  --analysis-date DATE   maturity: leads contacted after DATE − DAYS count in volume only
  --maturity-days DAYS   the maturity window (needs --analysis-date; default 0)
  --format F             json (default) or md
${ENGINE_HELP}`,
  options: {
    ...DATA_OPTIONS,
    ...ENGINE_OPTIONS,
    "exclude-wirehouse": {type: "boolean"},
    "analysis-date": {type: "string"},
    "maturity-days": {type: "string"},
    rules: {type: "string"},
    tier: {type: "string"},
    free: {type: "string"},
    objective: {type: "string"},
    "min-labeled": {type: "string"},
    "min-lift": {type: "string"},
    "min-rate": {type: "string"},
    fit: {type: "string"},
    holdout: {type: "string"},
    top: {type: "string"},
    steps: {type: "string"},
    skip: {type: "string"},
    periods: {type: "string"},
    format: {type: "string"}
  },
  async run(values, io) {
    const format = choiceOption(values, "format", ["json", "md"] as const, "json");
    const rulesSpec = required(values, "rules");
    const tier = required(values, "tier");
    const free = required(values, "free").split(",").map((f) => f.trim());
    const objective = choiceOption(values, "objective", OBJECTIVES, "lift-lower");
    const base = populationFrom(values);
    const fit = windowOption(values, "fit", "TRAIN", base);
    const holdout = windowOption(values, "holdout", "TEST", base);
    const request = {
      tier,
      free,
      objective,
      minLabeled: values["min-labeled"] === undefined ? undefined : intOption(values, "min-labeled", 0, 0),
      minLift: numberOption(values, "min-lift", 0),
      minRate: numberOption(values, "min-rate", 0, 1),
      top: intOption(values, "top", TUNE_TOP, 1),
      steps: intOption(values, "steps", TUNE_STEPS, 2),
      skip: skipOption(values)
    };
    const {periods, warnings} = readPeriodsFile(typeof values.periods === "string" ? values.periods : DEFAULT_PERIODS);
    for (const w of warnings) io.stderr(`warning: ${w}`);
    const engine = await openEngine(values, io);
    try {
      const rules = loadRules(rulesSpec, engine.columns);
      const result = await thresholdErrors(engine.table === "leads" ? String(values.data) : engine.table, () => runTune(engine.conn, rules, request, {fit, holdout, base, periods, columns: engine.columns, table: engine.table}));
      io.stdout(format === "json" ? JSON.stringify(result, null, 2) : tuneToMarkdown(result));
      // (The proposal's absence is the outcome: the output above shows the closest candidate.)
      if (result.candidates.length === 0) throw new DataError(tier, [{level: "error", message: result.message ?? "no candidate meets the constraints"}]);
    } finally {
      engine.close();
    }
  }
};
