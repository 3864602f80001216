import {readdirSync} from "node:fs";
import {join} from "node:path";

/** The leads Parquet file Framework wrote into dist/ (its name carries a content hash). */
export function distLeadsParquet(distDir: string): string {
  const dir = join(distDir, "_file", "data");
  const file = readdirSync(dir).find((f) => /^leads\.[0-9a-f]+\.parquet$/.test(f));
  if (!file) throw new Error(`no leads.*.parquet in ${dir}`);
  return join(dir, file);
}

/** Every file under a directory, recursively. */
export function walk(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
