// Faults in the browser: an impossible date refused before the query (the last good
// results kept), a link naming a column the data lacks, a crashed database worker (the page offers
// to reload the data and comes back), and a dataset too large for the browser (a message pointing
// to the command line instead of a crashed tab, and a "load anyway" button).
import {readFileSync} from "node:fs";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {encodeState} from "../../src/lib/permalink.js";
import type {Condition, RuleSet} from "../../src/lib/rules/types.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";
import {CONSOLIDATED_LABELS, consolidatedTierRows, queryParquet, tierTableRows} from "./independent.js";
import {markShown, waitForNew} from "./redraw.js";

const consolidated: RuleSet = JSON.parse(readFileSync("data/rules/v3.2-consolidated.json", "utf8"));
const handRows = (options: {prior?: number; tier2Extra?: string} = {}) => consolidatedTierRows(distLeadsParquet(inject("distDir")), options);

let browser: Browser;
let expected: string[][];
beforeAll(async () => {
  browser = await launchChromium();
  expect(consolidated.tiers.map((t) => t.label).concat(consolidated.fallback.label)).toEqual(CONSOLIDATED_LABELS);
  expected = await handRows();
});
afterAll(async () => {
  await browser?.close();
});

const tierRows = (page: Page) => tierTableRows(page);
const errorTexts = (page: Page) => page.$$eval(".tl-error", (els) => els.map((e) => e.textContent ?? ""));

/** The consolidated rule set with one more condition on its second tier (which keeps its leads when `extra` is always true). */
function withExtraCondition(extra: Condition): RuleSet {
  const rules = structuredClone(consolidated);
  rules.tiers[1].when!.push(extra);
  return rules;
}
async function linkTo(rules: RuleSet): Promise<string> {
  return `${inject("baseUrl")}/tiers#s=${await encodeState({rules})}`;
}
const tier2 = () => consolidated.tiers[1].id;
const extraIndex = () => consolidated.tiers[1].when!.length + 1;

/** The DuckDB-WASM worker of a page. */
async function duckdbWorker(page: Page) {
  await expect.poll(() => page.workers().some((w) => /duckdb/.test(w.url())), {timeout: 30_000}).toBe(true);
  return page.workers().find((w) => /duckdb/.test(w.url()))!;
}

describe("query errors", () => {
  it("a date that does not exist is refused before any query, and the last good results stay", async () => {
    // A date condition every lead passes; then its value becomes 2024-02-30, which the validator
    // refuses (DuckDB would fail the query on it).
    const {page, errors, external} = await watchedPage(browser);
    await page.goto(await linkTo(withExtraCondition({column: "contacted_date", notIn: ["1999-01-01"]})));
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    expect(await tierRows(page)).toEqual(expected);

    const values = page.getByLabel(`tier ${tier2()} condition ${extraIndex()} values`);
    await values.fill("2024-02-30");
    await values.dispatchEvent("change");
    await expect.poll(() => errorTexts(page), {timeout: 15_000}).toEqual([expect.stringMatching(/Invalid rule set.*a date column compared with "2024-02-30", which is not a date/s)]);
    expect(await tierRows(page)).toEqual(expected);

    // Fixing the value clears the message and recomputes: with the busiest contact date of Tier 2's
    // leads excluded, Tier 2 loses those leads (new rows, other numbers).
    const [{day}] = await queryParquet(
      distLeadsParquet(inject("distDir")),
      `SELECT strftime(contacted_date, '%Y-%m-%d') AS day FROM leads WHERE num_prior_firms >= 3 AND industry_tenure_months >= 60 AND is_wirehouse = 0 GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1`
    );
    const fixed = await handRows({tier2Extra: `contacted_date <> DATE '${day}'`});
    expect(fixed[1]).not.toEqual(expected[1]);
    await markShown(page, "#tier-table");
    await values.fill(String(day));
    await values.dispatchEvent("change");
    await waitForNew(page, "#tier-table");
    await expect.poll(() => errorTexts(page), {timeout: 15_000}).toEqual([]);
    await expect.poll(() => tierRows(page), {timeout: 15_000}).toEqual(fixed);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("a link whose rule set names a column the data lacks says so, and the analyst can fix it in place", async () => {
    const {page, errors} = await watchedPage(browser);
    await page.goto(await linkTo(withExtraCondition({column: "no_such_column", gte: 3})));
    await expect.poll(() => errorTexts(page), {timeout: 60_000}).toEqual([expect.stringMatching(/Invalid rule set.*unknown column "no_such_column"/s)]);
    expect(await page.$$eval("select option", (os) => os.map((o) => o.textContent))).toContain("no_such_column (not in data)");
    expect(await page.locator("#tier-table").count()).toBe(0);

    await page.getByLabel(`remove tier ${tier2()} condition ${extraIndex()}`).click();
    await page.waitForSelector("#tier-table tbody tr", {timeout: 30_000});
    expect(await tierRows(page)).toEqual(expected);
    await expect.poll(() => errorTexts(page), {timeout: 10_000}).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe("links that cannot be used", () => {
  it("stale, tampered, truncated or invalid: the reason is named and the default rule set is shown", async () => {
    const good = (await encodeState({rules: withExtraCondition({column: "num_prior_firms", gte: 0})})).slice(2);
    const notRules = await encodeState({rules: {name: 1, tiers: "all"}});
    const links: [string, RegExp][] = [
      [`0.${good}`, /older tierlab \(link format 0, this site reads 1\)/],
      [`2.${good}`, /made by a newer tierlab \(link format 2, this site reads 1\)/],
      [`1.${good.slice(0, 40)}$%`, /characters a tierlab link never has/],
      [`1.${good.slice(0, Math.floor(good.length / 2))}`, /damaged or cut short/],
      [notRules, /the rule set in this link is not valid/]
    ];
    for (const [link, message] of links) {
      // A fresh page per link: on a page already open, changing only the address's hash does not
      // reload it, and the open page may still be writing its own state into the address.
      const {page, errors} = await watchedPage(browser);
      await page.goto(`${inject("baseUrl")}/tiers#s=${link}`);
      await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
      expect(await page.textContent(".tl-error"), link).toMatch(new RegExp(`could not be opened.*${message.source}`, "s"));
      expect(await tierRows(page), link).toEqual(expected);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });
});

describe("a crashed database worker", () => {
  it("the tier page says the engine stopped, keeps counting edits from the columns file, and reloads the data with the edit intact", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    const worker = await duckdbWorker(page);
    // An uncaught exception inside the worker, as a WebAssembly trap or an out-of-memory abort would raise.
    await worker.evaluate(() => void setTimeout(() => {
      throw new Error("simulated crash");
    }));
    await page.waitForSelector("#engine-crash", {timeout: 15_000});
    expect(await page.textContent("#engine-crash")).toMatch(/The database engine stopped — Reload data.*simulated crash/s);

    // An edit still recomputes: the preview counts the leads of the columns file, in JavaScript.
    const want = await handRows({prior: 2});
    expect(want[1]).not.toEqual(expected[1]);
    const input = page.getByLabel(`tier ${tier2()} condition 1 value`);
    await input.fill("2");
    await input.dispatchEvent("change");
    await expect.poll(() => tierRows(page), {timeout: 15_000}).toEqual(want);
    expect(await page.getAttribute("#recompute-path", "data-counted-by")).toBe("loop");

    // Comparing with another rule set is counted from the columns file too: no database needed.
    const compareWith = page.getByLabel("Compare with");
    const otherId = await compareWith.evaluate((s: HTMLSelectElement) => s.options[(s.selectedIndex + 1) % s.options.length].value);
    await compareWith.selectOption(otherId);
    await expect.poll(() => page.locator("h2", {hasText: "What changes against"}).textContent(), {timeout: 15_000}).toContain(otherId);
    expect(await page.textContent("#result-problems")).toBe("");
    expect(await tierRows(page)).toEqual(want);

    // A rule on a column the columns file does not hold (a DOUBLE) needs the database: it fails at
    // once with a readable message (it does not wait for a dead worker), and the last results stay.
    await page.getByLabel(`tier ${tier2()} condition 1 column`).selectOption("pit_restlessness_ratio");
    await expect.poll(() => page.textContent("#result-problems"), {timeout: 15_000}).toMatch(/The query failed; the results below are from the last good run.*database engine stopped/s);
    expect(await tierRows(page)).toEqual(want);
    await page.getByLabel("undo").click();
    await expect.poll(() => page.textContent("#result-problems"), {timeout: 15_000}).toBe("");
    expect(await tierRows(page)).toEqual(want);

    // Reload at once (the address is written 150 ms after the last edit: the reload must not read an
    // older state): a new engine, the edit and the comparison restored, the edited numbers.
    await markShown(page, "#tier-table", ".tl-editor");
    await page.click("#reload-data");
    await waitForNew(page, "#tier-table", ".tl-editor");
    expect(await tierRows(page)).toEqual(want);
    expect(await errorTexts(page)).toEqual([]);
    expect(await page.inputValue(`[aria-label="tier ${tier2()} condition 1 value"]`)).toBe("2");
    expect(await compareWith.inputValue()).toBe(otherId);
    expect(await page.textContent("#recompute-path")).toMatch(/from the columns file/);
    expect(errors.filter((e) => !/simulated crash|ErrorEvent/.test(e))).toEqual([]);
    expect(external).toEqual([]);
  });

  it("the overview says the engine stopped and reloads the data", async () => {
    const {page, errors} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/");
    await page.waitForSelector("#kpis .big", {timeout: 60_000});
    const kpis = await page.textContent("#kpis");
    const worker = await duckdbWorker(page);
    await worker.evaluate(() => void setTimeout(() => {
      throw new Error("simulated crash");
    }));
    await page.waitForSelector("#engine-crash", {timeout: 15_000});
    await markShown(page, "#source", "#kpis .big");
    await page.click("#reload-data");
    await page.waitForSelector("#engine-crash", {state: "detached", timeout: 15_000});
    await waitForNew(page, "#source", "#kpis .big");
    expect(await page.textContent("#kpis")).toBe(kpis);
    expect(await page.textContent("#load-problems")).toBe("");
    expect(errors.filter((e) => !/simulated crash|ErrorEvent/.test(e))).toEqual([]);
  });
});

describe("a columns file that cannot be read", () => {
  for (const [what, fulfill] of [
    ["missing (HTTP 404)", {status: 404, body: "not found"}],
    ["not an Arrow file", {status: 200, body: "PAR1 this is not Arrow IPC", contentType: "application/octet-stream"}]
  ] as const) {
    it(`${what}: the tier page says so in the console and shows the same numbers from the engine`, async () => {
      const {page, errors, external} = await watchedPage(browser);
      const warnings: string[] = [];
      page.on("console", (m) => void (m.type() === "warning" && warnings.push(m.text())));
      await page.route(/\/leads\.[0-9a-f]+\.arrow$/, (route) => route.fulfill(fulfill));
      await page.goto(inject("baseUrl") + "/tiers");
      await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
      expect(await tierRows(page)).toEqual(expected);
      expect(await page.getAttribute("#recompute-path", "data-counted-by")).toBe("sql");
      expect(warnings.filter((w) => /the columns file could not be read/.test(w))).toHaveLength(1);
      // Edits are counted by the loop on the leads the engine read meanwhile.
      const input = page.getByLabel(`tier ${tier2()} condition 1 value`);
      await input.fill("2");
      await input.dispatchEvent("change");
      const want = await handRows({prior: 2});
      expect(want[1]).not.toEqual(expected[1]);
      await expect.poll(() => tierRows(page), {timeout: 15_000}).toEqual(want);
      expect(await page.getAttribute("#recompute-path", "data-counted-by")).toBe("loop");
      expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
      expect(external).toEqual([]);
    });
  }
});

describe("a dataset too large for the browser", () => {
  /** Serves the page with the leads file's build-time size replaced (as if the export were that large). */
  async function pretendSize(page: Page, path: string, bytes: number): Promise<string[]> {
    const fetched: string[] = [];
    page.on("request", (r) => {
      if (/leads\.[0-9a-f]+\.(duckdb|parquet|arrow)/.test(r.url())) fetched.push(r.url());
    });
    await page.route(`**${path === "/" ? "/" : path}`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(/(registerFile\("\.\/data\/leads\/leads\.duckdb", \{[^}]*"size":)\d+/, `$1${bytes}`);
      await route.fulfill({response, body});
    });
    return fetched;
  }

  for (const [path, ready] of [
    ["/tiers", "#tier-table tbody tr"],
    ["/", "#kpis .big"]
  ]) {
    it(`${path} explains, points to the command line, and fetches no data until "Load anyway"`, async () => {
      const {page, errors} = await watchedPage(browser);
      const fetched = await pretendSize(page, path, 450 * 1024 * 1024);
      await page.goto(inject("baseUrl") + path);
      await page.waitForSelector("#too-large", {timeout: 30_000});
      const text = await page.textContent("#too-large");
      expect(text).toMatch(/too large to open in the browser: the file is 450 MB, above the browser limit of 300 MB/);
      expect(text).toContain("npx tierlab report --data leads.parquet");
      expect(text).toContain("npx tierlab report --engine bigquery --bigquery");
      await page.waitForTimeout(1000);
      expect(fetched).toEqual([]);
      expect(await page.locator(ready).count()).toBe(0);

      await page.click("#load-anyway");
      await page.waitForSelector(ready, {timeout: 60_000});
      expect(await page.locator("#too-large").count()).toBe(0);
      // The DuckDB file only: a dataset this large is not counted from the tier page's columns file.
      expect(fetched).toHaveLength(1);
      expect(fetched[0]).toMatch(/\.duckdb$/);
      expect(errors).toEqual([]);
    });
  }
});
