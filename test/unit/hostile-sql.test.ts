// Names and values with quotes, semicolons and SQL — in a data file's column names and values, in
// rule sets, in signal definitions, in a permalink and its population — reach SQL only as quoted
// identifiers and literals. Proven by running the generated SQL on DuckDB against a `leads` table
// that really has those columns: the statements run, count what the TypeScript evaluator counts,
// and the table (and every other table) is still there afterwards.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadLeadsFile} from "../../loaders/load-data.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {compareRuleSets} from "../../src/lib/tiers/compare.js";
import type {Row} from "../../src/lib/connector.js";
import {decodeState, encodeState} from "../../src/lib/permalink.js";
import {populationWhere, resolvePopulation} from "../../src/lib/population.js";
import {tierReport} from "../../src/lib/tiers/report.js";
import {compileTierCase, evaluateTier, OPERATORS, parseRuleSet, scoringTableSql, type RuleSet} from "../../src/lib/rules/index.js";
import {investigateSignals, parseSignalsConfig} from "../../src/lib/signals/signals.js";
import {literal, quoteIdentifier} from "../../src/lib/sql.js";
import {runCli} from "../support/cli.js";
import {classify, tokenize} from "./fuzz-sql-tokens.js";
import {conditionWith, operatorIn, operatorsFor} from "./rule-arbitraries.js";

const OBRIEN = "O'Brien";
const DROP = `x"; DROP TABLE leads; --`;
const DROP2 = "'); DROP TABLE leads; --";
const TICK = "a`b\\`; DROP TABLE leads; --";
const VALUES = [OBRIEN, DROP, DROP2, TICK, "back\\slash", "two\nlines"];

let dir: string;
let conn: NodeConnector;
let columns: ColumnInfo[];
let rows: Row[];
const TABLES = [{table_name: "leads"}];

/** The rule set an analyst (or an attacker editing a link) could write about those columns. */
const hostileRules: RuleSet = {
  name: DROP,
  description: DROP2,
  tiers: [
    {id: DROP, label: OBRIEN, when: [{column: OBRIEN, gte: 3}, {column: DROP, eq: OBRIEN}]},
    {id: OBRIEN, label: DROP2, when: [{column: DROP2, in: [DROP, DROP2, "back\\slash"]}]},
    {id: TICK, label: TICK, anyOf: [[{column: TICK, ne: TICK}], [{column: DROP, notIn: ["two\nlines"]}, {column: OBRIEN, between: [1, 2]}]]}
  ],
  fallback: {id: DROP2, label: "rest"}
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-hostile-"));
  conn = await NodeConnector.open();
  // A data file whose column names are SQL, loaded the way every source is loaded (validated,
  // normalized, checked for duplicates and empty columns: every one of those queries names them).
  const file = join(dir, "hostile.parquet");
  const pick = (i: string, salt: string) => `[${VALUES.map((v) => literal(v)).join(", ")}][1 + (hash(${i}, '${salt}') % ${VALUES.length})::INTEGER]`;
  await conn.run(`COPY (
    SELECT CASE WHEN i % 50 = 0 THEN ${literal(DROP)} ELSE 'L' || i END AS lead_id,
      DATE '2024-02-01' + (i % 200)::INTEGER AS contacted_date,
      CASE WHEN i % 7 = 0 THEN NULL ELSE (hash(i, 't') % 4 = 0)::INTEGER END AS target,
      CASE WHEN i % 11 = 0 THEN NULL ELSE (hash(i, 'n') % 6)::INTEGER END AS ${quoteIdentifier(OBRIEN)},
      CASE WHEN i % 13 = 0 THEN NULL ELSE ${pick("i", "a")} END AS ${quoteIdentifier(DROP)},
      ${pick("i", "b")} AS ${quoteIdentifier(DROP2)},
      ${pick("i", "c")} AS ${quoteIdentifier(TICK)},
      CASE WHEN i % 3 = 0 THEN ${literal(DROP2)} ELSE 'TRAIN' END AS split
    FROM range(600) t(i)) TO ${literal(file)} (FORMAT parquet)`);
  const loaded = await loadLeadsFile(conn, file);
  columns = loaded.columns;
  expect(loaded.rows).toBe(600);
  expect(loaded.warnings.map((w) => w.message)).toEqual([`1 lead_id values appear more than once (e.g. ${JSON.stringify(DROP)}); every row is counted`]);
  rows = await conn.query(`SELECT * FROM leads`);
});
afterAll(() => conn?.close());

/** The leads table and nothing else, with all its rows. */
async function tableSurvives(): Promise<void> {
  expect(await conn.query(`SELECT table_name FROM duckdb_tables() ORDER BY 1`)).toEqual(TABLES);
  expect(await conn.query(`SELECT COUNT(*) AS n FROM leads`)).toEqual([{n: 600}]);
}

describe("hostile column names and values in a rule set", () => {
  it("validate against the data's columns and compile to SQL where they are only quoted", () => {
    const rules = parseRuleSet(hostileRules, columns);
    for (const dialect of ["duckdb", "bigquery"] as const) {
      const sql = compileTierCase(rules, {dialect});
      const found = classify(sql, dialect);
      expect(found.escaped).toEqual([]);
      expect(new Set(found.identifiers)).toEqual(new Set([OBRIEN, DROP, DROP2, TICK]));
      expect(new Set(found.strings)).toEqual(new Set([DROP, OBRIEN, DROP2, TICK, "back\\slash", "two\nlines"]));
    }
  });

  it("run on DuckDB: every lead lands in the tier the TypeScript evaluator gives it, and the table survives", async () => {
    const report = await tierReport(conn, hostileRules, {columns});
    const expected = new Map<string, number>();
    for (const row of rows) expected.set(evaluateTier(hostileRules, row), (expected.get(evaluateTier(hostileRules, row)) ?? 0) + 1);
    expect(report.tiers.map((t) => [t.id, t.leads])).toEqual([...hostileRules.tiers.map((t) => t.id), hostileRules.fallback.id].map((id) => [id, expected.get(id) ?? 0]));
    expect(report.tiers.filter((t) => t.leads > 0).length).toBe(4); // every tier matched something
    await tableSurvives();
  });

  it("the comparison query (the tier page's) and the deployment SQL run too", async () => {
    const comparison = await compareRuleSets(conn, hostileRules, hostileRules, {columns, population: {split: DROP2}});
    expect(comparison.current.population.leads).toBe(rows.filter((r) => r.split === DROP2).length);
    expect(comparison.matrix.every((m) => m.from === m.to)).toBe(true);
    await conn.run(scoringTableSql(hostileRules, {dialect: "duckdb", sourceTable: "leads", targetTable: `scores"; DROP TABLE leads; --`, modelVersion: DROP2}));
    const scored = await conn.query(`SELECT score_tier, model_version, COUNT(*) AS n FROM ${quoteIdentifier(`scores"; DROP TABLE leads; --`)} GROUP BY ALL ORDER BY n DESC LIMIT 1`);
    expect(scored[0].model_version).toBe(DROP2);
    await conn.run(`DROP TABLE ${quoteIdentifier(`scores"; DROP TABLE leads; --`)}`);
    await tableSurvives();
  });

  it("`tierlab sql` prints SQL that runs as it is, and the table survives", async () => {
    const file = join(dir, "hostile-rules.json");
    writeFileSync(file, JSON.stringify(hostileRules));
    const {code, out} = await runCli(["sql", "--rules", file, "--dialect", "duckdb", "--kind", "counts"]);
    expect(code).toBe(0);
    expect(tokenize(out, "duckdb").filter((t) => t.kind === "symbol" && t.text === ";")).toEqual([]);
    const counts = await conn.query(out);
    expect(counts.reduce((s, r) => s + Number(r.leads), 0)).toBe(600);
    await tableSurvives();
  });

  it("every operator of the table, on those columns with those values, reaches SQL only quoted and counts what the evaluator counts", async () => {
    // A tier per operator and column it applies to, operands drawn from the hostile values.
    const pools = {number: fc.constantFrom(0, 1, 2, 3, 4, 5), string: fc.constantFrom(...VALUES)};
    const tiers = [OBRIEN, DROP, TICK].flatMap((column, k) => {
      const kind = k === 0 ? "number" : "string";
      return operatorsFor(kind).flatMap((op) => fc.sample(conditionWith(column, op, pools[kind]), {numRuns: 2, seed: 11}).map((c, n) => ({id: `${DROP2}${op}${k}${n}`, label: op, when: [c]})));
    });
    const rules: RuleSet = {name: DROP, description: DROP2, tiers, fallback: {id: OBRIEN, label: "rest"}};
    expect(new Set(tiers.map((t) => operatorIn(t.when[0])))).toEqual(new Set(OPERATORS));
    parseRuleSet(rules, columns);
    for (const dialect of ["duckdb", "bigquery"] as const) {
      const found = classify(compileTierCase(rules, {dialect}), dialect);
      expect(found.escaped).toEqual([]);
      expect(new Set(found.identifiers)).toEqual(new Set([OBRIEN, DROP, TICK]));
    }
    const report = await tierReport(conn, rules, {columns});
    const expected = new Map<string, number>();
    for (const row of rows) expected.set(evaluateTier(rules, row), (expected.get(evaluateTier(rules, row)) ?? 0) + 1);
    expect(report.tiers.map((t) => [t.id, t.leads])).toEqual([...tiers.map((t) => t.id), OBRIEN].map((id) => [id, expected.get(id) ?? 0]));
    await tableSurvives();
  });

  it("numbers reach SQL as exactly the double written in the rule set", async () => {
    const values = [0.039449455727900797, 0.30000000000000004, -0.00018433070299469346, 2 ** 53 + 2, 123456789012345680000, 1e21, 5e-324, -0, 12, 0.5];
    const [row] = await conn.query(`SELECT ${values.map((v, i) => `CAST(${literal(v)} AS DOUBLE) AS v${i}`).join(", ")}`);
    expect(values.map((_, i) => row["v" + i])).toEqual(values.map((v) => (Object.is(v, -0) ? 0 : v)));
  });
});

describe("hostile text from a permalink", () => {
  it("a tampered link's rule set and population reach SQL only quoted", async () => {
    const link = await encodeState({rules: hostileRules, compare: DROP, population: {split: `TRAIN'; DROP TABLE leads; --`, excludeWirehouse: false}});
    const state = await decodeState(link);
    expect(state.rules).toEqual(hostileRules);
    const comparison = await compareRuleSets(conn, parseRuleSet(state.rules, columns), hostileRules, {columns, population: resolvePopulation({}, state.population)});
    expect(comparison.current.population.leads).toBe(0); // no lead has that split
    await tableSurvives();
  });

  it("a date that is not a date is refused before any SQL exists", () => {
    expect(() => populationWhere({from: "2024-01-01' OR '1'='1"})).toThrow(/not a date \(YYYY-MM-DD\)/);
    expect(() => populationWhere({to: "2024-01-01; DROP TABLE leads"})).toThrow(/not a date/);
  });
});

describe("hostile column names in signal definitions", () => {
  it("signals and bands on such columns run, counting what the evaluator counts, and the table survives", async () => {
    const config = parseSignalsConfig(
      {
        signals: [
          {id: DROP, label: DROP2, when: [{column: DROP, eq: OBRIEN}]},
          {id: OBRIEN, label: OBRIEN, when: [{column: OBRIEN, gte: 2}, {column: DROP2, in: [DROP, TICK]}]}
        ],
        bands: [{column: OBRIEN, edges: [1, 3, 5]}]
      },
      columns
    );
    const report = await investigateSignals(conn, config, {columns});
    const matches = (when: RuleSet["tiers"][number]["when"]) => rows.filter((row) => evaluateTier({name: "s", description: "", tiers: [{id: "Y", label: "Y", when}], fallback: {id: "N", label: "N"}}, row) === "Y").length;
    expect(report.signals.map((s) => [s.id, s.leads])).toEqual(expect.arrayContaining(config.signals.map((s) => [s.id, matches(s.when)])));
    const band = report.bands[0];
    expect(band.bands.reduce((s, b) => s + b.leads, 0) + band.missing.leads).toBe(600);
    expect(band.missing.leads).toBe(rows.filter((r) => r[OBRIEN] === null).length);
    await tableSurvives();
  });
});
