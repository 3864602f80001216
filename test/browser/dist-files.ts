import {readdirSync, statSync} from "node:fs";
import {join} from "node:path";

/** A leads file Framework extracted from the data archive into dist/ (its name carries a content hash). */
export function distLeadsFile(distDir: string, ext: "parquet" | "duckdb" | "arrow"): string {
  const dir = join(distDir, "_file", "data", "leads");
  const file = readdirSync(dir).find((f) => new RegExp(`^leads\\.[0-9a-f]+\\.${ext}$`).test(f) && statSync(join(dir, f)).isFile());
  if (!file) throw new Error(`no leads.*.${ext} in ${dir}`);
  return join(dir, file);
}

/** The published leads Parquet file in dist/ (the download, what the command line reads). */
export function distLeadsParquet(distDir: string): string {
  return distLeadsFile(distDir, "parquet");
}

/** The leads DuckDB database file in dist/ (what the pages load). */
export function distLeadsDuckdb(distDir: string): string {
  return distLeadsFile(distDir, "duckdb");
}

/** The tier page's columns file in dist/ (what its first numbers are counted from). */
export function distLeadsColumns(distDir: string): string {
  return distLeadsFile(distDir, "arrow");
}

/** Every file under a directory, recursively. */
export function walk(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
