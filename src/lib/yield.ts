/**
 * Lets the page handle input and paint between two slices of long work: `scheduler.yield()` where
 * the browser has it (it resumes ahead of other queued tasks, without the 4 ms clamp of nested
 * timers), a zero-delay timer elsewhere (Node, older browsers).
 */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as {scheduler?: {yield?: () => Promise<void>}}).scheduler;
  if (typeof scheduler?.yield === "function") return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs `work(start, end)` over [0, count) in slices of `slice`, letting the page in between them
 * (not before the first) and stopping at the next slice once `signal` is aborted.
 */
export async function inSlices(count: number, slice: number, work: (start: number, end: number) => void, signal?: AbortSignal): Promise<void> {
  for (let start = 0; start < count; start += slice) {
    if (start > 0) await yieldToPage();
    signal?.throwIfAborted();
    work(start, Math.min(start + slice, count));
  }
}
