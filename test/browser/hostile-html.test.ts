// A data file and a rule set full of HTML, script and SQL render as text on every page: the site is
// built (in a copy of the project, so the shared loader cache is untouched) with TIERLAB_DATA
// pointing to leads whose text columns, column names, ids and split values are markup, and with a
// rule set whose name, tier ids and labels are markup. Every page must show the markup as text:
// no <img> or handler from the data in the DOM, no dialog, no request for the markup's "x".
import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import type {Server} from "node:http";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {loadSource} from "../../loaders/source.js";
import {literal, quoteIdentifier} from "../../src/lib/sql.js";
import type {RuleSet} from "../../src/lib/rules/types.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {SITE_PAGES} from "./pages.js";
import {serveStatic} from "./server.js";
import {buildConfiguredSiteAsync} from "../support/site-copy.js";

const IMG = "<img src=x onerror=alert(1)>";
const SCRIPT = "</script><svg onload=alert(2)>";
const SQL = `x"; DROP TABLE leads; --`;
const RULES_NAME = "<img src=x onerror=alert(3)>";

const rules: RuleSet = {
  name: RULES_NAME,
  description: `<script>alert(4)</script> ${IMG}`,
  tiers: [
    {id: "TIER_<b>1</b>", label: IMG, when: [{column: IMG, eq: IMG}, {column: "num_prior_firms", gte: 1}]},
    {id: "O'Brien", label: `O'Brien ${SQL}`, when: [{column: SQL, in: ["O'Brien"]}]},
    {id: "SCRIPT", label: SCRIPT, when: [{column: SCRIPT, gte: 20}]}
  ],
  fallback: {id: "STANDARD", label: "<script>alert(5)</script>"}
};

let work: string;
let project: string;
let server: Server;
let baseUrl: string;
let pages: string[];
let browser: Browser;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "tierlab-hostile-"));

  // Synthetic leads with markup and SQL in ids, split values, text columns and column names.
  const data = join(work, "hostile.parquet");
  const conn = await NodeConnector.open();
  await loadSource(conn, {kind: "synthetic", rows: 4000, seed: 11});
  await conn.run(`COPY (
    SELECT * EXCLUDE (i) REPLACE (
        CASE WHEN i % 97 = 0 THEN ${literal(IMG)} ELSE lead_id END AS lead_id,
        CASE WHEN i % 101 = 0 THEN ${literal(IMG)} ELSE split END AS split),
      CASE i % 3 WHEN 0 THEN ${literal(IMG)} WHEN 1 THEN 'O''Brien' ELSE ${literal(SQL)} END AS ${quoteIdentifier(IMG)},
      CASE WHEN i % 2 = 0 THEN 'O''Brien' ELSE ${literal(SQL)} END AS ${quoteIdentifier(SQL)},
      CAST(i % 40 AS DOUBLE) AS ${quoteIdentifier(SCRIPT)}
    FROM (SELECT *, row_number() OVER () AS i FROM leads)) TO ${literal(data)} (FORMAT parquet)`);
  conn.close();
  const rulesFile = join(work, `${RULES_NAME}.json`);
  writeFileSync(rulesFile, JSON.stringify(rules, null, 2));

  const built = await buildConfiguredSiteAsync({TIERLAB_DATA: data, TIERLAB_RULES: rulesFile, TIERLAB_COMPARE: rulesFile, TIERLAB_TITLE: IMG, TIERLAB_BIGQUERY_TABLE: "", TIERLAB_SITE_CONFIG: ""});
  project = built.root;
  const dist = built.dist;
  pages = readdirSync(dist).filter((f) => f.endsWith(".html") && f !== "404.html").map((f) => (f === "index.html" ? "/" : "/" + f.replace(/\.html$/, "")));
  ({url: baseUrl, server} = await serveStatic(dist));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const dir of [work, project]) if (dir && existsSync(dir)) rmSync(dir, {recursive: true, force: true});
});

interface Visit {
  page: Page;
  dialogs: string[];
  markupRequests: string[];
  errors: string[];
}

/** Opens a page, records dialogs and requests for the markup's `x`, and waits until its cells have run. */
async function visit(path: string, ready: string): Promise<Visit> {
  const {page, errors} = await watchedPage(browser);
  const dialogs: string[] = [];
  const markupRequests: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("request", (r) => {
    if (/\/x(\?|$)/.test(r.url())) markupRequests.push(r.url());
  });
  await page.goto(baseUrl + path);
  await page.waitForSelector(ready, {timeout: 60_000});
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(1500);
  return {page, dialogs, markupRequests, errors};
}

/** Elements the markup would have created if it had been parsed as HTML. */
const injected = (page: Page) =>
  page.evaluate(() => ({
    images: document.querySelectorAll("img").length,
    handlers: [...document.querySelectorAll("*")].filter((e) => e.hasAttribute("onerror") || e.hasAttribute("onload")).length,
    scripts: [...document.querySelectorAll("script")].filter((s) => /alert\(/.test(s.textContent ?? "")).length,
    bold: document.querySelectorAll("main b").length
  }));

describe("markup in the data and the rule set renders as text", () => {
  it("the build has every page of observablehq.config.ts (a missing page fails here, not silently below)", () => {
    expect(SITE_PAGES.length).toBeGreaterThanOrEqual(6);
    for (const {path} of SITE_PAGES) expect(pages, path).toContain(path);
  });

  it("overview: column names, duplicate ids and split values appear as text", async () => {
    const v = await visit("/", "#kpis .big");
    const text = (await v.page.textContent("main")) ?? "";
    expect(text).toContain(IMG);
    expect(text).toContain(SCRIPT);
    expect(text).toContain(SQL);
    expect(await v.page.textContent(".tl-warning")).toContain(IMG); // the duplicated lead id
    expect(await injected(v.page)).toEqual({images: 0, handlers: 0, scripts: 0, bold: 0});
    expect([v.dialogs, v.markupRequests, v.errors]).toEqual([[], [], []]);
  });

  it("tier criteria: markup labels, ids and column names are text, and the rules on those columns run", async () => {
    const v = await visit("/tiers", "#tier-table tbody tr");
    const labels = await v.page.$$eval("#tier-table tbody tr td:first-child", (tds) => tds.map((td) => td.textContent));
    expect(labels).toEqual([IMG, `O'Brien ${SQL}`, SCRIPT, "<script>alert(5)</script>"]);
    const leads = await v.page.$$eval("#tier-table tbody tr td:nth-child(2)", (tds) => tds.map((td) => Number(td.textContent!.replace(/,/g, ""))));
    expect(leads.slice(0, 3).every((n) => n > 0)).toBe(true);
    const options = await v.page.$$eval("select option", (os) => os.map((o) => o.textContent));
    expect(options).toEqual(expect.arrayContaining([IMG, SQL, SCRIPT]));
    expect((await v.page.textContent("main")) ?? "").toContain(`What changes against ${RULES_NAME}`);
    expect(await injected(v.page)).toEqual({images: 0, handlers: 0, scripts: 0, bold: 0});
    expect([v.dialogs, v.markupRequests, v.errors]).toEqual([[], [], []]);
  });

  // Pages that show the rule set (/backtest, /report) show its markup labels as text too.
  // (Each waits for its results, or an error: /backtest's period editor is a table shown before them.)
  for (const [path, showsRules, results] of [
    ["/signals", false, "main table"],
    ["/backtest", true, "#stability tbody tr"],
    ["/report", true, "main table"]
  ] as const) {
    it(`${path}: no markup from the data becomes an element`, async () => {
      expect(pages).toContain(path);
      const v = await visit(path, `${results}, main .tl-error`);
      expect(await injected(v.page)).toEqual({images: 0, handlers: 0, scripts: 0, bold: 0});
      expect(await v.page.$$eval(".tl-error", (els) => els.map((e) => e.textContent))).toEqual([]);
      if (showsRules) expect((await v.page.textContent("main")) ?? "").toContain(IMG);
      expect([v.dialogs, v.markupRequests, v.errors]).toEqual([[], [], []]);
    });
  }

  it("/explore: the rule set's markup tier ids, the markup column names and values in a query's result are text", async () => {
    expect(pages).toContain("/explore");
    const v = await visit("/explore", "#query-result, main .tl-error");
    expect(await v.page.$$eval(".tl-error", (els) => els.map((e) => e.textContent))).toEqual([]);
    const tiers = await v.page.$$eval("#query-result tbody tr td:first-child", (tds) => tds.map((td) => td.textContent));
    expect(tiers).toEqual(expect.arrayContaining(["TIER_<b>1</b>", "O'Brien", "SCRIPT", "STANDARD"]));
    await v.page.evaluate(() => document.querySelector("#query-result")?.setAttribute("data-old", "1"));
    await v.page.fill("#sql-box", `SELECT * FROM leads WHERE lead_id LIKE '<%' OR split LIKE '<%' LIMIT 20`);
    await v.page.click("#run-query");
    await v.page.waitForSelector("#query-result:not([data-old])", {timeout: 60_000});
    const headers = await v.page.$$eval("#query-result th", (ths) => ths.map((th) => th.textContent));
    expect(headers).toEqual(expect.arrayContaining([IMG, SQL, SCRIPT]));
    expect((await v.page.textContent("#query-result tbody")) ?? "").toContain(IMG);
    expect((await v.page.$$eval("#leads-columns code", (cs) => cs.map((c) => c.textContent)))).toEqual(expect.arrayContaining([IMG, SQL, SCRIPT]));
    await v.page.waitForSelector("#quick-chart-plot svg, #quick-chart-plot .tl-note");
    expect(await injected(v.page)).toEqual({images: 0, handlers: 0, scripts: 0, bold: 0});
    expect([v.dialogs, v.markupRequests, v.errors]).toEqual([[], [], []]);
  });
});
