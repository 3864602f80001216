// Every statement tierlab writes for BigQuery, parsed as BigQuery by an independent parser
// (node-sql-parser's BigQuery grammar): the scoring CASE, the deployment statements of `tierlab sql`
// and the export, and everything `--engine bigquery` sends (report, backtest with its maturity,
// signals, sweep, tune). The stand-in client (bigquery-stand-in.ts) runs the text on DuckDB, which
// also accepts DuckDB-only syntax; this test is what refuses it. Beyond the grammar, every function
// called and every type cast to must be BigQuery's (the grammar takes any name as a function).
//
// One construct the parser cannot read, named here and handled openly: a backslash-escaped backtick
// inside a quoted identifier (`a\`b`), which BigQuery accepts but node-sql-parser 5.4.0's grammar
// ends the identifier at. Random column names with a backtick are counted, and their SQL is parsed
// with each such identifier replaced by a plain one.
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import fc from "fast-check";
import sqlParser from "node-sql-parser";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {loadRules, presetIds} from "../../cli/rules.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import type {Population} from "../../src/lib/population.js";
import {calibrationTableSql, salesforceSyncSql, scoringTableSql} from "../../src/lib/rules/export-sql.js";
import {compileTierCase, OPERATORS, safeParseRuleSet, type RuleSet, type Scalar} from "../../src/lib/rules/index.js";
import {signalsSql} from "../../src/lib/signals/signals.js";
import {quoteIdentifier} from "../../src/lib/sql.js";
import {bigQueryStandIn} from "./bigquery-stand-in.js";
import {runCli} from "../support/cli.js";
import {conditionOn, OperatorCounts, operatorIn} from "./rule-arbitraries.js";

const parser = new sqlParser.Parser();

/**
 * BigQuery functions and cast types tierlab may call, from BigQuery's function reference
 * (cloud.google.com/bigquery/docs/reference/standard-sql/functions-all). DuckDB-only names such as
 * `quantile_cont`, `printf`, `date_part` or the type `BIGINT` are not in them. `NOT` is here because
 * the parser reads `NOT (…)` as a call.
 */
const BIGQUERY_FUNCTIONS = new Set(
  "COUNT COUNTIF SUM MIN MAX AVG COALESCE IF IFNULL NULLIF FLOOR CEIL ROUND ABS SAFE_DIVIDE STARTS_WITH ENDS_WITH FORMAT CONCAT LOWER UPPER CURRENT_TIMESTAMP CURRENT_DATE DATE_DIFF DATE_ADD DATE_SUB APPROX_QUANTILES NOT".split(" ")
);
const BIGQUERY_TYPES = new Set("INT64 FLOAT64 NUMERIC BIGNUMERIC STRING BOOL DATE DATETIME TIMESTAMP".split(" "));

/** The function names and cast types of a parsed statement. */
function callsOf(node: unknown, out = {functions: new Set<string>(), types: new Set<string>()}) {
  if (Array.isArray(node)) node.forEach((n) => callsOf(n, out));
  else if (node !== null && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (o.type === "aggr_func" && typeof o.name === "string") out.functions.add(o.name.toUpperCase());
    if (o.type === "function") {
      const name = o.name as {name?: {value: string}[]; schema?: {value: string}};
      out.functions.add([name.schema?.value, ...(name.name ?? []).map((p) => p.value)].filter(Boolean).join(".").toUpperCase());
    }
    if (o.type === "cast") for (const t of (o.target as {dataType: string}[]) ?? []) out.types.add(t.dataType.toUpperCase());
    Object.values(o).forEach((v) => callsOf(v, out));
  }
  return out;
}

/** Parses `sql` as one BigQuery statement and checks its calls; throws with the parser's message and the SQL. */
function parseBigQuery(sql: string): void {
  let ast: unknown;
  try {
    ast = parser.astify(sql, {database: "bigquery"});
  } catch (error) {
    throw new Error(`BigQuery grammar refuses: ${(error as Error).message}\n--- SQL ---\n${sql}`);
  }
  // One statement: text that closed its quotes and began a second statement would be two.
  expect(Array.isArray(ast) ? ast.length : 1, sql).toBe(1);
  const {functions, types} = callsOf(ast);
  expect([...functions].filter((f) => !BIGQUERY_FUNCTIONS.has(f)), sql).toEqual([]);
  expect([...types].filter((t) => !BIGQUERY_TYPES.has(t)), sql).toEqual([]);
}

const TABLE = "acme-analytics.ml_features.lead_scoring_features_pit";
const POPULATIONS: {name: string; args: string[]; population: Population}[] = [
  {name: "all leads", args: [], population: {}},
  {
    name: "every population option",
    args: ["--split", "TRAIN", "--from", "2024-03-01", "--to", "2025-05-31", "--exclude-wirehouse", "--analysis-date", "2025-06-30", "--maturity-days", "60"],
    population: {split: "TRAIN", from: "2024-03-01", to: "2025-05-31", excludeWirehouse: true, analysisDate: "2025-06-30", maturityDays: 60}
  }
];

describe("the parser is strict where it matters", () => {
  it("refuses DuckDB's FILTER clause (the DuckDB signals query) and a DuckDB cast, and reads their BigQuery forms", () => {
    const signal = [{when: [{column: "num_prior_firms", gte: 3}]}];
    expect(() => parseBigQuery(signalsSql(signal, {dialect: "duckdb"}))).toThrow(/BigQuery grammar refuses/);
    parseBigQuery(signalsSql(signal, {dialect: "bigquery"}));
    expect(() => parseBigQuery("SELECT CAST(x AS BIGINT) AS n FROM `p.d.t`")).toThrow(/BigQuery grammar refuses/);
    expect(() => parseBigQuery("SELECT quantile_cont(x, 0.5) AS q FROM `p.d.t`")).toThrow(/QUANTILE_CONT/);
    expect(() => parseBigQuery("SELECT 1 AS a FROM `p.d.t`; SELECT 2 AS b FROM `p.d.t`")).toThrow();
  });
});

describe("tierlab sql and the deployment statements, every preset", () => {
  for (const id of presetIds()) {
    it(`${id}: the CASE, the counts query, the scoring table, the Salesforce sync, the calibration table`, async () => {
      const printed: string[] = [];
      for (const kind of ["case", "counts", "scoring"]) {
        const r = await runCli(["sql", "--rules", id, "--dialect", "bigquery", "--kind", kind, "--table", TABLE]);
        expect(r.code, r.err).toBe(0);
        printed.push(kind === "case" ? `SELECT ${r.out} AS tier FROM \`${TABLE}\`` : r.out);
      }
      const rules = loadRules(id);
      const options = {sourceTable: TABLE, targetTable: "acme-analytics.scoring.scores", modelVersion: "v'1", calibrationTable: "acme-analytics.scoring.calibration"};
      printed.push(scoringTableSql(rules, options), salesforceSyncSql(rules, options));
      for (const {population} of POPULATIONS) printed.push(calibrationTableSql(rules, {...options, calibrationPopulation: population}));
      printed.forEach(parseBigQuery);
      expect(printed).toHaveLength(5 + POPULATIONS.length);
    });
  }
});

describe("--engine bigquery: every statement sent", () => {
  let conn: NodeConnector;
  const sent: string[] = [];
  const client = bigQueryStandIn(() => conn, TABLE, sent);
  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tierlab-bqparse-")), "leads.parquet");
    expect((await runCli(["generate", "--rows", "6000", "--seed", "11", "--out", file])).code).toBe(0);
    conn = await NodeConnector.open();
    await conn.run(`CREATE TABLE leads AS SELECT * FROM read_parquet('${file}')`);
  });
  afterAll(() => conn?.close());

  // Each command with the number of statements it sends (report 1; backtest 2, +1 for the maturity
  // of --format md; signals 1 + one per band column of data/signals.json; sweep 1; tune several).
  const commands: {args: string[]; statements: number}[] = [
    {args: ["report", "--rules", "v3.2"], statements: 1},
    {args: ["backtest", "--rules", "v3.1"], statements: 2},
    {args: ["backtest", "--rules", "v3.2", "--format", "md"], statements: 3},
    {args: ["signals"], statements: 6},
    {args: ["sweep", "--rules", "v3.2-consolidated", "--tier", "TIER_3_MODERATE_BLEEDER", "--condition", "1", "--bound", "high"], statements: 1},
    {args: ["tune", "--rules", "v3.2-consolidated", "--tier", "TIER_1_PRIME_MOVER", "--free", "2.2", "--steps", "4", "--skip", "tier-order"], statements: 2}
  ];
  for (const {args, statements} of commands) {
    for (const pop of POPULATIONS) {
      it(`${args.slice(0, 3).join(" ")}, ${pop.name}`, async () => {
        sent.length = 0;
        // tune takes fit and holdout windows where the other commands take --split, --from and --to.
        const popArgs = args[0] === "tune" && pop.args.length ? ["--fit", "2024-03-01:2024-12-31", "--holdout", "2025-01-01:2025-05-31", ...pop.args.slice(6)] : pop.args;
        const r = await runCli([...args, ...popArgs, "--engine", "bigquery", "--bigquery", TABLE], {bigqueryClient: client});
        expect(r.err).toBe("");
        expect(r.code).toBe(0);
        expect(sent.length).toBeGreaterThanOrEqual(statements);
        sent.forEach(parseBigQuery);
      });
    }
  }
});

describe("random rule sets: the BigQuery CASE of every operator, hostile names and values", () => {
  const names = fc.oneof(
    fc.constantFrom("O'Brien", "a`b", "back\\slash\\", "line\nbreak", "é 中文 🎉\u202e", "select", "x; DROP TABLE t; --", "/* c */", "tab\tx"),
    fc.string({unit: fc.constantFrom("'", '"', "`", "\\", "\n", ";", "-", "a", "é", " "), minLength: 1, maxLength: 6})
  );
  const text = fc.oneof(names, fc.string({maxLength: 8}));
  const number = fc.oneof(fc.integer({min: -1000, max: 1000}), fc.double({noNaN: true, noDefaultInfinity: true}), fc.constantFrom(0, -0, 1e21, 5e-324, 2 ** 53 + 2));
  const scalarOf = (kind: "number" | "string" | "boolean"): fc.Arbitrary<Scalar> => (kind === "number" ? number : kind === "string" ? text : fc.boolean());
  const ruleSets = fc
    .uniqueArray(fc.tuple(names, fc.constantFrom("number" as const, "string" as const, "boolean" as const)), {minLength: 1, maxLength: 4, selector: ([n]) => n})
    .chain((cols) => {
      const condition = fc.constantFrom(...cols).chain(([name, kind]) => conditionOn(name, kind, scalarOf(kind)));
      const tier = fc.record({id: text.filter((s) => s.length > 0), label: text, when: fc.array(condition, {minLength: 1, maxLength: 3})});
      return fc.record({
        columns: fc.constant(cols.map(([name, kind]): ColumnInfo => ({name, kind, type: kind === "number" ? "FLOAT64" : kind === "string" ? "STRING" : "BOOL"}))),
        rules: fc.record({name: fc.constant("fuzz"), description: fc.constant(""), tiers: fc.uniqueArray(tier, {minLength: 1, maxLength: 4, selector: (t) => t.id}), fallback: fc.constant({id: "STANDARD", label: "Standard"})})
      });
    });

  it("parses as one BigQuery statement; names with a backtick are parsed with the name replaced, and counted", () => {
    const parsed = new OperatorCounts();
    let withBacktick = 0;
    fc.assert(
      fc.property(ruleSets, ({columns, rules}) => {
        fc.pre(safeParseRuleSet(rules, columns).ok);
        let sql = `SELECT ${compileTierCase(rules as RuleSet, {dialect: "bigquery", columns})} AS tier FROM \`${TABLE}\``;
        // The parser's one gap (see the top of the file): swap each identifier holding a backtick.
        columns.forEach((c, i) => {
          if (!c.name.includes("`")) return;
          withBacktick++;
          sql = sql.replaceAll(quoteIdentifier(c.name, "bigquery"), `\`backtick_name_${i}\``);
        });
        parseBigQuery(sql);
        for (const t of rules.tiers) for (const c of t.when) parsed.add(operatorIn(c));
        parsed.add("statement");
      }),
      {numRuns: 400}
    );
    // Most cases reached the parser, every operator many times, and the named gap stayed a minority.
    expect(parsed.get("statement")).toBeGreaterThanOrEqual(300);
    expect(parsed.below(OPERATORS, 20)).toEqual({});
    expect(withBacktick).toBeLessThan(parsed.get("statement"));
  });
});
