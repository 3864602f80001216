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
