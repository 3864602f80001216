/**
 * The population controls, the same on every page: split, contact-date window, wirehouses, and the
 * maturity (analysis date and window, defaulting to the site's). Their value is the page's one
 * population (resolvePopulation of the site's defaults and the address's state), and they keep the
 * address in step, so the links to the other pages open on the same population.
 */
import {html} from "htl";
import {int, pct} from "../lib/format.js";
import {maturityCutoff, populationState, resolvePopulation, type Population, type PopulationDefaults, type PopulationState} from "../lib/population.js";
import type {PopulationStats} from "../lib/tiers/types.js";
import {writeUrlState} from "./workbenchState.js";

type PopulationInput = HTMLFormElement & {value: Population};

const field = <T extends HTMLInputElement | HTMLSelectElement>(form: HTMLFormElement, name: string) => form.elements.namedItem(name) as T;

/**
 * The controls, opened on `resolvePopulation(site, state)`; the value is a resolved {@link Population}.
 * An entry that cannot be used (a window ending before it starts) is named under the controls and
 * the value stays the last usable one: the page does not recompute on it.
 */
export function populationControls(site: PopulationDefaults, state: PopulationState | undefined, options: {splits?: readonly string[]} = {}): PopulationInput {
  const splits = options.splits ?? ["TRAIN", "GAP", "TEST"];
  // Two rows: who is counted, then who counts as labeled.
  const form = html`<form class="tl-population" id="population-controls" onsubmit="return false">
    <div class="tl-population-row">
      <label>Population <select name="split" aria-label="split"><option value="">all leads</option>${splits.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
      <label>contacted from <input type="date" name="from" aria-label="from date"></label>
      <label>to <input type="date" name="to" aria-label="to date"></label>
      <label><input type="checkbox" name="excludeWirehouse"> exclude wirehouses</label>
    </div>
    <div class="tl-population-row">
      <label>Analysis date <input type="date" name="analysisDate"></label>
      <label>maturity window (days) <input type="number" name="maturityDays" min="0" step="1" placeholder="none"></label>
      <span class="tl-note" data-population-note></span>
    </div>
  </form>` as PopulationInput;
  const note = form.querySelector<HTMLElement>("[data-population-note]")!;

  const show = (p: Population) => {
    field<HTMLSelectElement>(form, "split").value = p.split ?? "";
    field<HTMLInputElement>(form, "from").value = p.from ?? "";
    field<HTMLInputElement>(form, "to").value = p.to ?? "";
    field<HTMLInputElement>(form, "excludeWirehouse").checked = p.excludeWirehouse === true;
    field<HTMLInputElement>(form, "analysisDate").value = p.analysisDate ?? "";
    field<HTMLInputElement>(form, "maturityDays").value = p.maturityDays === undefined ? "" : String(p.maturityDays);
  };
  /** The fields as a state: an empty maturity field is "none", not "the site's". */
  const read = (): PopulationState => {
    const text = (name: string) => field<HTMLInputElement>(form, name).value || undefined;
    const days = field<HTMLInputElement>(form, "maturityDays");
    return {
      split: text("split"),
      from: text("from"),
      to: text("to"),
      excludeWirehouse: field<HTMLInputElement>(form, "excludeWirehouse").checked,
      analysisDate: text("analysisDate") ?? null,
      maturityDays: days.value === "" ? null : days.valueAsNumber
    };
  };
  const explain = (p: Population, typed: PopulationState) => {
    const cutoff = maturityCutoff(p);
    note.className = "tl-note";
    note.textContent = cutoff
      ? `Leads contacted after ${cutoff} (analysis date − ${p.maturityDays ?? 0} days) count in volume, not in rates.`
      : "No analysis date: only the data’s own NULL targets are unlabeled.";
    if (typed.maturityDays != null && !typed.analysisDate) note.textContent += " A maturity window needs an analysis date to count back from; it is ignored until one is set.";
  };

  form.value = resolvePopulation(site, state);
  show(form.value);
  explain(form.value, populationState(form.value));
  writeUrlState({population: populationState(form.value)});

  // The fields' own input events stop here: the form announces a new value only when there is one
  // (typing "43" is two entries; a date is an entry once complete).
  const update = (event: Event) => {
    if (event.target === form) return;
    event.stopPropagation();
    const typed = read();
    let next: Population;
    try {
      next = resolvePopulation(site, typed);
    } catch (error) {
      note.className = "tl-error";
      note.textContent = `${(error as Error).message}; the numbers below are for the last usable population.`;
      return;
    }
    explain(next, typed);
    if (JSON.stringify(next) === JSON.stringify(form.value)) return;
    form.value = next;
    writeUrlState({population: populationState(next)});
    form.dispatchEvent(new Event("input", {bubbles: true}));
  };
  form.addEventListener("input", update, true);
  form.addEventListener("change", update, true);
  return form;
}

/** The population's numbers in one line, the same on every page (`#population-note`). */
export function populationNote(stats: PopulationStats): HTMLElement {
  return html`<p class="tl-note tl-population-note" id="population-note">Population: ${stats.description}: <strong>${int(stats.leads)} leads, ${int(stats.labeled)} labeled</strong>, ${int(stats.conversions)} conversions, rate ${stats.rate === null ? "–" : pct(stats.rate)}.</p>`;
}
