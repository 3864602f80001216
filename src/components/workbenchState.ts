/** URL state shared by the workbench pages, and the population controls. */
import {html} from "htl";
import {decodeState, encodeState, type WorkbenchState} from "../lib/permalink.js";
import type {Population} from "../lib/population.js";
import {safeParseRuleSet} from "../lib/rules/parse.js";

/** Pages that read the workbench state from the URL (links to them carry it along). */
const STATEFUL = ["tiers", "backtest", "report", "signals"];
const isStateful = (url: URL) => url.origin === location.origin && STATEFUL.some((p) => url.pathname.replace(/\.html$/, "").endsWith(`/${p}`));

/**
 * Reads `#s=…` from the address: the state, an error explaining why the link is unusable, or neither.
 * A state this page has not yet written (the write is debounced) is written first, so that a page
 * reloading its data ("Reload data") reads back the edit the analyst just made, not an older one.
 */
export async function readUrlState(): Promise<{state?: WorkbenchState; error?: Error}> {
  await flushUrlState();
  const match = /(?:^#|&)s=([^&]*)/.exec(location.hash);
  if (!match) return {};
  try {
    const state = await decodeState(match[1]);
    const parsed = safeParseRuleSet(state.rules);
    if (!parsed.ok) return {error: Object.assign(new Error("the rule set in this link is not valid (it may be from an older version or edited by hand)"), {issues: parsed.issues})};
    return {state};
  } catch (error) {
    return {error: error as Error};
  }
}

/** The state waiting for its debounced write, and the writes under way (in order: encoding is async). */
let pending: {timer: ReturnType<typeof setTimeout>; state: WorkbenchState} | undefined;
let writing: Promise<void> = Promise.resolve();
let unwritten = 0;

/**
 * Writes the state into the address (debounced) and into the links to the other workbench pages.
 * A click on such a link while a write is due waits for it, so the next page opens on this state.
 */
export function writeUrlState(state: WorkbenchState): void {
  clearTimeout(pending?.timer);
  pending = {timer: setTimeout(() => void flushUrlState(), 150), state};
}

// A plain click on a workbench link while a write is due (or under way) waits for it, then follows
// the link; any other click goes through at once.
document.addEventListener("click", (event) => {
  if ((!pending && unwritten === 0) || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
  if (!link || !isStateful(new URL(link.href, location.href))) return;
  event.preventDefault();
  void flushUrlState().then(() => location.assign(link.href));
}, true);

/** Writes the pending state now; resolves once the address holds the last state given. */
function flushUrlState(): Promise<void> {
  if (pending) {
    const {timer, state} = pending;
    pending = undefined;
    clearTimeout(timer);
    ++unwritten;
    writing = writing
      .then(() => writeNow(state))
      .catch((error) => console.warn("tierlab: the address could not be updated", error))
      .finally(() => --unwritten);
  }
  return writing;
}

async function writeNow(state: WorkbenchState): Promise<void> {
  const hash = `#s=${await encodeState(state)}`;
  history.replaceState(history.state, "", hash);
  for (const a of document.querySelectorAll<HTMLAnchorElement>("a[href]")) {
    const url = new URL(a.href, location.href);
    if (isStateful(url)) {
      url.hash = hash;
      a.href = url.href;
    }
  }
}

type PopulationInput = HTMLElement & {value: Population};

/** Split, date window and wirehouse controls; the value is a {@link Population}. */
export function populationControls(initial: Population, options: {splits?: string[]} = {}): PopulationInput {
  const splits = options.splits ?? ["TRAIN", "GAP", "TEST"];
  const form = html`<form class="tl-population" onsubmit="return false">
    <label>Population <select name="split" aria-label="split"><option value="">all leads</option>${splits.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
    <label>from <input type="date" name="from" aria-label="from date"></label>
    <label>to <input type="date" name="to" aria-label="to date"></label>
    <label><input type="checkbox" name="excludeWirehouse" aria-label="exclude wirehouses"> exclude wirehouses</label>
  </form>` as PopulationInput;
  const f = form as unknown as HTMLFormElement;
  (f.elements.namedItem("split") as HTMLSelectElement).value = initial.split ?? "";
  (f.elements.namedItem("from") as HTMLInputElement).value = initial.from ?? "";
  (f.elements.namedItem("to") as HTMLInputElement).value = initial.to ?? "";
  (f.elements.namedItem("excludeWirehouse") as HTMLInputElement).checked = initial.excludeWirehouse === true;
  const read = (): Population => {
    const get = (name: string) => (f.elements.namedItem(name) as HTMLInputElement).value || undefined;
    const p: Population = {};
    if (get("split")) p.split = get("split");
    if (get("from")) p.from = get("from");
    if (get("to")) p.to = get("to");
    if ((f.elements.namedItem("excludeWirehouse") as HTMLInputElement).checked) p.excludeWirehouse = true;
    return p;
  };
  form.value = read();
  form.addEventListener("input", () => (form.value = read()));
  form.addEventListener("change", () => {
    form.value = read();
    form.dispatchEvent(new Event("input", {bubbles: true}));
  });
  return form;
}
