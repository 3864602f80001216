// Where tierlab finds Chromium: `tierlab report --format pdf`, the browser tests, the bench and
// `npm test`'s first check all use this one rule. No playwright import here, so that
// scripts/require-chromium.ts can check it before `npm test` spends minutes on anything else.
import {accessSync, constants, statSync} from "node:fs";

/** Debian's Chromium, where `apt-get install chromium` puts it. */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** CHROMIUM_PATH when set (an empty value counts as unset), else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;

/** Chromium's flags for a headless run as any user (root in containers needs --no-sandbox). */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/**
 * Why `path` cannot be launched (one line, saying how to fix it), or null when it is an executable
 * file. `fromEnv` says whether the path came from CHROMIUM_PATH, which changes the advice; `who`
 * says what needs it.
 */
export function chromiumProblem(path: string = CHROMIUM_PATH, fromEnv: boolean = Boolean(process.env.CHROMIUM_PATH), who = "npm test needs Chromium for the browser tests"): string | null {
  let problem: string | null = null;
  try {
    if (!statSync(path).isFile()) problem = "is not a file";
    else accessSync(path, constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problem = code === "ENOENT" || code === "ENOTDIR" ? "not found" : code === "EACCES" ? "is not executable" : `cannot be used (${code ?? String(error)})`;
  }
  if (problem === null) return null;
  const install = `"apt-get update && apt-get install -y chromium"`;
  const fix = fromEnv ? `point CHROMIUM_PATH at a Chromium/Chrome binary, or unset it and install Debian's with ${install}` : `install it with ${install}, or set CHROMIUM_PATH to a Chromium/Chrome binary`;
  return `${who}: ${fromEnv ? `CHROMIUM_PATH=${path}` : path} ${problem}; ${fix}`;
}
