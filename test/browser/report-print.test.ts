// The report that shows at once and prints: /report shows its numbers with the engine's files
// blocked (they were computed at build time), its tier and gains tables as the test's own SQL on
// the published Parquet gives them (a hand CASE, an independent formatter), and equal to `tierlab
// report --format json` on the same file; printed to PDF on A4 and on Letter, every page carries the header line and
// "page N of M", and every column header of every table is in the PDF's text (read with pdf.js);
// the same for `tierlab report --format pdf`; the HTML file opens with JavaScript off and shows the
// JSON's numbers; a link with other rules is said so and computed live.
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {main} from "../../cli/main.js";
import {encodeState} from "../../src/lib/permalink.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";
import {CONSOLIDATED, count, interval, katz95, lift, liftInterval, percent, rateOf, tierCounts, V31, wilson95, type HandRules} from "./independent.js";
import {pdfPages, pdfPageSize, squeeze} from "./pdf-text.js";
import {SITE_PAGES} from "./pages.js";

interface CliTier {
  label: string;
  leads: number;
  labeled: number;
  rate: number | null;
}

async function cli(args: string[]): Promise<string> {
  let out = "";
  let err = "";
  const code = await main(args, {stdout: (t) => (out += t), stderr: (t) => (err += t)});
  expect(code, err).toBe(0);
  return out;
}

let browser: Browser;
let parquet: string;
const json = new Map<string, {tiers: CliTier[]}>();
beforeAll(async () => {
  browser = await launchChromium();
  parquet = distLeadsParquet(inject("distDir"));
  for (const rules of ["v3.2-consolidated", "v3.1"]) json.set(rules, JSON.parse(await cli(["report", "--data", parquet, "--rules", rules, "--format", "json"])));
}, 120_000);
afterAll(() => browser?.close());

/** The tier table's first columns as the JSON gives them, formatted here (not by the project). */
const expectedRows = (tiers: CliTier[]) => tiers.map((t) => [t.label, t.leads.toLocaleString("en-US"), "", t.labeled.toLocaleString("en-US"), "", t.rate === null ? "–" : `${(t.rate * 100).toFixed(2)}%`]);
const shownRows = (page: Page) =>
  page.$$eval("#report-tiers tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 6).map((td, i) => (i === 2 || i === 4 ? "" : (td.textContent ?? "")))));

/**
 * The tier table's first nine cells (tier, leads, share, labeled, conversions, rate, its Wilson
 * interval, lift vs all leads, its Katz interval) and the gains table (through tier, cumulative
 * leads, share of leads, labeled, conversions, share of conversions, rate, lift), from the test's
 * own CASE of `rules` on the published Parquet, written out by an independent formatter.
 */
async function independentTables(rules: HandRules): Promise<{tiers: string[][]; gains: string[][]}> {
  const counts = await tierCounts(parquet, rules);
  const all = counts.all;
  const allRate = rateOf(all.conversions, all.labeled)!;
  const tiers = rules.labels.map((label) => {
    const c = counts[label];
    const rate = rateOf(c.conversions, c.labeled);
    return [label, count(c.leads), percent(c.leads / all.leads, 1), count(c.labeled), count(c.conversions), percent(rate), interval(wilson95(c.conversions, c.labeled)), lift(rate === null ? null : rate / allRate), liftInterval(katz95(c.conversions, c.labeled, all.conversions, all.labeled))];
  });
  const cum = {leads: 0, labeled: 0, conversions: 0};
  const gains = rules.labels.map((label) => {
    for (const k of ["leads", "labeled", "conversions"] as const) cum[k] += counts[label][k];
    const rate = rateOf(cum.conversions, cum.labeled);
    return [label, count(cum.leads), percent(cum.leads / all.leads, 1), count(cum.labeled), count(cum.conversions), percent(cum.conversions / all.conversions, 1), percent(rate), lift(rate === null ? null : rate / allRate)];
  });
  return {tiers, gains};
}
const shownCells = (page: Page, selector: string, columns: number) =>
  page.$$eval(`${selector} tbody tr`, (trs, n) => trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, n).map((td) => (td.textContent ?? "").trim())), columns);

/** Every table's header cells on the page. */
const tableHeaders = (page: Page) => page.$$eval("main table", (tables) => tables.map((t) => [...t.querySelectorAll("thead th")].map((th) => th.textContent ?? "")));

/** The header line every printed page carries, from what the page's meta card says. */
async function headerLine(page: Page): Promise<string> {
  const meta = (await page.textContent("#report-meta")) ?? "";
  const rules = /Rule set:\s*(.*?)\s*·\s*compared with:\s*(.*?)\s*Data:/s.exec(meta)!;
  const data = /Data:\s*(.*?)\s*·\s*site built:\s*(\S+ \S+) UTC/s.exec(meta)!;
  return `${rules[1]} vs ${rules[2]} · ${data[1]} · site built ${data[2]} UTC`;
}

/** Checks a printed report: every page has the header line and its "page N of M"; every header is in the text. */
function checkPrinted(pages: string[], header: string, headers: string[][]) {
  expect(pages.length).toBeGreaterThan(1);
  pages.forEach((text, i) => {
    expect(squeeze(text), `page ${i + 1}: header line`).toContain(squeeze(header));
    expect(text, `page ${i + 1}: number`).toContain(`page ${i + 1} of ${pages.length}`);
  });
  const all = squeeze(pages.join(""));
  for (const table of headers) for (const h of table) expect(all, `column header "${h}"`).toContain(squeeze(h));
}

describe("/report", () => {
  it("shows the report with DuckDB-WASM's files blocked: its tier and gains tables as the test's own SQL gives them, the numbers of tierlab report --format json", async () => {
    const {page, errors, external} = await watchedPage(browser);
    const requested: string[] = [];
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    await page.route(/duckdb|\.wasm/, (route) => route.abort());
    await page.goto(inject("baseUrl") + "/report");
    await page.waitForSelector("#report-tiers tbody tr", {timeout: 60_000});
    const oracle = await independentTables(CONSOLIDATED);
    expect(await shownCells(page, "#report-tiers", 9)).toEqual(oracle.tiers);
    expect(await shownCells(page, "#report-gains", 8)).toEqual(oracle.gains);
    // The same report as the command line's JSON (parity, beside the independent oracle).
    expect(await shownRows(page)).toEqual(expectedRows(json.get("v3.2-consolidated")!.tiers));
    expect(await page.locator("#report-gains-curve svg, #report-lift-chart svg, #report-tier-chart svg").count()).toBe(3);
    expect(await page.locator("#report-differs").count()).toBe(0);
    expect(requested.filter((p) => /duckdb|wasm|worker/.test(p))).toEqual([]);
    expect(requested.filter((p) => p.endsWith("favicon.ico"))).toEqual([]);
    expect([errors, external]).toEqual([[], []]);
    await page.context().close();
  });

  for (const format of ["A4", "Letter"] as const) {
    it(`printed to PDF on ${format}: every page has the header line and its number, every column header is there`, async () => {
      const {page, errors} = await watchedPage(browser);
      await page.goto(inject("baseUrl") + "/report");
      await page.waitForSelector("#report-migration tbody tr", {timeout: 60_000});
      const headers = await tableHeaders(page);
      expect(headers.length).toBe(6);
      const header = await headerLine(page);
      await page.emulateMedia({media: "print"});
      const pages = await pdfPages(new Uint8Array(await page.pdf({format})));
      checkPrinted(pages, header, headers);
      // The controls and buttons are for the screen.
      expect(pages.join("")).not.toContain("Download CSV");
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it("a link with other rules says so and computes that report live: as the test's own V3.1 CASE gives it, equal to the CLI's", async () => {
    const rules = JSON.parse(readFileSync("data/rules/v3.1.json", "utf8"));
    const {page, errors} = await watchedPage(browser);
    await page.goto(`${inject("baseUrl")}/report#s=${await encodeState({rules})}`);
    await page.waitForSelector("#report-differs", {timeout: 60_000});
    expect(await page.textContent("#report-differs")).toContain("the rule set");
    await page.waitForFunction(() => document.querySelector("#report-meta")?.textContent?.includes("V3.1"), null, {timeout: 60_000});
    const oracle = await independentTables(V31);
    expect(await shownCells(page, "#report-tiers", 9)).toEqual(oracle.tiers);
    expect(await shownCells(page, "#report-gains", 8)).toEqual(oracle.gains);
    expect(await shownRows(page)).toEqual(expectedRows(json.get("v3.1")!.tiers));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("every page names its icon inline (a browser asks for /favicon.ico only without one)", () => {
    for (const {path} of SITE_PAGES) {
      const file = join(inject("distDir"), path === "/" ? "index.html" : `${path.slice(1)}.html`);
      const icons = readFileSync(file, "utf8").match(/<link rel="icon"[^>]*>/g) ?? [];
      expect(icons, path).toHaveLength(1);
      expect(icons[0], path).toMatch(/href="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    }
  });
});

describe("tierlab report --format html|pdf", () => {
  const dir = mkdtempSync(join(tmpdir(), "tierlab-report-file-"));

  it("the HTML file opens with JavaScript off and shows the numbers of --format json", async () => {
    const file = join(dir, "report.html");
    await cli(["report", "--data", parquet, "--rules", "v3.1", "--format", "html", "--out", file]);
    const context = await browser.newContext({javaScriptEnabled: false});
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.goto("file://" + file);
    expect(await shownRows(page)).toEqual(expectedRows(json.get("v3.1")!.tiers));
    expect(await page.locator("svg").count()).toBeGreaterThanOrEqual(3);
    expect(requested).toEqual(["file://" + file]);
    await context.close();
  });

  for (const paper of ["a4", "letter"] as const) {
    it(`--format pdf --paper ${paper}: every page has the header line and its number, every column header is there`, async () => {
      const file = join(dir, `report-${paper}.pdf`);
      const html = join(dir, `report-${paper}.html`);
      await cli(["report", "--data", parquet, "--rules", "v3.2-consolidated", "--format", "pdf", "--paper", paper, "--out", file]);
      await cli(["report", "--data", parquet, "--rules", "v3.2-consolidated", "--format", "html", "--out", html]);
      const context = await browser.newContext({javaScriptEnabled: false});
      const page = await context.newPage();
      await page.goto("file://" + html);
      const headers = await tableHeaders(page);
      expect(headers.length).toBe(6);
      const bytes = new Uint8Array(readFileSync(file));
      const pages = await pdfPages(bytes);
      // The header line names the rule sets and the data; the time is the run's (the two runs differ by seconds).
      checkPrinted(pages, "V3.2_12212025 vs V3.2_12212025 · Synthetic data", headers);
      // The page size: A4 is 595.3 × 841.9 pt (210 × 297 mm), Letter 612 × 792 pt (8.5 × 11 in).
      const [width, height] = await pdfPageSize(bytes);
      const [w, h] = paper === "a4" ? [595.3, 841.9] : [612, 792];
      expect(Math.abs(width - w), `width ${width}`).toBeLessThan(2); // Chromium rounds to its own units
      expect(Math.abs(height - h), `height ${height}`).toBeLessThan(2);
      await context.close();
    });
  }
});
