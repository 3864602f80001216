import {randomBytes} from "node:crypto";
import {rmSync} from "node:fs";
import {rename, rm, writeFile} from "node:fs/promises";
import {basename, dirname, join} from "node:path";

/** Temp files that must not outlive an interrupted process. */
const pending = new Set<string>();
let handlersInstalled = false;

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const cleanup = (signal: NodeJS.Signals) => {
    if (pending.size) process.stderr.write(`\ninterrupted (${signal}); no output was written\n`);
    for (const path of pending) rmSync(path, {force: true, recursive: true});
    pending.clear();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", cleanup);
  process.once("SIGTERM", cleanup);
}

/**
 * A temp path beside `target` (same directory, so the final rename is atomic). It is removed on
 * SIGINT/SIGTERM until {@link discardTemp} (a file, or a directory with everything in it).
 */
export function tempPathFor(target: string): string {
  const path = join(dirname(target), `.tierlab-tmp-${basename(target)}-${process.pid}-${randomBytes(4).toString("hex")}`);
  installSignalHandlers();
  pending.add(path);
  return path;
}

/**
 * Writes `target` atomically: `write` fills a temp file beside it, which is renamed over the target
 * only on success. On failure or interruption the temp file is removed and any previous target is intact.
 */
export async function writeAtomically(target: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await write(temp);
    await rename(temp, target);
  } finally {
    pending.delete(temp);
    await rm(temp, {force: true});
  }
}

/** Writes bytes to `target` atomically. */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  await writeAtomically(target, (temp) => writeFile(temp, data));
}

/** Removes a temp file (or directory) now and forgets it. */
export async function discardTemp(path: string): Promise<void> {
  pending.delete(path);
  await rm(path, {force: true, recursive: true});
}
