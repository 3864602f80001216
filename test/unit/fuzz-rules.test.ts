// Property tests: random JSON and random rule sets (names and values with quotes, backslashes,
// newlines, NUL, SQL and any Unicode) thrown at the validator and the compiler. Never an exception
// other than a RuleSetError; when compilation succeeds, every name and value sits inside a quoted
// identifier or literal (checked by tokenizing the SQL of both dialects), and DuckDB, running the
// SQL on a table that has those columns, assigns every row the tier the TypeScript evaluator
// gives it — so the text reached SQL exactly as written — and never runs anything else.
import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {decodeState, PermalinkError} from "../../src/lib/permalink.js";
import {compileTierCase, evaluateTier, OPERATORS, parseRuleSet, parseRuleSetText, RuleSetError, safeParseRuleSet, type RuleSet, type Scalar} from "../../src/lib/rules/index.js";
import {literal, quoteIdentifier, SqlTextError} from "../../src/lib/sql.js";
import {classify, type Dialect} from "./fuzz-sql-tokens.js";
import {conditionOn, OperatorCounts, operatorIn} from "./rule-arbitraries.js";

const HOSTILE = [
  "O'Brien",
  `x"; DROP TABLE leads; --`,
  "'); DROP TABLE leads; --",
  "a`b\\`; DROP TABLE leads; --",
  "back\\slash\\",
  "line\nbreak\r\n",
  "tab\tand\u000bvt",
  "<img src=x onerror=alert(1)>",
  "/* comment */",
  "é́ 中文 🎉 \u202e",
  " ",
  "NULL",
  "CASE WHEN 1 THEN",
  "\u2028\u2029"
];

/** Any text: hostile fragments, random full-Unicode strings, and both glued together. */
const text = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({unit: "binary", maxLength: 12}),
  fc.string({unit: fc.constantFrom("'", '"', "`", "\\", "\n", ";", "-", "\u0000", "a", "é"), minLength: 1, maxLength: 8}),
  fc.tuple(fc.constantFrom(...HOSTILE), fc.string({maxLength: 6})).map(([a, b]) => a + b)
);
const nonEmptyText = text.filter((s) => s.length > 0);
// Full-precision doubles (16–17 digits) included: DuckDB must read each literal as exactly this double.
const number = fc.oneof(
  fc.integer({min: -1000, max: 1000}),
  fc.double({noNaN: true, noDefaultInfinity: true}),
  fc.double({min: -1000, max: 1000, noNaN: true}),
  fc.constantFrom(0, -0, 1e21, 5e-324, Number.MAX_VALUE, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 0.039449455727900797, 0.30000000000000004)
);

type Kind = "number" | "string" | "boolean";
const scalarOf = (kind: Kind): fc.Arbitrary<Scalar> => (kind === "number" ? number : kind === "string" ? text : fc.boolean());

/** A well-formed rule set over random columns (names unique ignoring case, as DuckDB needs). */
const ruleSetArb = fc
  .uniqueArray(fc.tuple(nonEmptyText, fc.constantFrom<Kind>("number", "string", "boolean")), {minLength: 1, maxLength: 4, selector: ([name]) => name.toLowerCase()})
  .chain((cols) => {
    const condition = fc.constantFrom(...cols).chain(([name, kind]) => conditionOn(name, kind, scalarOf(kind)));
    const tier = fc.record({id: nonEmptyText, label: text, when: fc.array(condition, {minLength: 1, maxLength: 3})});
    return fc.record({
      columns: fc.constant(cols.map(([name, kind]): ColumnInfo => ({name, kind, type: kind === "number" ? "DOUBLE" : kind === "string" ? "VARCHAR" : "BOOLEAN"}))),
      rules: fc.record({name: nonEmptyText, description: text, tiers: fc.uniqueArray(tier, {minLength: 1, maxLength: 4, selector: (t) => t.id}), fallback: fc.record({id: nonEmptyText, label: text})})
    });
  });

/**
 * Random rule sets that must reach the quoting checks, per dialect, of the 500 drawn: about half
 * compile (the rest have a NUL or an operand the column's kind refuses); 150 leaves room for chance.
 */
const MIN_CHECKED = 150;

const hasNul = (value: unknown): boolean => JSON.stringify(value).includes("\\u0000");
/** Replaces lone surrogates (DuckDB stores text as UTF-8, where they cannot exist). */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

/** Calls `f`; a RuleSetError (or, for text with a NUL, a SqlTextError) is a refusal, anything else fails the property. */
function refusalOr<T>(f: () => T, input: unknown): {ok: true; value: T} | {ok: false; error: Error} {
  try {
    return {ok: true, value: f()};
  } catch (error) {
    if (error instanceof RuleSetError) return {ok: false, error};
    if (error instanceof SqlTextError && hasNul(input)) return {ok: false, error};
    throw error;
  }
}

/** Every value a rule set puts into SQL: column names as identifiers; tier ids and string operands as literals. */
function sqlTexts(rules: RuleSet): {identifiers: Set<string>; strings: Set<string>} {
  const identifiers = new Set<string>();
  const strings = new Set<string>([rules.fallback.id]);
  for (const tier of rules.tiers) {
    strings.add(tier.id);
    for (const c of tier.when ?? []) {
      identifiers.add(c.column);
      for (const v of Object.values(c).slice(1).flat()) if (typeof v === "string") strings.add(v);
    }
  }
  return {identifiers, strings};
}

describe("the validator and the compiler on random input", () => {
  it("random JSON values: safeParseRuleSet never throws; parseRuleSet and compileTierCase throw only RuleSetError", () => {
    const shaped = fc.record({name: fc.anything(), description: fc.anything(), tiers: fc.oneof(fc.anything(), fc.array(fc.record({id: fc.anything(), label: fc.anything(), when: fc.oneof(fc.anything(), fc.array(fc.dictionary(fc.oneof(fc.constantFrom("column", "anyOf", ...OPERATORS), fc.string()), fc.anything())))}, {requiredKeys: []}))), fallback: fc.anything()}, {requiredKeys: []});
    fc.assert(
      fc.property(fc.oneof(fc.anything({withNullPrototype: true, withSparseArray: true, withBoxedValues: true}), fc.jsonValue(), shaped), (json) => {
        const result = safeParseRuleSet(json);
        expect(typeof result.ok).toBe("boolean");
        if (!result.ok) expect(result.issues.every((i) => typeof i === "string" && i.length > 0)).toBe(true);
        refusalOr(() => parseRuleSet(json), json);
        refusalOr(() => compileTierCase(json as RuleSet), json);
        refusalOr(() => compileTierCase(json as RuleSet, {dialect: "bigquery"}), json);
      }),
      {numRuns: 1500}
    );
  });

  it("random text: parseRuleSetText throws only RuleSetError, locating JSON errors by line and column", () => {
    let located = 0;
    fc.assert(
      fc.property(fc.oneof(fc.string({unit: "binary"}), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))), fc.json()), (input) => {
        const r = refusalOr(() => parseRuleSetText(input), input);
        if (!r.ok && /^invalid JSON/.test((r.error as RuleSetError).issues[0])) {
          expect((r.error as RuleSetError).issues[0]).toMatch(/^invalid JSON at line \d+, column \d+: /);
          located++;
        }
      }),
      {numRuns: 1000}
    );
    // The location check ran, on many of the inputs (most random text is not JSON).
    expect(located).toBeGreaterThanOrEqual(400);
  });

  it("random rule sets: compiled names and values appear only as quoted identifiers and literals, in both dialects", () => {
    // A refused compile (a NUL, a value the column's kind cannot hold) checks nothing: count those that reach the checks.
    const checked = {duckdb: 0, bigquery: 0};
    fc.assert(
      fc.property(ruleSetArb, ({rules}) => {
        const want = sqlTexts(rules as RuleSet);
        for (const dialect of ["duckdb", "bigquery"] as Dialect[]) {
          const compiled = refusalOr(() => compileTierCase(rules as RuleSet, {dialect}), rules);
          if (!compiled.ok) continue;
          const found = classify(compiled.value, dialect);
          expect(found.escaped).toEqual([]);
          expect(new Set(found.identifiers)).toEqual(want.identifiers);
          for (const s of found.strings) expect(want.strings.has(s)).toBe(true);
          for (const s of want.strings) expect(found.strings).toContain(s);
          checked[dialect]++;
        }
      }),
      {numRuns: 500}
    );
    expect(checked.duckdb).toBeGreaterThanOrEqual(MIN_CHECKED);
    expect(checked.bigquery).toBeGreaterThanOrEqual(MIN_CHECKED);
  });

  it("random permalinks: decodeState rejects only with a PermalinkError", async () => {
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({unit: "binary"}), fc.base64String().map((s) => "1." + s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, "")), fc.string().map((s) => "1." + s)), async (value) => {
        try {
          await decodeState(value);
        } catch (error) {
          expect(error).toBeInstanceOf(PermalinkError);
          rejected++;
        }
      }),
      {numRuns: 500}
    );
    // Nearly all random text is no permalink: the error type was checked on most runs.
    expect(rejected).toBeGreaterThanOrEqual(450);
  });

  it("a NUL character in a column name or a value is reported by the validator (RuleSetError)", () => {
    const rules = {name: "n", description: "", tiers: [{id: "A", label: "A", when: [{column: "a\u0000b", eq: 1}]}], fallback: {id: "S", label: "S"}};
    expect(() => compileTierCase(rules as RuleSet)).toThrow(RuleSetError);
    const value = {name: "n", description: "", tiers: [{id: "A", label: "A", when: [{column: "a", in: ["x", "y\u0000"]}]}], fallback: {id: "S", label: "S"}};
    expect(() => compileTierCase(value as RuleSet)).toThrow(/NUL character/);
  });
});

describe("the compiled SQL on DuckDB", () => {
  let conn: NodeConnector;
  beforeAll(async () => {
    conn = await NodeConnector.open({threads: 1});
    await conn.run(`CREATE TABLE leads AS SELECT 'sentinel' AS lead_id`);
  });
  afterAll(() => conn?.close());

  const rowsOf = (columns: ColumnInfo[]) =>
    fc.array(
      fc.tuple(...columns.map((c) => fc.option(scalarOf(c.kind as Kind), {freq: 4}))),
      {minLength: 1, maxLength: 8}
    );

  it("runs every compiled rule set on a table with its columns, each row in the evaluator's tier, the leads table untouched", async () => {
    const encodable = ruleSetArb.filter((r) => !hasNul(r) && JSON.stringify(r) === JSON.stringify(r, (_, v) => (typeof v === "string" ? wellFormed(v) : v)));
    const ran = new OperatorCounts();
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(
        encodable.chain((r) => fc.record({columns: fc.constant(r.columns), rules: fc.constant(r.rules), rows: rowsOf(r.columns)})),
        async ({columns, rules, rows}) => {
          fc.pre(safeParseRuleSet(rules, columns).ok);
          const clean = rows.map((row) => row.map((v) => (typeof v === "string" ? wellFormed(v.replace(/\u0000/g, "")) : v)));
          const sql = compileTierCase(rules as RuleSet, {columns});
          const names = columns.map((c) => quoteIdentifier(c.name));
          await conn.run(`CREATE OR REPLACE TABLE fuzz (${names.map((n, i) => `${n} ${columns[i].type}`).join(", ")}, "#row" INTEGER)`);
          await conn.run(`INSERT INTO fuzz VALUES ${clean.map((row, r) => `(${row.map((v) => literal(v)).join(", ")}, ${r})`).join(", ")}`);
          const got = await conn.query(`SELECT "#row" AS r, ${sql} AS tier FROM fuzz ORDER BY 1`);
          const stored = await conn.query(`SELECT * EXCLUDE ("#row") FROM fuzz ORDER BY "#row"`);
          expect(got.map((g) => g.tier)).toEqual(stored.map((row) => evaluateTier(rules as RuleSet, row)));
          expect(await conn.query(`SELECT lead_id FROM leads`)).toEqual([{lead_id: "sentinel"}]);
          expect(await conn.query(`SELECT table_name FROM duckdb_tables() ORDER BY 1`)).toEqual([{table_name: "fuzz"}, {table_name: "leads"}]);
          for (const tier of rules.tiers) for (const c of tier.when) ran.add(operatorIn(c));
          reached++;
        }
      ),
      {numRuns: 300}
    );
    // fc.pre skips rule sets the validator refuses; fast-check draws others until 300 ran.
    expect(reached).toBe(300);
    // Every operator of the table ran on DuckDB, in many rule sets.
    expect(ran.below(OPERATORS, 20)).toEqual({});
  });

  it("a rule on a column the table lacks fails only as a binder error naming it", async () => {
    await fc.assert(
      fc.asyncProperty(nonEmptyText.filter((s) => !s.includes("\u0000") && s.toLowerCase() !== "lead_id"), async (column) => {
        const sql = compileTierCase({name: "x", description: "", tiers: [{id: "A", label: "A", when: [{column, eq: column}]}], fallback: {id: "S", label: "S"}});
        const error = await conn.query(`SELECT ${sql} AS tier FROM leads`).then(() => null, (e: Error) => e);
        expect(error?.message).toMatch(/^Binder Error: Referenced column .* not found/s);
        expect(await conn.query(`SELECT lead_id FROM leads`)).toEqual([{lead_id: "sentinel"}]);
      }),
      {numRuns: 200}
    );
  });
});
