// SQL cells on a page of one's own: a site built (in a copy of the project) with the README's
// example page added as the README says (one .md file, one line in observablehq.config.ts), plus
// two failing cells. Its tables equal `tierlab query` on the published Parquet (native DuckDB),
// the `${…}` input re-runs its cell with the new bound value, the failures show their message and
// SQL in their own cells while the others keep their results, and nothing loads from a CDN.
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import type {Server} from "node:http";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../support/cli.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";
import {serveStatic} from "./server.js";
import {buildConfiguredSiteAsync} from "../support/site-copy.js";

const README = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
const EXAMPLE = /<!-- sql-cells-example -->\n````md\n([\s\S]*?)\n````\n<!-- \/sql-cells-example -->/.exec(README)?.[1];
const FAILING = `

\`\`\`sql
SELECT tier FRM scored_leads
\`\`\`

\`\`\`sql
DROP VIEW leads
\`\`\`

\`\`\`sql id=after display
SELECT COUNT(*) AS n FROM leads
\`\`\`
`;

/** The SQL of the example's ```sql blocks, in order. */
const blocks = (EXAMPLE ?? "").split("```sql").slice(1).map((b) => b.slice(b.indexOf("\n") + 1, b.indexOf("```")).trim());

let browser: Browser;
let server: Server;
let baseUrl: string;
let dist: string;
beforeAll(async () => {
  if (!EXAMPLE) throw new Error("README.md has no sql-cells-example block");
  ({dist} = await buildConfiguredSiteAsync({TIERLAB_DATA: "", TIERLAB_BIGQUERY_TABLE: "", TIERLAB_SITE_CONFIG: ""}, (root) => {
    writeFileSync(join(root, "src", "tier1.md"), EXAMPLE + FAILING);
    const config = join(root, "observablehq.config.ts");
    const text = readFileSync(config, "utf8");
    if (!text.includes("pages: [\n")) throw new Error("observablehq.config.ts has no pages list");
    writeFileSync(config, text.replace("pages: [\n", `pages: [\n    {name: "Tier 1", path: "/tier1"},\n`));
  }));
  ({url: baseUrl, server} = await serveStatic(dist));
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function cliCsv(sql: string): Promise<string> {
  const {code, out, err} = await runCli(["query", "--data", distLeadsParquet(dist), "--format", "csv", sql]);
  expect(err).toBe("");
  expect(code).toBe(0);
  return out;
}

async function downloadCsv(page: Page, block: number): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator(".tl-sql-result").nth(block).locator(".tl-download").click()]);
  return readFileSync(await download.path(), "utf8");
}

describe("SQL cells on the README's example page", () => {
  it("the example has the README's three cells", () => {
    expect(blocks.length).toBe(2);
    expect(blocks[1]).toContain("${months}");
  });

  it("is built with no DuckDB from Framework's stdlib or a CDN, and listed in the sidebar", () => {
    const html = readFileSync(join(dist, "tier1.html"), "utf8");
    expect(html).not.toMatch(/stdlib\/duckdb|jsdelivr|npm:@observablehq\/duckdb/);
    expect(existsSync(join(dist, "_observablehq", "stdlib", "duckdb.js"))).toBe(false);
    expect(html).toMatch(/<a href="\.\/tier1(\.html)?">Tier 1<\/a>/);
  });

  it("shows tierlab query's rows, re-runs a cell with a new bound value, and keeps failures in their cells", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await page.goto(baseUrl + "/tier1");
    await page.waitForFunction(() => document.querySelectorAll(".tl-sql-result").length === 3 && document.querySelectorAll(".observablehq--error").length === 2, null, {timeout: 90_000});

    const tiers = await cliCsv(blocks[0]);
    expect(await downloadCsv(page, 0)).toBe(tiers);
    const tierCount = tiers.trim().split("\r\n").length - 1;
    expect((await page.textContent("main")) ?? "").toContain(`The rules give ${tierCount} tiers.`);

    const at24 = await cliCsv(blocks[1].replace("${months}", "24"));
    expect(await downloadCsv(page, 1)).toBe(at24);
    await page.locator(".tl-sql-result").nth(1).evaluate((e) => e.setAttribute("data-old", "1"));
    await page.fill("form input[type=number]", "48");
    await page.dispatchEvent("form input[type=number]", "input");
    await page.waitForFunction(() => document.querySelectorAll(".tl-sql-result:not([data-old])").length === 3, null, {timeout: 60_000});
    const at48 = await cliCsv(blocks[1].replace("${months}", "48"));
    expect(at48).not.toBe(at24);
    expect(await downloadCsv(page, 1)).toBe(at48);

    const failures = await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent ?? ""));
    expect(failures[0]).toMatch(/^SQL error: Parser Error: syntax error at or near "scored_leads"[\s\S]*SELECT tier FRM scored_leads$/);
    expect(failures[1]).toMatch(/^SQL error: DROP is not allowed: queries here only read the data[\s\S]*DROP VIEW leads$/);
    expect(await downloadCsv(page, 2)).toBe(await cliCsv("SELECT COUNT(*) AS n FROM leads"));
    expect(errors.filter((e) => !/SQL error/.test(e))).toEqual([]);
    expect(external).toEqual([]);
  });
});
