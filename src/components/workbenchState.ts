/**
 * The workbench state in the address (`#s=…`), shared by every page: each page reads it, writes
 * what it changes (the tier page its rules, every page its population), and the links to the
 * other pages carry it.
 */
import {decodeState, encodeState, type WorkbenchState} from "../lib/permalink.js";
import {PopulationError, resolvePopulation} from "../lib/population.js";
import {safeParseRuleSet} from "../lib/rules/parse.js";

/** A page's path, whatever the link's spelling (`/tiers`, `/tiers.html`; `/`, `/index.html`). */
const pagePath = (url: URL) => url.pathname.replace(/\.html$/, "").replace(/\/index$/, "/");

/**
 * Links to the site's pages carry the state. The pages are the sidebar's links, which Framework
 * renders from observablehq.config.ts `pages`: the one list, in step with the built HTML (a data
 * loader's copy of it would be stale until its cache is cleared).
 */
function isPage(url: URL): boolean {
  if (url.origin !== location.origin) return false;
  const pages = new Set([...document.querySelectorAll<HTMLAnchorElement>("#observablehq-sidebar a[href]")].map((a) => pagePath(new URL(a.href, location.href))));
  return pages.has(pagePath(url));
}

/** What the address should hold: the state read, with every page's writes merged in. */
let desired: WorkbenchState = {};

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
    if (state.rules !== undefined) {
      const parsed = safeParseRuleSet(state.rules);
      if (!parsed.ok) return {error: Object.assign(new Error("the rule set in this link is not valid (it may be from an older version or edited by hand)"), {issues: parsed.issues})};
    }
    try {
      resolvePopulation({}, state.population);
    } catch (error) {
      if (error instanceof PopulationError) return {error: new Error(`the population in this link is not valid: ${error.message}`)};
      throw error;
    }
    desired = state;
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
 * Writes the state into the address (debounced) and into the links to the other pages: the fields
 * given replace the address's, the others are kept (the population controls write the population,
 * the tier page its rules). A click on such a link while a write is due waits for it, so the next
 * page opens on this state.
 */
export function writeUrlState(fields: WorkbenchState): void {
  desired = {...desired, ...fields};
  clearTimeout(pending?.timer);
  pending = {timer: setTimeout(() => void flushUrlState(), 150), state: desired};
}

// A plain click on a workbench link while a write is due (or under way) waits for it, then follows
// the link; any other click goes through at once.
document.addEventListener("click", (event) => {
  if ((!pending && unwritten === 0) || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
  if (!link || !isPage(new URL(link.href, location.href))) return;
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
    if (isPage(url)) {
      url.hash = hash;
      a.href = url.href;
    }
  }
}
