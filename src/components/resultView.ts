/**
 * A page's results as values that always display: a computation's outcome is its value, a failure
 * (a {@link Failure}), or null (nothing to show: an input it needs is missing or failed). A cell showing one
 * is a single expression, `resultView(outcome, render)`, and always displays something (the
 * content, the error box or the empty state): Framework clears a cell's output only when it
 * displays again, so a cell that sometimes displays nothing would keep showing stale results.
 */
import {html} from "htl";
import {errorBox} from "./ui.js";

/** A computation that failed, kept as a value so that the cells showing it do not throw. */
export class Failure {
  constructor(readonly error: unknown) {}
}

/** What a computation gave: its value, its failure, or null when it could not run. */
export type Outcome<T> = T | Failure | null;

export function isFailure(value: unknown): value is Failure {
  return value instanceof Failure;
}

/** A promise's value, or its failure as a value. */
export async function settle<T>(promise: Promise<T>): Promise<T | Failure> {
  try {
    return await promise;
  } catch (error) {
    return new Failure(error);
  }
}

/**
 * `compute(input)`, or null when the input is missing or failed (its own cell shows why, once), or
 * the failure when `compute` throws.
 */
export async function attempt<I, T>(input: Outcome<I> | undefined, compute: (input: I) => T | Promise<T>): Promise<Outcome<T>> {
  if (input === null || input === undefined || isFailure(input)) return null;
  try {
    return await compute(input);
  } catch (error) {
    return new Failure(error);
  }
}

export interface ResultViewOptions {
  /** Title of the error box for a failure; without one a failure shows the empty state (another cell reports it). */
  error?: string;
  /** What to show when there is nothing (default: an empty element). */
  empty?: Node | string;
}

/** The content of an outcome (`render(value)`), its error box, or the empty state; always a node. */
export function resultView<T>(outcome: Outcome<T> | undefined, render: (value: T) => unknown, options: ResultViewOptions = {}): Node {
  const empty = () => html`<div class="tl-empty">${options.empty ?? ""}</div>`;
  if (outcome === null || outcome === undefined) return empty();
  if (isFailure(outcome)) return options.error ? errorBox(outcome.error, options.error) : empty();
  const content = render(outcome);
  if (content === null || content === undefined || content === false || content === "") return empty();
  return content instanceof Node ? content : html`<div>${content}</div>`;
}

/** The error box of a failed outcome, or the empty state: for the one cell that reports a failure. */
export function errorView(outcome: unknown, title: string): Node {
  return resultView(isFailure(outcome) ? outcome : null, () => null, {error: title});
}
