// The Explore page against the test's own SQL on the published Parquet (the shown cells, written
// out here) and against `tierlab query` on the same file (native DuckDB, another engine): the same
// SQL gives the same CSV, byte for byte. Also the chart, sorting, the link that
// reopens a query without running it, bad and refused SQL (the last good result kept), a result
// larger than the page shows, and the lockdown: a query reading a URL on 127.0.0.1 is refused and
// the server sees no request.
import {readFileSync} from "node:fs";
import {createServer, type Server} from "node:http";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {runCli} from "../support/cli.js";
import {launchChromium, watchedPage, type Watched} from "./chromium.js";
import {distLeadsDuckdb, distLeadsParquet} from "./dist-files.js";
import {queryParquet} from "./independent.js";
import {basename} from "node:path";

let browser: Browser;
let parquet: string;
let counter: Server;
let counterUrl: string;
let requests = 0;

beforeAll(async () => {
  browser = await launchChromium();
  parquet = distLeadsParquet(inject("distDir"));
  // A server on 127.0.0.1 that counts every request it gets (the page must make none to it).
  counter = createServer((req, res) => {
    requests++;
    res.writeHead(200, {"content-type": "text/csv", "access-control-allow-origin": "*"}).end("a\n1\n");
  });
  await new Promise<void>((resolve) => counter.listen(0, "127.0.0.1", resolve));
  counterUrl = `http://127.0.0.1:${(counter.address() as {port: number}).port}`;
});
afterAll(async () => {
  await browser?.close();
  counter?.close();
});

async function openExplore(query?: string): Promise<Watched> {
  const watched = await watchedPage(browser);
  const url = new URL(inject("baseUrl") + "/explore");
  if (query !== undefined) url.searchParams.set("q", query);
  await watched.page.goto(url.href);
  await watched.page.waitForSelector("#sql-box", {timeout: 60_000});
  return watched;
}

/** Marks what is shown now, so a wait can tell a new result from the old one. */
const mark = (page: Page, selector: string) => page.$eval(selector, (e) => e.setAttribute("data-old", "1"));

/** Types SQL, runs it with Ctrl-Enter and waits for a new result or a new error. */
async function run(page: Page, sql: string): Promise<void> {
  await page.evaluate(() => document.querySelectorAll("#query-result, #query-error").forEach((e) => e.setAttribute("data-old", "1")));
  await page.fill("#sql-box", sql);
  await page.press("#sql-box", "Control+Enter");
  await page.waitForSelector("#query-result:not([data-old]), #query-error:not([data-old])", {timeout: 60_000});
}

async function downloadCsv(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#query-result .tl-download")]);
  expect(download.suggestedFilename()).toBe("explore.csv");
  return readFileSync(await download.path(), "utf8");
}

async function cliCsv(sql: string): Promise<string> {
  const {code, out, err} = await runCli(["query", "--data", parquet, "--format", "csv", sql]);
  expect(err).toBe("");
  expect(code).toBe(0);
  return out;
}

const bodyCells = (page: Page) => page.$$eval("#query-result tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));

describe("Explore", () => {
  it("runs the first example at once; its CSV equals tierlab query's; it charts and sorts", async () => {
    const {page, errors, external} = await openExplore();
    await page.waitForSelector("#query-result", {timeout: 60_000});
    const sql = await page.inputValue("#sql-box");
    expect(sql).toMatch(/FROM scored_leads/);
    const csv = await downloadCsv(page);
    expect(csv).toBe(await cliCsv(sql));
    const lines = csv.trim().split("\r\n");
    expect(await page.textContent("#query-result .tl-sql-summary")).toMatch(new RegExp(`^${lines.length - 1} rows in [\\d.]+ ms\\.`));

    // The chart: one bar per tier (x = tier, y = leads), redrawn when y changes.
    expect(await page.inputValue("#chart-x")).toBe("tier");
    expect(await page.$$eval("#quick-chart-plot svg [aria-label='bar'] rect", (r) => r.length)).toBe(lines.length - 1);
    await mark(page, "#quick-chart-plot svg");
    await page.selectOption("#chart-y", "conversions");
    await page.waitForSelector("#quick-chart-plot svg:not([data-old])");
    expect(await page.textContent("#quick-chart-plot svg")).toContain("conversions");

    // Sorting by leads: ascending numbers, then descending.
    await page.click("#query-result th:has-text('leads')");
    const leadsColumn = lines[0].split(",").indexOf("leads");
    const ascending = (await bodyCells(page)).map((r) => Number(r[leadsColumn]));
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(new Set(ascending).size).toBeGreaterThan(1);
    await page.click("#query-result th:has-text('leads')");
    expect((await bodyCells(page)).map((r) => Number(r[leadsColumn]))).toEqual([...ascending].reverse());
    expect([errors, external]).toEqual([[], []]);
  });

  it("keeps the query in the address; the link reopens it shown, not run, until Run", async () => {
    const first = await openExplore();
    const sql = "SELECT split, COUNT(*) AS leads, SUM(target) AS conversions FROM leads GROUP BY split ORDER BY split";
    await run(first.page, sql);
    // The shown cells: the test's own query of the Parquet file, each value as its digits (Explore
    // shows an analyst's numbers unrounded), a missing one as "–".
    const own = await queryParquet(parquet, sql);
    expect(own.length).toBeGreaterThan(1);
    expect(await bodyCells(first.page)).toEqual(own.map((r) => [r.split, r.leads, r.conversions].map((v) => (v === null ? "–" : String(v)))));
    const link = first.page.url();
    expect(new URL(link).searchParams.get("q")).toBe(sql);

    const {page, errors} = await openExplore(sql);
    expect(new URL(page.url()).searchParams.get("q")).toBe(sql);
    expect(await page.inputValue("#sql-box")).toBe(sql);
    expect(await page.textContent("#query-status")).toMatch(/press Run/);
    await page.waitForTimeout(1500); // (a query started at open would have shown by now)
    expect(await page.$("#query-result")).toBeNull();
    await page.click("#run-query");
    await page.waitForSelector("#query-result");
    expect(await downloadCsv(page)).toBe(await cliCsv(sql));
    expect(errors).toEqual([]);
  });

  it("bad SQL: the engine's message with its position and the SQL; the last good result stays", async () => {
    const {page} = await openExplore();
    await page.waitForSelector("#query-result");
    const before = await bodyCells(page);
    await run(page, "SELECT tier FRM scored_leads");
    const error = (await page.textContent("#query-error")) ?? "";
    expect(error).toContain('Parser Error: syntax error at or near "scored_leads"');
    expect(error).toMatch(/LINE 1: SELECT tier FRM scored_leads\s+\^/);
    expect(error.match(/LINE 1:/g)).toHaveLength(1); // (DuckDB-WASM repeats it; said once)
    expect(await page.textContent("#query-error .tl-sql-echo")).toBe("SELECT tier FRM scored_leads");
    expect(await bodyCells(page)).toEqual(before);
  });

  it("refuses statements that would change leads or scored_leads; they stay as loaded", async () => {
    const {page} = await openExplore("DROP VIEW scored_leads");
    await page.click("#run-query");
    await page.waitForSelector("#query-error");
    expect(await page.textContent("#query-error")).toMatch(/DROP is not allowed: queries here only read the data/);
    for (const sql of ["CREATE OR REPLACE VIEW leads AS SELECT 1 AS x", "WITH t AS (SELECT 1) DELETE FROM leads", "SELECT 1; DROP VIEW leads", "DETACH leads_file"]) {
      await run(page, sql);
      expect(await page.textContent("#query-error"), sql).toMatch(/is not allowed|One statement at a time/);
    }
    const count = "SELECT COUNT(*) AS n, COUNT(tier) AS scored FROM scored_leads";
    await run(page, count);
    expect(await downloadCsv(page)).toBe(await cliCsv(count));
  });

  it("cannot reach a URL, a file or the settings: no request reaches the server", async () => {
    const {page} = await openExplore();
    await page.waitForSelector("#query-result");
    requests = 0;
    for (const sql of [`SELECT * FROM read_csv('${counterUrl}/x.csv')`, `SELECT * FROM '${counterUrl}/y.parquet'`, "SELECT * FROM read_parquet('leads.parquet')", `SELECT * FROM glob('*')`]) {
      await run(page, sql);
      // (A Parquet address fails earlier: the parquet extension may not be fetched either.)
      expect(await page.textContent("#query-error"), sql).toMatch(/Permission Error: .*disabled by configuration|Loading external extensions is disabled through configuration/);
    }
    await run(page, `ATTACH '${counterUrl}/z.duckdb' AS z`);
    expect(await page.textContent("#query-error")).toMatch(/ATTACH is not allowed/);
    await run(page, "SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked");
    expect(await bodyCells(page)).toEqual([["false", "true"]]);
    expect(requests).toBe(0);
    // The check is not what stops it: a direct query on the page's engine is refused by DuckDB too.
    // (A string, so that the test runner does not rewrite its dynamic import.)
    const direct = await page.evaluate(`(async () => {
      const href = document.querySelector("link[href*='components/duckdb']").href;
      const db = await (await import(href)).startEngine();
      const conn = await db.connect();
      try {
        await conn.query("SELECT * FROM read_csv('${counterUrl}/direct.csv')");
        return "ran";
      } catch (error) {
        return String(error);
      }
    })()`);
    expect(direct).toMatch(/disabled by configuration/);
    expect(requests).toBe(0);
  });

  it("shows the first 10,000 rows of a larger result and says so; the CSV has them all", async () => {
    const {page} = await openExplore();
    await page.waitForSelector("#query-result");
    await run(page, "SELECT i::INTEGER AS i, i % 7 AS r FROM range(25000) t(i)");
    expect(await page.textContent("#query-result .tl-sql-summary")).toMatch(/^25,000 rows in [\d.]+ ms · showing the first 10,000 \(the CSV has them all\)/);
    expect(await page.$$eval("#query-result tbody tr", (trs) => trs.length)).toBe(10_000);
    const csv = await downloadCsv(page);
    const lines = csv.trim().split("\r\n");
    expect(lines.length).toBe(25_001);
    expect(lines[25_000]).toBe(`24999,${24999 % 7}`);
  });

  it("loading the data again on a locked engine starts a new engine; the old one's queries fail at once", async () => {
    const {page} = await openExplore();
    await page.waitForSelector("#query-result");
    const file = `/_file/data/leads/${basename(distLeadsDuckdb(inject("distDir")))}`;
    // (A string, so that the test runner does not rewrite its dynamic import.)
    const outcome = await page.evaluate(`(async () => {
      const {loadLeads} = await import(document.querySelector("link[href*='components/duckdb']").href);
      const bytes = () => fetch(${JSON.stringify(file)}).then((r) => r.arrayBuffer());
      const first = await loadLeads(bytes());
      const second = await loadLeads(bytes());
      let old;
      try {
        await first.conn.query("SELECT 1");
        old = "ran";
      } catch (error) {
        old = String(error);
      }
      const [row] = await second.conn.query("SELECT COUNT(*) AS n, current_setting('lock_configuration') AS locked FROM leads");
      return {old, rows: second.rows, n: row.n, locked: row.locked, same: first.conn.engine === second.conn.engine};
    })()`);
    const cli = await runCli(["query", "--data", parquet, "SELECT COUNT(*) AS n FROM leads"]);
    const [{n}] = JSON.parse(cli.out);
    expect(outcome).toEqual({old: expect.stringMatching(/loaded again in a new engine/), rows: n, n, locked: true, same: false});
  });
});
