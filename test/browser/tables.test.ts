// Every table on every page carries the labels of its spec (src/lib/*/tables.ts), the same labels
// as the Markdown the CLI prints for that table (`tierlab … --format md`), and its "Download CSV"
// writes the spec's CSV header: the page, the Markdown and the CSV cannot name a column apart.
import {readFileSync} from "node:fs";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {loadLeadsFile} from "../../loaders/load-data.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {runBacktest, type Period} from "../../src/lib/backtest/backtest.js";
import * as backtestTables from "../../src/lib/backtest/tables.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import * as overviewTables from "../../src/lib/overview/tables.js";
import type {RuleSet} from "../../src/lib/rules/types.js";
import {crossStats, type SignalsConfig} from "../../src/lib/signals/signals.js";
import * as signalTables from "../../src/lib/signals/tables.js";
import {csvHeader, headerLabels, type TableSpec} from "../../src/lib/table/index.js";
import {compareRuleSets} from "../../src/lib/tiers/compare.js";
import * as tierTables from "../../src/lib/tiers/tables.js";
import {runCli} from "../support/cli.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";

const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));
// The default site: v3.2-consolidated against itself, the seeds' periods, data/signals.json.
const consolidated: RuleSet = read("data/rules/v3.2-consolidated.json");
const v31: RuleSet = read("data/rules/v3.1.json");
const periods: Period[] = read("data/periods.json").periods;
const signalsConfig: SignalsConfig = read("data/signals.json");

/** A table as a page shows it: its CSV file name (data-csv) and its header texts. */
interface Shown {
  csv: string;
  headers: string[];
}

/** What a table must carry: its spec and, when the CLI prints it, the Markdown section holding it. */
interface Expected {
  spec: TableSpec<never>;
  md?: {text: string; heading: string | RegExp};
}

let browser: Browser;
const expected = new Map<string, Map<string, Expected>>();
beforeAll(async () => {
  browser = await launchChromium();
  const parquet = distLeadsParquet(inject("distDir"));
  const cli = async (...args: string[]) => {
    const {code, out, err} = await runCli([...args, "--data", parquet, "--format", "md"]);
    if (code !== 0) throw new Error(`tierlab ${args[0]} failed (${code}): ${err}`);
    return out;
  };
  const [reportMd, signalsMd, backtestMd, inspectMd] = [
    await cli("report", "--rules", "v3.2-consolidated"),
    await cli("signals"),
    await cli("backtest", "--rules", "v3.2-consolidated"),
    await cli("inspect")
  ];
  const conn = await NodeConnector.open();
  await loadLeadsFile(conn, parquet);
  const columns = await describeColumns(conn, "leads");
  const comparison = await compareRuleSets(conn, consolidated, consolidated);
  const [a, b] = signalsConfig.cross!.map((c) => signalsConfig.bands.find((band) => band.column === c)!);
  const cross = await crossStats(conn, a, b, {columns});
  const bt = await runBacktest(conn, consolidated, periods, {columns, bands: signalsConfig.bands});
  const other = await runBacktest(conn, v31, periods, {columns});
  conn.close();
  const spec = <R>(s: TableSpec<R>) => s as TableSpec<never>;

  const tierPage = (prefix: string, md: boolean) =>
    new Map<string, Expected>([
      [`${prefix}tiers.csv`, {spec: spec(tierTables.tierTable(comparison.current, "tiers")), md: md ? {text: reportMd, heading: "## Tiers"} : undefined}],
      [`${prefix}gates.csv`, {spec: spec(tierTables.gateTable), md: md ? {text: reportMd, heading: "## Gates"} : undefined}],
      [`${prefix}deltas.csv`, {spec: spec(tierTables.deltaTable(comparison.compare.rules))}],
      [`${prefix}migration.csv`, {spec: spec(tierTables.migrationTable(comparison))}]
    ]);
  expected.set("/", new Map([
    ["splits.csv", {spec: spec(overviewTables.splitTable()), md: {text: inspectMd, heading: "## Splits"}}],
    ["monthly.csv", {spec: spec(overviewTables.monthTable), md: {text: inspectMd, heading: "## Monthly"}}],
    ["data-checks.csv", {spec: spec(overviewTables.checkTable), md: {text: inspectMd, heading: "## Data checks"}}]
  ]));
  expected.set("/tiers", new Map([...tierPage("", false), ["gains.csv", {spec: spec(tierTables.gainsTable(comparison.current)), md: {text: reportMd, heading: "## Gains"}}]]));
  expected.set("/report", new Map([
    ...tierPage("report-", true),
    ["report-gains.csv", {spec: spec(tierTables.gainsTable(comparison.current)), md: {text: reportMd, heading: "## Gains"}}],
    ["report-criteria.csv", {spec: spec(tierTables.criteriaTable)}]
  ]));
  expected.set("/signals", new Map<string, Expected>([
    ["signals.csv", {spec: spec(signalTables.signalTable), md: {text: signalsMd, heading: "## Signals, ranked by rate"}}],
    ...signalsConfig.bands.map((band): [string, Expected] => [`bands-${band.column}.csv`, {spec: spec(signalTables.bandTable), md: {text: signalsMd, heading: `## ${band.label ?? band.column} (\`${band.column}\`)`}}]),
    ["information-value.csv", {spec: spec(signalTables.bandIvTable), md: {text: signalsMd, heading: "## Information value by attribute"}}],
    [`cross-${cross.a.column}-${cross.b.column}.csv`, {spec: spec(signalTables.crossTable(cross))}]
  ]));
  const names = bt.periods.map((p) => p.name);
  expected.set("/backtest", new Map<string, Expected>([
    ["published-backtest.csv", {spec: spec(backtestTables.publishedTable(bt.rules))}],
    ["tier1-summary.csv", {spec: spec(backtestTables.tier1SummaryTable)}],
    ["test-lift.csv", {spec: spec(backtestTables.liftTable)}],
    ["stability-tiers.csv", {spec: spec(backtestTables.stabilityTable(names)), md: {text: backtestMd, heading: "## Stability of test lift across periods"}}],
    ...(bt.stability.some((s) => s.level === "group") ? [["stability-groups.csv", {spec: spec(backtestTables.stabilityTable(names)), md: {text: backtestMd, heading: "### Groups"}}] as [string, Expected]] : []),
    ["population-shift.csv", {spec: spec(backtestTables.shiftTable(bt.csiColumns)), md: {text: backtestMd, heading: "## Population stability and discrimination"}}],
    ["discrimination.csv", {spec: spec(backtestTables.discriminationTable(names)), md: {text: backtestMd, heading: "### Discrimination across periods"}}],
    ["backtest-gates.csv", {spec: spec(tierTables.gateTable), md: {text: backtestMd, heading: "## Gates"}}],
    ...names.map((name): [string, Expected] => [`calibration-${name}.csv`, {spec: spec(backtestTables.calibrationTable), md: {text: backtestMd, heading: new RegExp(`^## ${name}: train `)}}]),
    ["versions.csv", {spec: spec(backtestTables.versionTable(bt.rules, other.rules))}],
    ["versions-summary.csv", {spec: spec(backtestTables.tier1SummaryTable)}],
    ["days-to-mql.csv", {spec: spec(backtestTables.maturityTable), md: {text: backtestMd, heading: "## Maturity: days from contact to MQL"}}]
  ]));
}, 120_000);
afterAll(() => browser?.close());

/** The header cells of the first table under a Markdown heading. */
function markdownHeader(text: string, heading: string | RegExp): string[] {
  const lines = text.split("\n");
  const at = lines.findIndex((l) => (typeof heading === "string" ? l === heading : heading.test(l)));
  expect(at, `Markdown heading ${heading}`).toBeGreaterThanOrEqual(0);
  const header = lines.slice(at + 1).find((l) => l.startsWith("| "))!;
  return header.slice(2, -2).split(" | ");
}

/** Every table of the page: its CSV name and header texts (hidden ones too, e.g. in closed <details>). */
const shownTables = (page: Page): Promise<Shown[]> =>
  page.$$eval(".tl-table-block", (blocks) => blocks.map((b) => ({csv: b.getAttribute("data-csv") ?? "", headers: [...b.querySelectorAll("thead th")].map((th) => th.textContent ?? "")})));

/** The first line of the CSV a table's "Download CSV" writes, split into names (none holds a comma or quote). */
async function downloadedHeader(page: Page, csv: string): Promise<string[]> {
  // Chromium drops an automatic download that follows ten others within moments; a person does not
  // click that fast, so the test waits as one would.
  await page.waitForTimeout(500);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.$eval(`.tl-table-block[data-csv="${csv}"] > .tl-download`, (button) => (button as HTMLButtonElement).click())
  ]);
  expect(download.suggestedFilename()).toBe(csv);
  const text = readFileSync(await download.path(), "utf8");
  expect(text).toMatch(/\r\n$/);
  return text.split("\r\n")[0].split(",");
}

describe("every table: the page, the Markdown and the CSV carry its spec's labels", () => {
  for (const [path, ready] of [
    ["/", "#kpis .big"],
    ["/tiers", "#migration tbody tr"],
    ["/signals", "#cross ~ details tbody tr"],
    ["/backtest", "#versions tbody tr"],
    ["/report", "#report-migration tbody tr"]
  ] as const) {
    it(path, async () => {
      const {page, errors, external} = await watchedPage(browser);
      await page.goto(inject("baseUrl") + path);
      await page.waitForSelector(ready, {state: "attached", timeout: 90_000});
      const want = expected.get(path)!;
      // Wait until every expected table is drawn (the pages fill in cell by cell).
      await expect.poll(async () => (await shownTables(page)).map((t) => t.csv).sort(), {timeout: 30_000}).toEqual([...want.keys()].sort());
      for (const shown of await shownTables(page)) {
        const {spec, md} = want.get(shown.csv)!;
        expect(shown.headers, `${path} ${shown.csv}: page vs spec`).toEqual(headerLabels(spec));
        if (md) expect(markdownHeader(md.text, md.heading), `${path} ${shown.csv}: Markdown vs page`).toEqual(shown.headers);
        expect(await downloadedHeader(page, shown.csv), `${path} ${shown.csv}: CSV vs spec`).toEqual(csvHeader(spec));
      }
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
    });
  }
});
