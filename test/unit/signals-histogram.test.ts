// Band and cross statistics from histograms and typed columns (src/lib/signals/histogram.ts) equal
// what bandStats and crossStats give by their SQL on native DuckDB, for random leads (NULL-laden
// integer, DOUBLE and DECIMAL columns), random populations and random edges — at and beyond the
// data's smallest and largest values, one edge or many. The expected values are that SQL's.
import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {maturityCutoff, type Population} from "../../src/lib/population.js";
import {literal, quoteIdentifier} from "../../src/lib/sql.js";
import {bandIndex, histogramSql, readHistogram, SignalCounts} from "../../src/lib/signals/histogram.js";
import {bandStats, crossStats, SignalsError, type BandDefinition} from "../../src/lib/signals/signals.js";

let db: NodeConnector;
beforeAll(async () => {
  db = await NodeConnector.open();
});
afterAll(() => db?.close());

/** The feature columns: their SQL type and the values a lead draws from (NULL besides). */
const COLUMNS = {
  i: {type: "INTEGER", values: [-1000, -3, -1, 0, 1, 2, 3, 7, 12, 1000]},
  s: {type: "SMALLINT", values: [0, 1, 2, 5, 10, 37]},
  big: {type: "BIGINT", values: [-4, 0, 4, 9]},
  d: {type: "DOUBLE", values: [-2.5, -0, 0, 0.1, 0.5, 1, 1.25, 3, 1e6, Infinity, -Infinity]},
  w: {type: "DOUBLE", values: [0, 1, 2, 12, 36, 37]},
  dec: {type: "DECIMAL(6,2)", values: [-1.5, 0, 0.25, 2, 12.75]}
} as const;
type Column = keyof typeof COLUMNS;
const NAMES = Object.keys(COLUMNS) as Column[];
/** Columns JavaScript compares exactly like SQL: the fast path must serve them (DECIMAL must not). */
const FAST: Column[] = ["i", "s", "big", "d", "w"];

const valueSql = (v: number | null) => (v === null ? "NULL" : Number.isFinite(v) ? (Object.is(v, -0) ? "-0.0::DOUBLE" : literal(v)) : `'${v > 0 ? "inf" : "-inf"}'::DOUBLE`);

const lead = fc.record({
  ...(Object.fromEntries(NAMES.map((n) => [n, fc.option(fc.constantFrom(...(COLUMNS[n].values as readonly number[])), {freq: 3})])) as Record<Column, fc.Arbitrary<number | null>>),
  target: fc.option(fc.constantFrom(0, 1), {freq: 5}),
  day: fc.integer({min: 0, max: 90}),
  split: fc.option(fc.constantFrom("TRAIN", "TEST"), {freq: 6}),
  wirehouse: fc.option(fc.constantFrom(0, 1), {freq: 5})
});
const population: fc.Arbitrary<Population> = fc
  .record(
    {
      from: fc.constantFrom("2024-01-01", "2024-02-01"),
      to: fc.constantFrom("2024-02-15", "2024-03-31"),
      split: fc.constantFrom("TRAIN", "TEST"),
      excludeWirehouse: fc.boolean(),
      analysisDate: fc.constantFrom("2024-03-31", "2024-02-20"),
      maturityDays: fc.constantFrom(0, 30)
    },
    {requiredKeys: []}
  )
  .map((p) => (p.maturityDays !== undefined && !p.analysisDate ? {...p, maturityDays: undefined} : p));
/** An edge: a value of the data (an edge at a value), between values, or beyond every value. */
const edge = fc.oneof(fc.constantFrom(-1e9, -1000, -3, -1, 0, 0.1, 0.5, 1, 1.5, 2, 3, 12, 36.5, 37, 1000, 1e9), fc.integer({min: -50, max: 50}), fc.double({min: -1e7, max: 1e7, noNaN: true}));
const edges = fc.oneof(fc.uniqueArray(edge, {minLength: 1, maxLength: 6, comparator: "SameValueZero"}), fc.uniqueArray(edge, {minLength: 20, maxLength: 50, comparator: "SameValueZero"})).map((e) => [...e].sort((a, b) => a - b));
const band = (column: Column): fc.Arbitrary<BandDefinition> => edges.map((e) => ({column, edges: e}));

type Lead = typeof lead extends fc.Arbitrary<infer L> ? L : never;

async function createLeads(leads: Lead[]): Promise<ColumnInfo[]> {
  await db.run("DROP TABLE IF EXISTS leads");
  const defs = NAMES.map((n) => `${quoteIdentifier(n)} ${COLUMNS[n].type}`).join(", ");
  await db.run(`CREATE TABLE leads (${defs}, target TINYINT, contacted_date DATE, split VARCHAR, is_wirehouse TINYINT)`);
  if (leads.length) {
    const rows = leads.map((l) => `(${[...NAMES.map((n) => valueSql(l[n])), literal(l.target), `DATE '2024-01-01' + ${l.day}`, literal(l.split), literal(l.wirehouse)].join(", ")})`);
    await db.run(`INSERT INTO leads VALUES ${rows.join(", ")}`);
  }
  return describeColumns(db, "leads");
}

/** A result without its SQL (the fast path shows the query it read, not the band query). */
const withoutSql = <T extends {sql: string}>(r: T): Omit<T, "sql"> => {
  const {sql: _, ...rest} = r;
  return rest;
};

describe("band and cross statistics from histograms equal bandStats / crossStats (DuckDB)", () => {
  it("for random leads, populations and edges", async () => {
    let fast = 0;
    let declined = 0;
    let beyond = 0;
    let many = 0;
    let immature = 0;
    const pair = fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES));
    await fc.assert(
      fc.asyncProperty(fc.array(lead, {maxLength: 40, size: "max"}), population, fc.array(fc.constantFrom(...NAMES).chain(band), {minLength: 1, maxLength: 4}), pair.chain(([a, b]) => fc.tuple(band(a), band(b))), async (leads, pop, bands, [ca, cb]) => {
        const columns = await createLeads(leads);
        // One cache for the whole run: every band after the first of a column reuses its histogram,
        // and the crosses the columns read at the first (all but the DECIMAL one).
        const counts = new SignalCounts(db, {columns, crossColumns: NAMES});
        for (const b of bands) {
          expect(withoutSql(await counts.band(b, pop))).toStrictEqual(withoutSql(await bandStats(db, b, {population: pop, columns})));
          const values = leads.map((l) => l[b.column as Column]).filter((v): v is number => v !== null);
          if (values.some((v) => v < b.edges[0]) || values.some((v) => v >= b.edges[b.edges.length - 1])) beyond++;
          if (b.edges.length >= 20) many++;
        }
        expect(withoutSql(await counts.cross(ca, cb, pop))).toStrictEqual(withoutSql(await crossStats(db, ca, cb, {population: pop, columns})));
        // The same pair the other way round (one read serves both orders).
        expect(withoutSql(await counts.cross(cb, ca, pop))).toStrictEqual(withoutSql(await crossStats(db, cb, ca, {population: pop, columns})));
        for (const [key, reason] of counts.declined) {
          // Only the DECIMAL column is sent to SQL.
          expect(JSON.parse(key).slice(1)).toContain("dec");
          expect(reason).toContain("DECIMAL");
          declined++;
        }
        if ([...bands.map((b) => b.column), ca.column, cb.column].some((c) => FAST.includes(c as Column))) fast++;
        const cutoff = maturityCutoff(pop);
        if (cutoff !== null && leads.some((l) => l.target !== null && new Date(Date.parse("2024-01-01") + l.day * 86_400_000).toISOString().slice(0, 10) > cutoff)) immature++;
      }),
      {numRuns: 150, seed: 20261203}
    );
    // (Enough runs of each kind to mean something.)
    expect(fast).toBeGreaterThan(120);
    expect(declined).toBeGreaterThan(20);
    expect(beyond).toBeGreaterThan(50);
    expect(many).toBeGreaterThan(20);
    expect(immature).toBeGreaterThan(20);
  });

  it("reads a histogram once per population and column, and a new one for another population", async () => {
    const leads: Lead[] = [
      {i: 1, s: 2, big: 0, d: 0.5, w: 1, dec: 0, target: 1, day: 0, split: "TRAIN", wirehouse: 0},
      {i: 5, s: 2, big: 0, d: 1.5, w: 1, dec: 0, target: 0, day: 1, split: "TEST", wirehouse: 1},
      {i: null, s: null, big: null, d: null, w: null, dec: null, target: null, day: 2, split: "TEST", wirehouse: 0}
    ];
    await createLeads(leads);
    const columns = await describeColumns(db, "leads");
    const queries: string[] = [];
    const counting = {dialect: db.dialect, query: (sql: string) => (queries.push(sql), db.query(sql)), columns: (sql: string) => (queries.push(sql), db.columns(sql))};
    const counts = new SignalCounts(counting, {columns});
    for (const e of [[2], [0, 3], [1, 2, 5, 6]]) {
      const r = await counts.band({column: "i", edges: e}, {});
      expect(r).toMatchObject(withoutSql(await bandStats(db, {column: "i", edges: e}, {columns})));
    }
    expect(queries).toEqual([histogramSql("i", {limit: 50_001})]);
    await counts.band({column: "i", edges: [3]}, {split: "TEST"});
    expect(queries).toHaveLength(2);
    expect(queries[1]).toContain(`"split" = 'TEST'`);
    // The cross: its pair's columns once, whatever the edges and the order.
    await counts.cross({column: "i", edges: [2]}, {column: "d", edges: [1]}, {});
    await counts.cross({column: "d", edges: [0, 1]}, {column: "i", edges: [4]}, {});
    expect(queries).toHaveLength(3);
    // With the cross columns named, the first cross reads them all, and another pair needs no query.
    const named = new SignalCounts(counting, {columns, crossColumns: ["i", "s", "d", "dec"]});
    const pairs: [string, string][] = [["i", "d"], ["s", "i"], ["d", "s"]];
    for (const [a, b] of pairs) {
      const [ba, bb] = [{column: a, edges: [1, 2]}, {column: b, edges: [0]}];
      expect(withoutSql(await named.cross(ba, bb))).toStrictEqual(withoutSql(await crossStats(db, ba, bb, {columns})));
    }
    expect(queries).toHaveLength(4);
    expect(queries[3]).toMatch(/"d".*"i".*"s"/s);
    // The DECIMAL column was left out of the read; its own crosses are counted by their SQL.
    expect(queries[3]).not.toContain("dec");
    expect(named.declined.size).toBe(0);
    // scanFirst: a population's first cross by its SQL, the columns read after it for the next.
    const first = new SignalCounts(counting, {columns, crossColumns: ["i", "d"], scanFirst: true});
    for (const [a, b] of [["i", "d"], ["d", "i"], ["i", "i"]]) {
      const [ba, bb] = [{column: a, edges: [2]}, {column: b, edges: [0.5, 5]}];
      expect(withoutSql(await first.cross(ba, bb, {split: "TEST"}))).toStrictEqual(withoutSql(await crossStats(db, ba, bb, {columns, population: {split: "TEST"}})));
    }
    expect(queries.slice(4).map((q) => (q.includes("CASE WHEN") ? "cross SQL" : q.includes('"split" = \'TEST\'') ? "read" : q))).toEqual(["cross SQL", "read"]);
  });

  it("counts a column with more distinct values than the limit by its SQL, with the same numbers", async () => {
    await createLeads([0, 1, 2, 3, 4].map((k): Lead => ({i: k, s: k, big: k, d: k / 2, w: k, dec: k, target: k % 2 ? 1 : 0, day: k, split: "TRAIN", wirehouse: 0})));
    const columns = await describeColumns(db, "leads");
    expect(await readHistogram(db, "d", {columns, limit: 4})).toEqual({reason: "d has more than 4 distinct values"});
    const counts = new SignalCounts(db, {columns, histogramLimit: 4});
    const b = {column: "d", edges: [0.5, 1.5]};
    expect(await counts.band(b)).toStrictEqual(await bandStats(db, b, {columns}));
    expect([...counts.declined.values()]).toEqual(["d has more than 4 distinct values"]);
  });

  it("refuses bad edges and unknown or text columns as bandStats does", async () => {
    const columns = await createLeads([]);
    const counts = new SignalCounts(db, {columns});
    await expect(counts.band({column: "i", edges: [3, 1]})).rejects.toThrow(SignalsError);
    await expect(counts.band({column: "i", edges: [3, 1]})).rejects.toThrow("edges must be strictly ascending, but 1 comes after 3");
    await expect(counts.band({column: "split", edges: [1]})).rejects.toThrow(`bands need a numeric column, but "split" is a string column`);
    await expect(counts.cross({column: "nope", edges: [1]}, {column: "i", edges: [1]})).rejects.toThrow(/nope/);
  });

  it("numbers bands as the SQL CASE does: below the first edge 0, [eᵢ₋₁, eᵢ) i, from the last n", () => {
    // Worked by hand for edges 0, 10, 20.
    const e = [0, 10, 20];
    expect([-1, 0, 9.99, 10, 19, 20, 1e9, -Infinity, Infinity].map((v) => bandIndex(e, v))).toEqual([0, 1, 1, 2, 2, 3, 3, 0, 3]);
  });
});
