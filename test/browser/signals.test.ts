// The signals page in headless Chromium shows the numbers of the test's own SQL on the published
// Parquet file (each signal's condition and each band written here by hand), written by an
// independent formatter (independent.ts), the seeds' published values as literal text, and the
// CLI's numbers for everything else (WoE, IV); it redraws — new nodes, other numbers, the edited
// bands and cross equal to the test's own SQL — when a band edge is edited or the population
// changes, with no console error and no request leaving 127.0.0.1.
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {formatValue, int, pct, pctInterval, times} from "../../src/lib/format.js";
import {ivStrength} from "../../src/lib/signals/iv.js";
import {runCli} from "../support/cli.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";
import {count, interval, lift, percent, queryParquet, rateOf, wilson95} from "./independent.js";
import {markShown, waitForNew} from "./redraw.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function cli(...args: string[]): Promise<Json> {
  const {code, out, err} = await runCli(["signals", "--data", distLeadsParquet(inject("distDir")), "--format", "json", ...args]);
  if (code !== 0) throw new Error(`tierlab signals failed (${code}): ${err}`);
  return JSON.parse(out);
}

const cells = (page: Page, selector: string) =>
  page.$$eval(`${selector} tbody tr`, (rows) => rows.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));

/** data/signals.json's signals, each condition written here as SQL. */
const SIGNALS: [label: string, sql: string][] = [
  ["< 1 year at current firm", "current_firm_tenure_months < 12"],
  ["1–3 years at current firm", "current_firm_tenure_months BETWEEN 12 AND 36"],
  ["Small firm (1–10 reps)", "firm_rep_count_at_contact BETWEEN 1 AND 10"],
  ["1–3 years tenure at a bleeding firm", "current_firm_tenure_months BETWEEN 12 AND 36 AND firm_net_change_12mo < 0"],
  ["Moderate bleeding (−10 to −1 advisors)", "firm_net_change_12mo BETWEEN -10 AND -1"],
  ["3+ prior firms (career mover)", "num_prior_firms >= 3"],
  ["Heavy bleeding (< −10 advisors)", "firm_net_change_12mo < -10"]
];
const NO_WIREHOUSE = "COALESCE(is_wirehouse, 0) <> 1";
const COUNTS = "COUNT(*) AS leads, COUNT(target) AS labeled, COALESCE(SUM(target), 0) AS conversions";
const file = () => distLeadsParquet(inject("distDir"));

/** The population's cells and each signal's [label, leads, labeled, conversions, rate, CI, lift], ranked by rate. */
async function handSignals(where = "TRUE") {
  const [pop] = await queryParquet(file(), `SELECT ${COUNTS} FROM leads WHERE ${where}`);
  const popRate = rateOf(pop.conversions, pop.labeled)!;
  const rows = await Promise.all(
    SIGNALS.map(async ([label, sql]) => {
      const [r] = await queryParquet(file(), `SELECT ${COUNTS} FROM leads WHERE ${where} AND (${sql})`);
      const rate = rateOf(r.conversions, r.labeled);
      return {rate, labeled: Number(r.labeled), cells: [label, count(r.leads), count(r.labeled), count(r.conversions), percent(rate), interval(wilson95(Number(r.conversions), Number(r.labeled))), lift(rate === null ? null : rate / popRate)]};
    })
  );
  rows.sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.labeled - a.labeled);
  return {population: [count(pop.leads), count(pop.labeled), percent(popRate)], signals: rows.map((r) => r.cells)};
}

/** A band column's [leads, labeled, conversions, rate] per band (edges as on the page: [eᵢ₋₁, eᵢ)), the missing row last. */
async function handBands(column: string, edges: number[]): Promise<string[][]> {
  const band = `CASE WHEN ${column} IS NULL THEN -1 ${edges.map((e, i) => `WHEN ${column} < ${e} THEN ${i}`).join(" ")} ELSE ${edges.length} END`;
  const rows = await queryParquet(file(), `SELECT ${band} AS band, ${COUNTS} FROM leads GROUP BY 1`);
  return [...edges.map((_, i) => i), edges.length, -1].map((i) => {
    const r = rows.find((row) => Number(row.band) === i) ?? {leads: 0, labeled: 0, conversions: 0};
    return [count(r.leads), count(r.labeled), count(r.conversions), percent(rateOf(r.conversions, r.labeled))];
  });
}

/** The cross of two band columns: [leads, labeled, conversions, rate] per band pair, rows a's bands (missing last) by b's. */
async function handCross(a: string, edgesA: number[], b: string, edgesB: number[]): Promise<string[][]> {
  const band = (c: string, edges: number[]) => `CASE WHEN ${c} IS NULL THEN -1 ${edges.map((e, i) => `WHEN ${c} < ${e} THEN ${i}`).join(" ")} ELSE ${edges.length} END`;
  const rows = await queryParquet(file(), `SELECT ${band(a, edgesA)} AS a, ${band(b, edgesB)} AS b, ${COUNTS} FROM leads GROUP BY 1, 2`);
  const order = (edges: number[]) => [...edges.map((_, i) => i), edges.length, -1];
  return order(edgesA).flatMap((i) =>
    order(edgesB).map((j) => {
      const r = rows.find((row) => Number(row.a) === i && Number(row.b) === j) ?? {leads: 0, labeled: 0, conversions: 0};
      return [count(r.leads), count(r.labeled), count(r.conversions), percent(rateOf(r.conversions, r.labeled))];
    })
  );
}

let browser: Browser;
let all: Json;
let noWirehouse: Json;
let byIv: Json;
beforeAll(async () => {
  browser = await launchChromium();
  all = await cli();
  byIv = await cli("--rank", "iv");
  noWirehouse = await cli("--exclude-wirehouse");
});
afterAll(() => browser?.close());

describe("signals page", () => {
  it("matches the CLI, redraws on band edits and population changes, offline", async () => {
    const {page, errors, external} = await watchedPage(browser, {height: 1000});
    await page.goto(inject("baseUrl") + "/signals");
    await page.waitForSelector("#signal-table tbody tr", {timeout: 60_000});

    // The signal table, row by row, equals the CLI's ranked signals.
    const expected = all.signals.map((s: Json, i: number) => [
      String(i + 1),
      s.label,
      s.definition,
      int(s.leads),
      int(s.labeled),
      int(s.conversions),
      pct(s.rate),
      pctInterval(s.ci),
      times(s.lift),
      s.published?.rate == null ? "–" : pct(s.published.rate),
      s.published?.lift == null ? "–" : times(s.published.lift, 1),
      formatValue("index3", s.iv),
      ivStrength(s.iv) ?? "–"
    ]);
    expect(await cells(page, "#signal-table")).toEqual(expected);
    expect(await page.textContent("#kpis")).toContain(pct(all.population.rate));

    // The same table by the test's own SQL and formatter, and the seeds' published values as text.
    const hand = await handSignals();
    expect((await cells(page, "#signal-table")).map((r) => r.slice(1, 2).concat(r.slice(3, 9)))).toEqual(hand.signals);
    const kpis = await page.$$eval("#kpis .big", (els) => els.map((e) => e.textContent!.trim()));
    expect(kpis).toEqual([...hand.population, "4.24%"]);
    expect(kpis.slice(0, 3)).toEqual(["39,448", "39,448", "3.79%"]);
    const tenure13 = (await cells(page, "#signal-table")).find((r) => r[1] === "1–3 years at current firm")!;
    expect(tenure13.slice(9, 11)).toEqual(["15.76%", "3.7×"]);

    // Every band table equals the CLI's bands, missing row last; the tenure bands also the test's own SQL's.
    const tenureCard = "#band-current_firm_tenure_months";
    const defaultTenure = await handBands("current_firm_tenure_months", [12, 37, 49, 121]);
    expect((await cells(page, `${tenureCard} table`)).map((r) => r.slice(1, 5))).toEqual(defaultTenure);
    for (const column of all.bands) {
      const rows = [...column.bands, {label: "missing", ...column.missing}].map((b: Json) => [b.label, int(b.leads), int(b.labeled), int(b.conversions), pct(b.rate)]);
      const shown = (await cells(page, `#band-${column.column} table`)).map((r) => r.slice(0, 5));
      expect(shown, column.column).toEqual(rows);
      // WoE and IV term of every band, and the column's IV, as the CLI gives them.
      const woe = [...column.bands, column.missing].map((b: Json) => [formatValue("woe", b.woe), formatValue("index3", b.iv)]);
      expect((await cells(page, `#band-${column.column} table`)).map((r) => r.slice(-2)), column.column).toEqual(woe);
      expect(await page.textContent(`#band-${column.column} .tl-iv`)).toContain(formatValue("index3", column.iv));
    }
    expect((await cells(page, "#band-iv")).map((r) => [r[1], r[3], r[4]])).toEqual(all.bands.map((b: Json) => [b.column, formatValue("index3", b.iv), ivStrength(b.iv)]));
    expect(await page.textContent("main")).toContain("gets 0.5 added to both of its counts");
    // Ranked by IV: the order of tierlab signals --rank iv.
    expect(byIv.signals.map((s: Json) => s.label)).not.toEqual(all.signals.map((s: Json) => s.label));
    // (Both orders start with the same signal, so wait for a new table, not for a first row.)
    await markShown(page, "#signal-table");
    await page.locator("#signal-rank input[value='1']").check();
    await waitForNew(page, "#signal-table");
    expect((await cells(page, "#signal-table")).map((r) => r[1])).toEqual(byIv.signals.map((s: Json) => s.label));
    await markShown(page, "#signal-table");
    await page.locator("#signal-rank input[value='0']").check();
    await waitForNew(page, "#signal-table");
    expect((await cells(page, "#signal-table")).map((r) => r[1])).toEqual(all.signals.map((s: Json) => s.label));
    // Charts: n on every bar; the cross heatmap is drawn with n in its cells.
    expect(await page.locator(`${tenureCard} svg text`, {hasText: "n = "}).count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator("#cross svg text", {hasText: "n = "}).count()).toBeGreaterThan(10);
    mkdirSync("scratch", {recursive: true});
    await page.screenshot({path: join("scratch", "signals.png"), fullPage: true});

    // Edit the tenure bands: 12–36 splits into 12–24 and 25–36, in a new table and chart, with the
    // numbers of the test's own SQL for the new edges.
    const old = all.bands[0].bands.find((b: Json) => b.label === "12–36");
    const input = page.locator(`${tenureCard} input[name=text]`);
    await markShown(page, `${tenureCard} table`, `${tenureCard} svg`, "#cross svg");
    await input.fill("12, 25, 37, 49, 121");
    await input.press("Enter");
    await waitForNew(page, `${tenureCard} table`, `${tenureCard} svg`);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes("25–36"), `${tenureCard} table`, {timeout: 30_000});
    const edited = await cells(page, `${tenureCard} table`);
    expect(edited.map((r) => r.slice(1, 5))).toEqual(await handBands("current_firm_tenure_months", [12, 25, 37, 49, 121]));
    const split = edited.filter((r) => r[0] === "12–24" || r[0] === "25–36");
    expect(split).toHaveLength(2);
    expect(split.reduce((s, r) => s + Number(r[1].replace(/,/g, "")), 0)).toBe(old.leads);
    for (const r of split) expect(r[1]).not.toBe(int(old.leads));
    expect(await page.locator(`${tenureCard} svg text`, {hasText: "25–36"}).count()).toBeGreaterThan(0);
    // The cross uses the edited tenure bands too, in a new chart.
    await waitForNew(page, "#cross svg");
    await page.waitForFunction(() => document.querySelector("#cross")?.textContent?.includes("25–36"), null, {timeout: 30_000});
    // Every cell of the redrawn cross (tenure × firm size, the default pair) equals the test's own SQL.
    await expect
      .poll(async () => (await cells(page, "#cross + details table")).map((r) => r.slice(2, 6)), {timeout: 30_000})
      .toEqual(await handCross("current_firm_tenure_months", [12, 25, 37, 49, 121], "firm_rep_count_at_contact", [1, 11, 51, 201, 1001]));
    // (The population's first cross ran its SQL; this one was counted from the columns read after it.)
    expect(await page.textContent("#sql")).toContain("counted in JavaScript from the population's columns");

    // A bad edge is reported in the card, readably.
    await input.fill("12, abc");
    await input.press("Enter");
    await page.waitForSelector(`${tenureCard} .tl-error`, {timeout: 30_000});
    expect(await page.textContent(`${tenureCard} .tl-error`)).toContain(`"abc" is not a number`);
    // Back to the default edges: the message goes and the table shows the default bands again.
    await input.fill("12, 37, 49, 121");
    await input.press("Enter");
    await page.waitForSelector(`${tenureCard} .tl-error`, {state: "detached", timeout: 30_000});
    await expect.poll(async () => (await cells(page, `${tenureCard} table`)).map((r) => r.slice(1, 5)), {timeout: 30_000}).toEqual(defaultTenure);

    // Excluding wirehouses redraws the KPIs and the table with the CLI's --exclude-wirehouse numbers,
    // which are the test's own SQL's without wirehouses, and differ from before.
    const withoutWirehouses = await handSignals(NO_WIREHOUSE);
    expect(withoutWirehouses.population[0]).not.toBe(hand.population[0]);
    await markShown(page, "#signal-table", "#kpis .big");
    await page.locator("#population-controls input[type=checkbox]").check();
    await waitForNew(page, "#signal-table", "#kpis .big");
    await page.waitForFunction((leads) => document.querySelector("#kpis")?.textContent?.includes(leads), int(noWirehouse.population.leads), {timeout: 30_000});
    await page.waitForFunction((first) => document.querySelector("#signal-table tbody td:nth-child(5)")?.textContent === first, int(noWirehouse.signals[0].labeled), {timeout: 30_000});
    expect((await cells(page, "#signal-table")).map((r) => [r[1], r[2], r[4], r[6], r[8]])).toEqual(noWirehouse.signals.map((s: Json) => [s.label, s.definition, int(s.labeled), pct(s.rate), times(s.lift)]));
    await expect.poll(async () => (await cells(page, "#signal-table")).map((r) => r.slice(1, 2).concat(r.slice(3, 9))), {timeout: 30_000}).toEqual(withoutWirehouses.signals);
    expect((await page.$$eval("#kpis .big", (els) => els.map((e) => e.textContent!.trim()))).slice(0, 3)).toEqual(withoutWirehouses.population);

    expect(await page.textContent("#sql")).toContain("COUNT(*) FILTER (WHERE");
    // The bands came from the population's histograms, not from a query per redraw.
    expect(await page.textContent("#sql")).toContain("GROUP BY v");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
