// Proof that a page drew again: mark the nodes it shows now, then wait for nodes without the mark
// (a cell that ran again replaces its output), so a check after an edit cannot pass on the old DOM.
import type {Page} from "playwright-core";

/** Marks what the page shows now under each selector, so that {@link waitForNew} can tell when it is drawn again. */
export const markShown = (page: Page, ...selectors: string[]): Promise<void> =>
  page.evaluate((list) => list.forEach((s) => document.querySelector(s)!.setAttribute("data-before-redraw", "")), selectors);

/** Waits until each selector matches a node drawn since {@link markShown}. */
export const waitForNew = async (page: Page, ...selectors: string[]): Promise<void> => {
  await Promise.all(selectors.map((s) => page.waitForSelector(`${s}:not([data-before-redraw])`, {state: "attached", timeout: 60_000})));
};
