/**
 * The built site's own pages in the bench: every page of observablehq.config.ts (the list the
 * browser tests use, test/browser/pages.ts) loaded as a first visit on the size's data until its
 * ready selector shows numbers, and the tier page's population change.
 *
 * Times are taken in the page (performance.now(), from navigation start), by a MutationObserver
 * installed before the page's first script ({@link marksScript}), not by polling from Node.
 */
import type {BrowserContext, CDPSession, Page} from "playwright-core";
import {readySelector, SITE_PAGES, type SitePage} from "../test/browser/pages.js";
import {median} from "./page/tasks.js";

/** The tier table's first rows: what "the real tier page shows numbers" has meant in the bench. */
export const TIER_TABLE_ROWS = "#tier-table tbody tr";

/** Pages whose numbers were computed when the site was built, not from the data being measured. */
const BUILT_NUMBERS = new Set(["/report"]);

declare global {
  interface Window {
    __benchMarks: Record<string, number>;
  }
}

/**
 * Script run before a page's own: records when each selector first matches an element that is
 * visible and shows a digit (`window.__benchMarks[name]`, ms from navigation start).
 */
export function marksScript(marks: Record<string, string>): string {
  if (Object.keys(marks).length === 0) return "window.__benchMarks = {};";
  return `
window.__benchMarks = {};
const __benchWanted = ${JSON.stringify(marks)};
const __benchCheck = () => {
  let left = 0;
  for (const [name, selector] of Object.entries(__benchWanted)) {
    if (window.__benchMarks[name] !== undefined) continue;
    const el = document.querySelector(selector);
    if (el && /\\d/.test(el.textContent ?? "") && (el.checkVisibility ? el.checkVisibility() : true)) window.__benchMarks[name] = performance.now();
    else ++left;
  }
  if (left === 0) __benchObserver.disconnect();
};
const __benchObserver = new MutationObserver(__benchCheck);
__benchObserver.observe(document, {childList: true, subtree: true, characterData: true});
`;
}

/** What the harness gives this module (chromium-run.ts's Harness). */
export interface Opener {
  open(path: string, reuse: BrowserContext | undefined, marks: Record<string, string>): Promise<{context: BrowserContext; page: Page; session: CDPSession; pids: () => Promise<number[]>; crashed: () => boolean; errors: string[]}>;
  rendererPeakMB(pids: number[]): number | null;
}

export interface PageLoadRun {
  /** Navigation → the ready selector shows numbers. */
  firstNumbersMs: number;
  /** /tiers: navigation → the tier table's first rows. */
  tableMs: number | null;
  rendererPeakMB: number | null;
  /** Longest main-thread task from navigation to the first numbers. */
  longestTaskMs: number;
  /** The ready element's text (the population line). */
  shown: string;
}

export interface SitePageLoads {
  name: string;
  path: string;
  selector: string;
  /** Whether the page's numbers come from the measured data (false: computed at build time). */
  fromData: boolean;
  runs: PageLoadRun[];
  /** Medians of the runs (null without runs). */
  firstNumbersMs: number | null;
  tableMs: number | null;
  /** Highest over the runs. */
  rendererPeakMB: number | null;
  longestTaskMs: number | null;
  error?: string;
}

export const pageUrl = (path: string) => (path === "/" ? "/" : `${path}.html`);

const round = (x: number) => Math.round(x * 10) / 10;

/**
 * One first visit of a page: a fresh context, until its ready selector shows numbers (and, on the
 * tier page, the tier table). Checks the shown population is this size's (every lead, the default
 * population) where the page counts the data it loaded.
 */
export async function loadSitePage(opener: Opener, p: SitePage, rows: number, timeoutMs: number): Promise<PageLoadRun> {
  const marks: Record<string, string> = {ready: readySelector(p.path), ...(p.path === "/tiers" ? {table: TIER_TABLE_ROWS} : {})};
  const opened = await opener.open(pageUrl(p.path), undefined, marks);
  const {page} = opened;
  try {
    await page.waitForFunction((names) => names.every((n) => window.__benchMarks?.[n] !== undefined), Object.keys(marks), {timeout: timeoutMs, polling: 100});
    const seen = await page.evaluate((selector) => ({marks: window.__benchMarks, tasks: window.__benchLongTasks, text: document.querySelector(selector)?.textContent ?? ""}), marks.ready);
    const shown = seen.text.replace(/\s+/g, " ").trim();
    if (p.path !== "/explore" && !BUILT_NUMBERS.has(p.path)) {
      const leads = /([\d,]+) leads/.exec(shown)?.[1];
      if (leads === undefined || Number(leads.replace(/,/g, "")) !== rows) throw new Error(`shows "${shown.slice(0, 120)}", not the ${rows.toLocaleString("en-US")} leads measured`);
    }
    if (opened.errors.length) throw new Error(`page errors: ${opened.errors.slice(0, 3).join("; ")}`);
    const firstNumbersMs = seen.marks.ready;
    return {
      firstNumbersMs: round(firstNumbersMs),
      tableMs: seen.marks.table === undefined ? null : round(seen.marks.table),
      rendererPeakMB: opener.rendererPeakMB(await opened.pids()),
      longestTaskMs: round(Math.max(0, ...seen.tasks.filter(([start]) => start <= firstNumbersMs).map(([, d]) => d))),
      shown
    };
  } catch (error) {
    throw new Error(`${p.path}${opened.crashed() ? " (the tab crashed)" : ""}: ${(error as Error).message.split("\n")[0]}`);
  } finally {
    await opened.context.close().catch(() => {});
  }
}

/** Every page of the site, in the config's order. */
export function sitePages(): SitePageLoads[] {
  return SITE_PAGES.map((p) => ({name: p.name, path: p.path, selector: readySelector(p.path), fromData: !BUILT_NUMBERS.has(p.path), runs: [], firstNumbersMs: null, tableMs: null, rendererPeakMB: null, longestTaskMs: null}));
}

/** Medians (and the highest peak and longest task) once the runs are in. */
export function summarizePage(s: SitePageLoads): void {
  if (s.runs.length === 0) return;
  s.firstNumbersMs = round(median(s.runs.map((r) => r.firstNumbersMs)));
  s.tableMs = s.runs.some((r) => r.tableMs === null) ? null : round(median(s.runs.map((r) => r.tableMs!)));
  const peaks = s.runs.map((r) => r.rendererPeakMB).filter((x): x is number => x !== null);
  s.rendererPeakMB = peaks.length ? Math.max(...peaks) : null;
  s.longestTaskMs = Math.max(...s.runs.map((r) => r.longestTaskMs));
}

export interface PopulationChange {
  /** Medians etc. of the timed changes (ms from the control's input event to a new tier table with rows). */
  median: number;
  min: number;
  max: number;
  samples: number[];
  /** The population lines shown after each change (the first is the warm-up's). */
  shown: string[];
}

/**
 * On an open tier page: selects the population again, alternately TRAIN and all leads (the split
 * control, as a user does: its input event), a warm-up and `repeats` timed changes. Each is timed in
 * the page from the event to a new tier table node with rows (the old one replaced, so the new
 * numbers are on screen), and checked to show the population chosen.
 */
export async function populationChanges(page: Page, repeats: number, timeoutMs: number): Promise<PopulationChange> {
  const samples: number[] = [];
  const shown: string[] = [];
  for (let i = 0; i <= repeats; ++i) {
    const split = i % 2 === 0 ? "TRAIN" : "";
    const ms = await page.evaluate(
      ([split, timeoutMs]) =>
        new Promise<number>((resolve, reject) => {
          const select = document.querySelector<HTMLSelectElement>('#population-controls select[name="split"]');
          if (!select) return reject(new Error("no population (split) control on the page"));
          const before = document.querySelector("#tier-table");
          let t0 = 0;
          const observer = new MutationObserver(() => {
            const now = document.querySelector("#tier-table");
            if (now === null || now === before || now.querySelector("tbody tr") === null) return;
            const ms = performance.now() - t0;
            observer.disconnect();
            clearTimeout(timer);
            resolve(ms);
          });
          const timer = setTimeout(() => {
            observer.disconnect();
            reject(new Error(`no new tier table ${timeoutMs} ms after selecting ${split || "all leads"}`));
          }, timeoutMs);
          observer.observe(document, {childList: true, subtree: true});
          t0 = performance.now();
          select.value = split;
          select.dispatchEvent(new Event("input", {bubbles: true}));
        }),
      [split, timeoutMs] as const
    );
    const line = ((await page.textContent("#population-note")) ?? "").replace(/\s+/g, " ").trim();
    if (line.startsWith("Population: TRAIN") !== (split === "TRAIN")) throw new Error(`after selecting ${split || "all leads"} the page shows "${line.slice(0, 100)}"`);
    shown.push(line);
    if (i > 0) samples.push(round(ms));
  }
  return {median: round(median(samples)), min: Math.min(...samples), max: Math.max(...samples), samples, shown};
}
