import {spawn} from "node:child_process";
import {join} from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const LOADER = join(ROOT, "src", "data", "leads.tar.ts");

export interface LoaderRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  pid: number;
}

/**
 * Runs the site's data loader (src/data/leads.tar.ts) as Framework does: a tsx process in the
 * project root, with the data settings cleared and `env` added. `onStart` gets the pid and a reader
 * of stderr so far (to interrupt the load, say).
 */
export function runLoader(env: Record<string, string>, onStart?: (pid: number, stderr: () => string) => void): Promise<LoaderRun> {
  const child = spawn(process.execPath, ["--import", "tsx", LOADER], {
    cwd: ROOT,
    env: {...process.env, TIERLAB_DATA: "", TIERLAB_BIGQUERY_TABLE: "", TIERLAB_ROWS: "", TIERLAB_SEED: "", ...env},
    stdio: ["ignore", "pipe", "pipe"]
  });
  const out: Buffer[] = [];
  let err = "";
  child.stdout.on("data", (d: Buffer) => out.push(d));
  child.stderr.on("data", (d) => (err += d));
  onStart?.(child.pid!, () => err);
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({code, signal, stdout: Buffer.concat(out), stderr: err, pid: child.pid!})));
}
