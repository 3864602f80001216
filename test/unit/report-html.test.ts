// `tierlab report --format html`: one self-contained file (no script, no outside reference) whose
// tables, read back with JavaScript off (jsdom runs no script), hold the numbers of
// `tierlab report --format json`; the gains table's running sums are added up here by hand. Bad
// input: a PDF without Chromium is one message, exit 1, and no file.
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {JSDOM, VirtualConsole} from "jsdom";
import {afterEach, beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../support/cli.js";
import type {Backtest} from "../../src/lib/backtest/backtest.js";
import {shiftSummary} from "../../src/lib/report/summary.js";
import {reportDifferences} from "../../src/lib/report/state.js";

interface JsonTier {
  id: string;
  label: string;
  leads: number;
  labeled: number;
  conversions: number;
  rate: number | null;
}

let dir: string;
let data: string;
let html: string;
let json: {tiers: JsonTier[]; population: {leads: number; conversions: number}};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-report-html-"));
  data = join(dir, "leads.parquet");
  expect((await runCli(["generate", "--rows", "6000", "--seed", "11", "--out", data])).code).toBe(0);
  const out = join(dir, "report.html");
  const r = await runCli(["report", "--data", data, "--rules", "v3.2-consolidated", "--format", "html", "--out", out, "--compare", "v3.1", "--title", "Q4 review"]);
  expect(r.code, r.err).toBe(0);
  html = readFileSync(out, "utf8");
  const j = await runCli(["report", "--data", data, "--rules", "v3.2-consolidated", "--format", "json"]);
  json = JSON.parse(j.out);
}, 120_000);

/** The file as a browser with JavaScript off reads it (jsdom's CSS parser knows no @page margin boxes: its complaint is not a finding). */
const open = (text: string) => new JSDOM(text, {virtualConsole: new VirtualConsole()}).window.document;
const number = (text: string) => Number(text.replace(/,/g, ""));
const rows = (doc: Document, id: string) => [...doc.querySelectorAll(`#${id} tbody tr`)].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""));

describe("tierlab report --format html", () => {
  it("is one file: no script, no event handler, no reference to anything outside it", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/http/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"|@import|url\(/i);
    // Every chart is inline SVG.
    const doc = open(html);
    expect(doc.querySelectorAll("figure svg").length).toBe(3);
    expect(doc.title).toContain("Q4 review");
  });

  it("its tier table holds the numbers of --format json", () => {
    const doc = open(html);
    const shown = rows(doc, "report-tiers");
    expect(shown.length).toBe(json.tiers.length);
    json.tiers.forEach((t, i) => {
      const [label, leads, , labeled, conversions, rate] = shown[i];
      expect(label).toBe(t.label);
      expect(number(leads)).toBe(t.leads);
      expect(number(labeled)).toBe(t.labeled);
      expect(number(conversions)).toBe(t.conversions);
      expect(rate).toBe(t.rate === null ? "–" : `${(t.rate * 100).toFixed(2)}%`);
    });
  });

  it("its gains table is the JSON's tiers added up in rule order", () => {
    const doc = open(html);
    const gains = rows(doc, "report-gains");
    let leads = 0;
    let conversions = 0;
    json.tiers.forEach((t, i) => {
      leads += t.leads;
      conversions += t.conversions;
      expect(number(gains[i][1]), t.id).toBe(leads);
      expect(number(gains[i][4]), t.id).toBe(conversions);
    });
    expect(leads).toBe(json.population.leads);
  });

  it("names what it runs on, the compared rule set, and the backtest's shift", () => {
    const doc = open(html);
    const meta = doc.querySelector("#report-meta")!.textContent!;
    expect(meta).toContain("Synthetic data (seed 11), 6,000 rows");
    expect(meta).toMatch(/compared with: V3\.1/);
    expect(doc.querySelector("#report-summary")!.textContent).toMatch(/backtest period|Shifted between train and test/);
    // The page header of every printed page says the same.
    expect(html).toMatch(/@top-left \{ content: "V3\.2_12212025 vs V3\.1[^"]*Synthetic data \(seed 11\)/);
    expect(html).toContain('counter(page) " of " counter(pages)');
  });
});

describe("bad input", () => {
  afterEach(() => delete process.env.CHROMIUM_PATH);

  it("--format pdf without Chromium: one message naming it, exit 1, no file and no temp file", async () => {
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    const out = join(dir, "no.pdf");
    const r = await runCli(["report", "--data", data, "--rules", "v3.2", "--format", "pdf", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: tierlab report --format pdf prints with Chromium: CHROMIUM_PATH=/nonexistent/chromium not found; point CHROMIUM_PATH at a Chromium/Chrome binary, or unset it and install Debian's with "apt-get update && apt-get install -y chromium"\n`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith(".tierlab-tmp"))).toEqual([]);
  });

  it("a failing run leaves the previous file as it was", async () => {
    const out = join(dir, "kept.html");
    writeFileSync(out, "previous");
    const r = await runCli(["report", "--data", data, "--rules", "no-such-rules", "--format", "html", "--out", out]);
    expect(r.code).toBe(2);
    expect(readFileSync(out, "utf8")).toBe("previous");
  });

  it("--format pdf needs --out; --paper is for pdf only", async () => {
    expect((await runCli(["report", "--data", data, "--rules", "v3.2", "--format", "pdf"])).err).toMatch(/^error: --format pdf needs --out FILE\.pdf/);
    expect((await runCli(["report", "--data", data, "--rules", "v3.2", "--format", "html", "--paper", "a4"])).code).toBe(2);
  });
});

describe("the summary's backtest shift and the built report's identity", () => {
  // Only the fields shiftSummary reads; the indices are chosen around the 0.25 "shifted" line.
  const backtest = (results: {name: string; psi: number | null; csi: Record<string, number | null>}[]) =>
    ({results, csiColumns: [{column: "industry_tenure_months", label: "Industry tenure"}]}) as unknown as Backtest;

  it("names each period above 0.25 with the index that shifted, and only those", () => {
    const text = shiftSummary(
      backtest([
        {name: "Q1", psi: 0.31, csi: {industry_tenure_months: 0.05}},
        {name: "Q2", psi: 0.2, csi: {industry_tenure_months: 0.26}},
        {name: "Q3", psi: 0.25, csi: {industry_tenure_months: null}}
      ])
    );
    expect(text).toBe("Shifted between train and test (index above 0.25): Q1 (tier-mix PSI 0.31); Q2 (Industry tenure CSI 0.26); those periods' test numbers compare a different population.");
  });

  it("says when none shifted", () => {
    expect(shiftSummary(backtest([{name: "Q1", psi: 0.1, csi: {}}]))).toMatch(/^No backtest period shifted .* in all 1 periods\)\.$/);
  });

  it("a built report is the one asked for whatever the rules' key order; another population or compared rule set is not", () => {
    const built = {rules: {name: "A", tiers: [{id: "T1", label: "One"}], fallback: {id: "S"}}, compareId: "v3.1", population: {analysisDate: "2025-01-31", maturityDays: 43}};
    expect(reportDifferences(built as never, {rules: {fallback: {id: "S"}, tiers: [{label: "One", id: "T1"}], name: "A"}, compareId: "v3.1", population: {maturityDays: 43, analysisDate: "2025-01-31"}})).toEqual([]);
    expect(reportDifferences(built as never, {rules: built.rules, compareId: "v3.2", population: {split: "TRAIN", ...built.population}})).toEqual(["the compared rule set", "the population"]);
    expect(reportDifferences(built as never, {rules: {...built.rules, tiers: []}, compareId: "v3.1", population: built.population})).toEqual(["the rule set"]);
  });
});
