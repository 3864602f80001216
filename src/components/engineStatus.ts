/**
 * What a page shows when the data cannot be worked with in the browser: the database engine
 * stopped (offer to reload the data), or the dataset is too large to open (point to the command
 * line, with a "load anyway" button).
 */
import {html} from "htl";
import {assessDataSize, formatBytes, LARGE_DATA_COMMANDS, tooLargeMessage, type SizeLimits} from "../lib/data-size.js";
import type {PreviewSource} from "../lib/tiers/preview-source.js";
import {loadLeads as attachLeads, onEngineCrash, type EngineCrashError, type LoadedLeads} from "./duckdb.js";
import {loadPreviewSource} from "./leadsArrowFile.js";

type StatusInput = HTMLElement & {value: number};

/**
 * An input whose value counts the data reloads (0 at first). Empty while the engine runs; when it
 * stops, it says so with a "Reload data" button, which bumps the value. A page reloads its data
 * by depending on it: `const run = view(engineStatus())`, then load in a cell that reads `run`.
 */
export function engineStatus(): StatusInput {
  const root = html`<div id="engine-status" aria-live="polite"></div>` as StatusInput;
  root.value = 0;
  onEngineCrash((crash: EngineCrashError) => {
    const button = html`<button type="button" id="reload-data">Reload data</button>` as HTMLButtonElement;
    button.onclick = () => {
      root.replaceChildren();
      ++root.value;
      root.dispatchEvent(new Event("input", {bubbles: true}));
    };
    root.replaceChildren(
      html`<div class="tl-error" role="alert" id="engine-crash"><strong>The database engine stopped — Reload data</strong>
        <div>${crash.message}. The numbers on this page are from before it stopped; your edits are kept in the address.</div>
        <p>${button}</p></div>`
    );
  });
  return root;
}

/** A data file as a page passes it: Framework's `FileAttachment(…)` (its size is known at build time). */
export interface DataFile {
  arrayBuffer(): Promise<ArrayBuffer>;
  /** Bytes; unknown sizes load. */
  size?: number;
}

export interface LoadOptions {
  /** Shows the "too large" notice (a page passes Framework's `display`). */
  display: (node: Node) => void;
  /** The reload count from {@link engineStatus}: passing it makes the loading cell run again on "Reload data". */
  run?: number;
  limits?: SizeLimits;
}

/**
 * Loads the leads' DuckDB file into DuckDB-WASM, unless it is too large for the browser: then the
 * page shows why, the command lines that handle it, and a "Load anyway" button, and the file is
 * not fetched until that button is pressed (the engine itself has started from the page's <head>:
 * it costs the same whatever the data's size). Pass the attachment itself,
 * `loadLeads(FileAttachment("data/leads/leads.duckdb"), {display, run})`: it is fetched only here.
 */
export async function loadLeads(file: DataFile, options: LoadOptions): Promise<LoadedLeads> {
  const assessment = assessDataSize(file.size, options.limits);
  if (!assessment.ok) {
    const button = html`<button type="button" id="load-anyway">Load anyway (${formatBytes(assessment.bytes!)})</button>` as HTMLButtonElement;
    const notice = html`<div class="tl-warning" role="alert" id="too-large"><strong>This dataset is too large for the browser</strong>
      <p>${tooLargeMessage(assessment)}</p>
      <pre>${LARGE_DATA_COMMANDS.join("\n")}</pre>
      <p>${button}</p></div>` as HTMLElement;
    options.display(notice);
    await new Promise<void>((resolve) => (button.onclick = () => resolve()));
    notice.remove();
  }
  return attachLeads(file.arrayBuffer());
}

/**
 * A file's bytes, from its attachment or its address. The tier page passes the columns file's
 * address (`FileAttachment("….arrow").href`): given an .arrow attachment itself, Framework adds an
 * implicit `npm:apache-arrow` import to the page, fetched from the npm CDN at build time.
 */
async function bytesOf(file: DataFile | string): Promise<ArrayBuffer> {
  if (typeof file !== "string") return file.arrayBuffer();
  const response = await fetch(file);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText} for ${file}`);
  return response.arrayBuffer();
}

/** The tier page's two data files, loading: the columns file (null when absent, unreadable or too large to open without asking) and the database. */
export interface TierData {
  source: Promise<PreviewSource | null>;
  leads: Promise<LoadedLeads>;
}

/**
 * Loads the columns file (the first numbers are counted from it, without the engine), then the
 * database file (everything else; the engine itself has started from the page's <head>). One after
 * the other: on two cores, downloading both at once gave the first numbers ~70 ms later at 1M
 * leads (medians of 8 interleaved loads each), and the engine was ready no sooner. When the
 * dataset is too large to open without asking, the columns file is skipped and the database waits
 * for "Load anyway".
 */
export function loadTierData(columns: DataFile | string, database: DataFile, options: LoadOptions): TierData {
  const source = assessDataSize(database.size, options.limits).ok ? loadPreviewSource(() => bytesOf(columns)) : Promise.resolve(null);
  return {source, leads: source.then(() => loadLeads(database, options))};
}
