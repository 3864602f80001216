// Every table is declared once, as a spec (src/lib/*/tables.ts): its Markdown header is the
// spec's labels and its CSV header the spec's names, for every spec, on rows computed from the
// hand-built fixtures; every row has as many cells as the header; the flag words of the tier table
// are the same in Markdown and CSV. (The page's headers are checked in test/browser/tables.test.ts.)
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadLeadsFile} from "../../loaders/load-data.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {runBacktest, type Backtest} from "../../src/lib/backtest/backtest.js";
import {calibrationRows, discriminationRows, liftPoints, maturityRows, periodRows, publishedRows, stabilityRows, versionRows} from "../../src/lib/backtest/format.js";
import {maturityAnalysis, type Maturity} from "../../src/lib/backtest/maturity.js";
import * as backtestTables from "../../src/lib/backtest/tables.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {overview, type Overview} from "../../src/lib/overview/overview.js";
import * as overviewTables from "../../src/lib/overview/tables.js";
import {crossStats, investigateSignals, type CrossResult, type SignalsConfig, type SignalsReport} from "../../src/lib/signals/signals.js";
import * as signalTables from "../../src/lib/signals/tables.js";
import {csvHeader, csvTable, headerLabels, markdownTable, type TableSpec} from "../../src/lib/table/index.js";
import {reportFromCounts, type Report} from "../../src/lib/tiers/report.js";
import {tierDeltas, type Comparison} from "../../src/lib/tiers/compare.js";
import * as tierTables from "../../src/lib/tiers/tables.js";
import {HAND_PERIODS, HAND_RULES, handLeadsSql} from "./backtest-fixture.js";
import {writeFixture} from "./signals-fixture.js";
import {parseCsv} from "../csv-records.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SIGNALS = JSON.parse(readFileSync(join(ROOT, "data", "signals.json"), "utf8")) as SignalsConfig;
const REFERENCE = JSON.parse(readFileSync(join(ROOT, "data", "reference", "published.json"), "utf8"));

/** A Markdown table's lines as cells (no label or cell here holds an escaped pipe). */
const mdCells = (line: string) => line.replace(/^\| /, "").replace(/ \|$/, "").split(" | ");

let report: Report;
let comparison: Comparison;
let signals: SignalsReport;
let cross: CrossResult;
let bt: Backtest;
let other: Backtest;
let maturity: Maturity;
let ov: Overview;
beforeAll(async () => {
  // Tier tables: counts with a small tier (n < 50), a significant one and a not significant one.
  const counts = (t1: number) => [
    {tier: "T1", leads: 40, labeled: t1, conversions: Math.round(t1 / 2)},
    {tier: "T2", leads: 300, labeled: 290, conversions: 12},
    {tier: "T3", leads: 0, labeled: 0, conversions: 0},
    {tier: "REST", leads: 2000, labeled: 1900, conversions: 60}
  ];
  report = reportFromCounts(HAND_RULES, counts(30));
  const before = reportFromCounts({...HAND_RULES, name: "before"}, counts(36));
  comparison = {current: report, compare: before, matrix: [{from: "T1", to: "T1", leads: 35, labeled: 30, conversions: 15}, {from: "REST", to: "T1", leads: 5, labeled: 0, conversions: 0}, {from: "T2", to: "T2", leads: 300, labeled: 290, conversions: 12}, {from: "REST", to: "REST", leads: 2000, labeled: 1900, conversions: 60}], sql: ""};

  const conn = await NodeConnector.open();
  await loadLeadsFile(conn, writeFixture());
  const columns = await describeColumns(conn, "leads");
  signals = await investigateSignals(conn, SIGNALS, {columns});
  cross = await crossStats(conn, SIGNALS.bands[0], SIGNALS.bands[2], {columns});
  ov = await overview(conn);
  conn.close();

  const db = await NodeConnector.open();
  await db.run(handLeadsSql("leads"));
  bt = await runBacktest(db, HAND_RULES, HAND_PERIODS);
  other = await runBacktest(db, {...HAND_RULES, name: "other", tiers: HAND_RULES.tiers.slice(0, 2)}, HAND_PERIODS);
  maturity = (await maturityAnalysis(db))!;
  db.close();
});
afterAll(() => {});

/** Every spec, or spec factory, each tables module exports, with rows computed above. */
function cases(): [string, TableSpec<never>, readonly unknown[]][] {
  const periods = bt.periods.map((p) => p.name);
  const list: [string, TableSpec<never>, readonly unknown[]][] = [
    ["tiers.tierTable (tiers)", tierTables.tierTable(report, "tiers") as TableSpec<never>, report.tiers],
    ["tiers.tierTable (groups)", tierTables.tierTable(report, "groups") as TableSpec<never>, report.groups],
    ["tiers.gainsTable", tierTables.gainsTable(report) as TableSpec<never>, report.gains],
    ["tiers.gateTable", tierTables.gateTable as TableSpec<never>, [...report.gates, ...bt.gates]],
    ["tiers.deltaTable", tierTables.deltaTable(comparison.compare.rules) as TableSpec<never>, tierDeltas(comparison)],
    ["tiers.migrationTable", tierTables.migrationTable(comparison) as TableSpec<never>, tierTables.migrationRows(comparison)],
    ["tiers.criteriaTable", tierTables.criteriaTable as TableSpec<never>, HAND_RULES.tiers],
    ["signals.signalTable", signalTables.signalTable as TableSpec<never>, signals.signals],
    ["signals.bandTable", signalTables.bandTable as TableSpec<never>, signals.bands.flatMap((b) => signalTables.bandRows(b))],
    ["signals.crossTable", signalTables.crossTable(cross) as TableSpec<never>, cross.cells],
    ["signals.bandIvTable", signalTables.bandIvTable as TableSpec<never>, signals.bands],
    ["backtest.periodTable", backtestTables.periodTable as TableSpec<never>, periodRows(bt)],
    ["backtest.stabilityTable", backtestTables.stabilityTable(periods) as TableSpec<never>, [...stabilityRows(bt, "tiers"), ...stabilityRows(bt, "groups")]],
    ["backtest.calibrationTable", backtestTables.calibrationTable as TableSpec<never>, bt.results.flatMap((_, i) => calibrationRows(bt, i, "tiers"))],
    ["backtest.liftTable", backtestTables.liftTable as TableSpec<never>, [...liftPoints(bt, "tiers"), ...liftPoints(other, "groups").map((p) => ({...p, series: `other: ${p.label}`}))]],
    ["backtest.publishedTable", backtestTables.publishedTable(bt.rules) as TableSpec<never>, publishedRows(REFERENCE.backtest, bt)],
    ["backtest.versionTable", backtestTables.versionTable(bt.rules, other.rules) as TableSpec<never>, versionRows(bt, other)],
    ["backtest.tier1SummaryTable", backtestTables.tier1SummaryTable as TableSpec<never>, [{who: bt.rules, ...bt.tier1, passed: 1}, {who: "seeds", mean: 5.1, min: 4.6, max: 5.9, sd: 0.6}]],
    ["backtest.shiftTable", backtestTables.shiftTable([{column: "x", label: "x"}]) as TableSpec<never>, bt.results.map((r) => ({...r, csi: {x: r.psi}}))],
    ["backtest.discriminationTable", backtestTables.discriminationTable(periods) as TableSpec<never>, discriminationRows(bt)],
    ["backtest.maturityTable", backtestTables.maturityTable as TableSpec<never>, maturityRows(maturity, REFERENCE.maturity)],
    ["overview.populationTable", overviewTables.populationTable as TableSpec<never>, [ov.population]],
    ["overview.splitTable", overviewTables.splitTable(REFERENCE.splits.splits) as TableSpec<never>, ov.splits],
    ["overview.monthTable", overviewTables.monthTable as TableSpec<never>, ov.monthly],
    ["overview.checkTable", overviewTables.checkTable as TableSpec<never>, ov.checks.columns]
  ];
  return list;
}

describe("table specs", () => {
  it("cover every table the tables modules export", () => {
    const exported = Object.entries({tiers: tierTables, signals: signalTables, backtest: backtestTables, overview: overviewTables}).flatMap(([module, exports]) =>
      Object.entries(exports)
        .filter(([name, value]) => (typeof value === "function" && /Table$/.test(name)) || (typeof value === "object" && value !== null && "columns" in value))
        .map(([name]) => `${module}.${name}`)
    );
    const covered = new Set(cases().map(([name]) => name.replace(/ \(.*\)$/, "")));
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
  });

  it("every spec: the Markdown header is its labels and the CSV header its names", () => {
    for (const [name, spec, rows] of cases()) {
      expect(rows.length, name).toBeGreaterThan(0);
      const labels = spec.columns.filter((c) => c.label !== undefined).map((c) => c.label);
      expect(headerLabels(spec), name).toEqual(labels);

      const md = markdownTable(spec, rows as never[]).split("\n");
      expect(mdCells(md[0]), name).toEqual(labels);
      expect(md[1].slice(1, -1).split("|").length, name).toBe(labels.length);
      expect(md.length - 2, name).toBe(rows.length);
      for (const line of md.slice(2)) expect(mdCells(line).length, `${name}: ${line}`).toBe(labels.length);

      const csv = parseCsv(csvTable(spec, rows as never[]));
      expect(csv[0], name).toEqual(csvHeader(spec));
      expect(new Set(csv[0]).size, `${name}: CSV names are unique`).toBe(csv[0].length);
      // A column's CSV names: the spec's own, or the key in snake_case when it gives none.
      const named = spec.columns.flatMap((c) => (c.csv === false ? [] : c.csv === undefined ? [String(c.key).replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`)] : typeof c.csv === "string" ? [c.csv] : c.csv.map((f) => f.name)));
      expect(csv[0], name).toEqual(named);
      expect(csv.length - 1, name).toBe(rows.length);
      for (const record of csv.slice(1)) expect(record.length, name).toBe(csv[0].length);
    }
  });

  it("the tier table's flags read the same in Markdown and CSV", () => {
    const spec = tierTables.tierTable(report, "tiers");
    const md = markdownTable(spec, report.tiers).split("\n");
    const flagsAt = mdCells(md[0]).indexOf("flags");
    const csv = parseCsv(csvTable(spec, report.tiers));
    const csvFlags = csv[0].indexOf("flags");
    const mdFlags = md.slice(2).map((line) => mdCells(line)[flagsAt]);
    expect(mdFlags).toEqual(csv.slice(1).map((r) => r[csvFlags]));
    // T1: 30 labeled (< 50) and 15 of 30 against REST's 60 of 1,900: significant; T2: 12 of 290
    // (4.1%) against 3.2%: not significant; T3: empty; REST: the fallback.
    expect(mdFlags).toEqual(["n < 50", "not significant", "n < 50", "fallback"]);
    expect(report.tiers.map((t) => [t.small, t.significant])).toEqual([[true, true], [false, false], [true, null], [false, null]]);
  });
});
