// The backtest page in Chromium against the test's own SQL on the published Parquet (a hand CASE
// of the rule set, numbers written out by an independent formatter) and the published values as
// literal text; beside that, against `tierlab backtest` (the CLI, native DuckDB) on the same file
// for every table. Changing the rule set, a period or the maturity draws new tables (new nodes)
// with other numbers. The page counts from the columns file and says so; without the file, by SQL,
// with the same numbers.
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {main} from "../../cli/main.js";
import {loadLeadsFile} from "../../loaders/load-data.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import type {BacktestJson} from "../../src/lib/backtest/backtest.js";
import {formatValue, int, pct, times} from "../../src/lib/format.js";
import {stabilityLight} from "../../src/lib/backtest/stability.js";
import {encodeState} from "../../src/lib/permalink.js";
import type {RuleSet} from "../../src/lib/rules/types.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";
import {count, interval, katz95, lift, liftInterval, percent, tierCounts, V31, wilson95, CONSOLIDATED, type Counts, type HandRules} from "./independent.js";
import {markShown, waitForNew} from "./redraw.js";

let browser: Browser;
let parquet: string;
let dir: string;
beforeAll(async () => {
  browser = await launchChromium();
  parquet = distLeadsParquet(inject("distDir"));
  dir = mkdtempSync(join(tmpdir(), "tierlab-backtest-page-"));
});
afterAll(async () => {
  await browser?.close();
});

/** Runs the real CLI and parses its JSON. */
async function cli(...args: string[]): Promise<BacktestJson> {
  let out = "";
  let err = "";
  const code = await main(["backtest", "--data", parquet, ...args], {stdout: (t) => (out += t), stderr: (t) => (err += t)});
  if (code !== 0) throw new Error(`tierlab backtest failed (${code}): ${err}`);
  return JSON.parse(out);
}

const cells = (page: Page, selector: string) =>
  page.$$eval(selector, (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));

/** The stability table (tiers) as the CLI's JSON says it should read. */
const expectedStability = (json: BacktestJson) =>
  json.stability
    .filter((s) => s.level === "tier")
    .map((s) => [s.label, ...s.lifts.map((l) => times(l)), times(s.mean), times(s.min), times(s.max), times(s.sd), `${s.lifts.filter((l) => l !== null).length} of ${s.lifts.length}`]);

/** Period i's calibration table (groups): train n, calibrated rate, train lift, test leads, n, conversions, rate, lift. */
const expectedPeriod = (json: BacktestJson, i: number) =>
  json.periods[i].train.groups.map((g, k) => {
    const t = json.periods[i].test.groups[k];
    return [g.label, int(g.labeled), pct(g.rate), times(g.lift), int(t.leads), int(t.labeled), int(t.conversions), pct(t.rate), times(t.lift)];
  });
const shownPeriod = async (page: Page, i: number) =>
  (await cells(page, `#period-${i} tbody tr`)).map((r) => [r[0].replace(/\s*⚑$/, ""), ...r.slice(1, 8), r[9]]);

/**
 * Period 1 as data/periods.json gives it (both ends inclusive, on contacted_date), its Prime Mover
 * (Tier 1) row of the calibration table — train n, calibrated (train) rate, train lift, test leads,
 * test n, conversions, test rate, its Wilson interval, test lift — and the test lift's Katz
 * interval, from the test's own CASE of `rules` on the Parquet, written out by an independent formatter.
 */
async function periodOne(rules: HandRules): Promise<{row: string[]; katz: string}> {
  const [period] = JSON.parse(readFileSync("data/periods.json", "utf8")).periods as {name: string; train: [string, string]; test: [string, string]}[];
  expect(period.name).toBe("H1_2024");
  const within = ([from, to]: [string, string]) => `contacted_date BETWEEN DATE '${from}' AND DATE '${to}'`;
  const train = await tierCounts(parquet, rules, within(period.train));
  const test = await tierCounts(parquet, rules, within(period.test));
  const rate = (c: Counts) => c.conversions / c.labeled;
  const [tr, t1] = [train["Prime Mover"], test["Prime Mover"]];
  expect(t1.conversions).toBeGreaterThan(0);
  const row = [
    count(tr.labeled),
    percent(rate(tr)),
    lift(rate(tr) / rate(train.all)),
    count(t1.leads),
    count(t1.labeled),
    count(t1.conversions),
    percent(rate(t1)),
    interval(wilson95(t1.conversions, t1.labeled)),
    lift(rate(t1) / rate(test.all))
  ];
  return {row, katz: liftInterval(katz95(t1.conversions, t1.labeled, test.all.conversions, test.all.labeled))};
}
/** Period 1's Prime Mover row as shown, without its tier cell, up to the test lift. */
const shownPrimeMover = async (page: Page) => (await cells(page, "#period-0 tbody tr")).find((r) => r[0].startsWith("Prime Mover"))!.slice(1, 10);

const stability = (page: Page) => cells(page, "#stability tbody tr");

/** The population-shift table as the CLI's JSON says it should read: period, PSI, light, each CSI, …, AUC, Gini, KS. */
const expectedShift = (json: BacktestJson) =>
  json.periods.map((p) => [p.name, formatValue("index3", p.psi), stabilityLight(p.psi) ?? "–", ...Object.values(p.csi).map((v) => formatValue("index3", v)), formatValue("index3", p.test.discrimination.auc), formatValue("index3", p.test.discrimination.gini), formatValue("index3", p.test.discrimination.ks)]);
const shownShift = async (page: Page) => (await cells(page, "#shift tbody tr")).map((r) => [...r.slice(0, -4), ...r.slice(-3)]);

async function open(hash = ""): Promise<Awaited<ReturnType<typeof watchedPage>>> {
  const watched = await watchedPage(browser);
  await watched.page.goto(inject("baseUrl") + "/backtest" + hash);
  await watched.page.waitForSelector("#stability tbody tr", {timeout: 90_000});
  return watched;
}

describe("backtest page", () => {
  it("shows the CLI's numbers for the default rule set, then for V3.1 when picked (and period 1's Tier 1 as the test's own V3.1 CASE gives it)", async () => {
    const {page, errors, external} = await open();
    const json = await cli("--rules", "v3.2-consolidated");
    expect(await stability(page)).toEqual(expectedStability(json));
    // PSI, CSI (the five band columns of data/signals.json), AUC, Gini and KS per period; AUC across periods.
    expect(Object.keys(json.periods[0].csi)).toHaveLength(5);
    expect(await shownShift(page)).toEqual(expectedShift(json));
    expect((await cells(page, "#discrimination tbody tr"))[0]).toEqual(["AUC", ...json.discrimination.auc.values.map((v) => formatValue("index3", v)), ...(["mean", "min", "max", "sd"] as const).map((k) => formatValue("index3", json.discrimination.auc[k]))]);
    expect(await page.locator("#shift-lights svg").count()).toBe(1);
    for (let i = 0; i < 4; i++) expect(await shownPeriod(page, i)).toEqual(expectedPeriod(json, i));
    const gates = await cells(page, "#bt-gates tbody tr");
    expect(gates.map((g) => [g[0].includes("pass"), g[1]])).toEqual(json.gates.map((g) => [g.pass, g.label]));
    // the published backtest sits beside: 5.86 / 4.65 / 5.25 / 4.70
    expect((await cells(page, "#published tbody tr")).slice(0, 4).map((r) => r[1].slice(0, 5))).toEqual(["5.86×", "4.65×", "5.25×", "4.70×"]);
    expect(Number(await page.textContent("#bt-ms"))).toBeGreaterThan(0);
    // Counted from the columns file (the numbers above are the CLI's SQL's), and says so.
    expect(await page.getAttribute("#bt-path", "data-counted-by")).toBe("file");
    expect(await page.textContent("#bt-path")).toBe("counted in JavaScript from the columns file");

    // pick V3.1: everything is drawn again (new nodes), with other numbers
    const v31 = await cli("--rules", "v3.1");
    const shownBefore = await stability(page);
    await markShown(page, "#stability", "#shift", "#period-0", "#period-2");
    await page.getByLabel("Backtest", {exact: true}).selectOption({label: "V3.1 (v3.1)"});
    await waitForNew(page, "#stability", "#shift", "#period-0", "#period-2");
    await expect.poll(() => stability(page), {timeout: 20_000}).toEqual(expectedStability(v31));
    expect(await stability(page)).not.toEqual(shownBefore);
    expect(await shownShift(page)).toEqual(expectedShift(v31));
    expect(await shownPeriod(page, 2)).toEqual(expectedPeriod(v31, 2));
    expect(await shownPrimeMover(page)).toEqual((await periodOne(V31)).row);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("shows period 1's Prime Mover row and its Katz interval as the test's own SQL on the Parquet gives them", async () => {
    const {page, errors} = await open();
    const {row, katz} = await periodOne(CONSOLIDATED);
    expect(await shownPrimeMover(page)).toEqual(row);
    await page.waitForSelector('.tl-table-block[data-csv="test-lift.csv"] tbody tr', {state: "attached", timeout: 30_000});
    const katzRow = (await cells(page, '.tl-table-block[data-csv="test-lift.csv"] tbody tr')).find((r) => r[0] === "H1_2024" && r[1] === "Prime Mover")!;
    expect(katzRow[7]).toBe(katz);
    // The published Tier 1 lifts (seeds, V3.1) as literal text, not as any code computes them.
    expect((await cells(page, "#published tbody tr")).slice(0, 4).map((r) => r.slice(0, 2))).toEqual([
      ["H1_2024", "5.86×"],
      ["Q1Q2_2024", "4.65×"],
      ["Q2Q3_2024", "5.25×"],
      ["Full_2024", "4.70×"]
    ]);
    expect(errors).toEqual([]);
  });

  it("gives each test lift the Katz interval of two independent proportions (the tier's and the window's), on screen and in the CSV", async () => {
    const {page, errors} = await open();
    const json = await cli("--rules", "v3.2-consolidated");
    // Computed here from the counts: exp(ln L ± z·√(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂)), x₁/n₁ the group's
    // test conversions / labeled, x₂/n₂ the test window's; none when either has no conversion.
    const z = 1.959963984540054;
    const katz = (x1: number, n1: number, x2: number, n2: number): [number, number] | null => {
      if (!x1 || !x2) return null;
      const l = x1 / n1 / (x2 / n2);
      const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
      return [l * Math.exp(-z * se), l * Math.exp(z * se)];
    };
    const want = json.periods.flatMap((p) => p.test.groups.filter((g) => !g.fallback).map((g) => ({period: p.name, id: g.id, label: g.label, ci: katz(g.conversions, g.labeled, p.test.population.conversions, p.test.population.labeled)})));
    expect(want.filter((w) => w.ci).length).toBeGreaterThan(4);
    await page.waitForSelector('.tl-table-block[data-csv="test-lift.csv"] tbody tr', {state: "attached", timeout: 30_000});
    const shown = await cells(page, '.tl-table-block[data-csv="test-lift.csv"] tbody tr');
    expect(shown.map((r) => [r[0], r[1], r[7]])).toEqual(want.map((w) => [w.period, w.label, w.ci ? `${times(w.ci[0])}–${times(w.ci[1])}` : "–"]));
    // The CSV holds the raw bounds.
    const [download] = await Promise.all([page.waitForEvent("download"), page.$eval('.tl-table-block[data-csv="test-lift.csv"] > .tl-download', (b) => (b as HTMLButtonElement).click())]);
    const [header, ...lines] = readFileSync(await download.path(), "utf8").trim().split("\r\n").map((l) => l.split(","));
    const [lo, hi] = [header.indexOf("lift_low"), header.indexOf("lift_high")];
    expect(lines).toHaveLength(want.length);
    lines.forEach((line, i) => {
      const ci = want[i].ci;
      if (!ci) return expect([line[lo], line[hi]]).toEqual(["", ""]);
      expect(Number(line[lo])).toBeCloseTo(ci[0], 9);
      expect(Number(line[hi])).toBeCloseTo(ci[1], 9);
    });
    expect(errors).toEqual([]);
  });

  it("counts by SQL, with the same numbers, when the columns file cannot be read, and says so", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await page.route(/\/leads\.[0-9a-f]+\.arrow$/, (route) => route.fulfill({status: 404, body: "not found"}));
    await page.goto(inject("baseUrl") + "/backtest");
    await page.waitForSelector("#stability tbody tr", {timeout: 90_000});
    const json = await cli("--rules", "v3.2-consolidated");
    expect(await stability(page)).toEqual(expectedStability(json));
    expect(await shownShift(page)).toEqual(expectedShift(json));
    expect(await shownPeriod(page, 0)).toEqual(expectedPeriod(json, 0));
    expect(await page.getAttribute("#bt-path", "data-counted-by")).toBe("sql");
    expect(await page.textContent("#bt-path")).toBe("one SQL query and one for the bands' CSI (the columns file could not be read)");
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    expect(external).toEqual([]);
  });

  it("redraws when a period changes, and explains an invalid one", async () => {
    const {page, errors, external} = await open();
    const periods = JSON.parse(readFileSync("data/periods.json", "utf8"));
    periods.periods[3].test[1] = "2025-03-31";
    const file = join(dir, "periods.json");
    writeFileSync(file, JSON.stringify(periods));
    const want = await cli("--rules", "v3.2-consolidated", "--periods", file);
    const before = await stability(page);
    expect(before).not.toEqual(expectedStability(want));

    const input = page.getByLabel("test to 4", {exact: true});
    await markShown(page, "#stability", "#period-3");
    await input.fill("2025-03-31");
    await input.dispatchEvent("change");
    await waitForNew(page, "#stability", "#period-3");
    await expect.poll(() => stability(page), {timeout: 20_000}).toEqual(expectedStability(want));
    expect(await shownPeriod(page, 3)).toEqual(expectedPeriod(want, 3));
    expect(await page.textContent("#period-3 h3")).toContain("test 2024-11-01 – 2025-03-31");
    expect(await page.getAttribute("#bt-path", "data-counted-by")).toBe("file");

    // an end before its start: a readable error, the last good results stay
    const from = page.getByLabel("train from 1", {exact: true});
    await from.fill("2024-12-01");
    await from.dispatchEvent("change");
    await expect.poll(() => page.textContent("main"), {timeout: 10_000}).toMatch(/period 1 \(H1_2024\): train ends \(2024-06-30\) before it starts \(2024-12-01\)/);
    expect(await stability(page)).toEqual(expectedStability(want));
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("applies an analysis date and maturity window like --analysis-date / --maturity-days, and shows what it censors", async () => {
    const {page, errors} = await open();
    const want = await cli("--rules", "v3.2-consolidated", "--analysis-date", "2025-01-15", "--maturity-days", "43");
    const before = await stability(page);
    expect(before).not.toEqual(expectedStability(want));
    await markShown(page, "#stability", "#period-3");
    await page.getByLabel("Analysis date").fill("2025-01-15");
    await page.getByLabel("Maturity window (days)").fill("43");
    await page.getByLabel("Maturity window (days)").dispatchEvent("change");
    await waitForNew(page, "#stability", "#period-3");
    await expect.poll(() => stability(page), {timeout: 20_000}).toEqual(expectedStability(want));
    expect(await shownPeriod(page, 3)).toEqual(expectedPeriod(want, 3));
    // independent count: leads contacted after 2025-01-15 − 43 days = 2024-12-03
    const conn = await NodeConnector.open();
    await loadLeadsFile(conn, parquet);
    const [{late, all}] = await conn.query("SELECT COUNT(*) FILTER (WHERE contacted_date > DATE '2024-12-03') AS late, COUNT(*) AS \"all\" FROM leads");
    conn.close();
    const text = await page.textContent("#censored");
    expect(text).toContain("after 2024-12-03");
    expect(text).toContain(`${int(Number(late))} of ${int(Number(all))} leads`);
    expect(errors).toEqual([]);
  });

  it("backtests the rule set edited on the tiers page (from the address)", async () => {
    const edited: RuleSet = JSON.parse(readFileSync("data/rules/v3.2-consolidated.json", "utf8"));
    (edited.tiers[1].when![0] as {gte: number}).gte = 2; // Proven Mover: 2+ prior firms instead of 3+
    edited.name = "edited";
    const file = join(dir, "edited.json");
    writeFileSync(file, JSON.stringify(edited));
    const want = await cli("--rules", file);
    const {page, errors, external} = await open(`#s=${await encodeState({rules: edited, compare: "v3.1"})}`);
    expect(await page.$eval("#setup select", (s: HTMLSelectElement) => s.selectedOptions[0].textContent)).toBe("the rule set edited on the tiers page");
    expect(await stability(page)).toEqual(expectedStability(want));
    expect(await shownPeriod(page, 0)).toEqual(expectedPeriod(want, 0));
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
