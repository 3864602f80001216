import {main} from "../../cli/main.js";
import type {IO} from "../../cli/command.js";

/** Runs the CLI in-process and captures what it prints and its exit code. */
export async function runCli(args: string[], extra: Partial<IO> = {}): Promise<{code: number; out: string; err: string}> {
  let out = "";
  let err = "";
  const code = await main(args, {stdout: (t) => (out += t), stderr: (t) => (err += t + "\n"), ...extra});
  return {code, out, err};
}
