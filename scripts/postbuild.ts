// After `observable build`: writes gzip and brotli copies beside every large asset (hosts such as
// nginx `gzip_static`/`brotli_static`, Caddy `precompressed`, or an object store with
// Content-Encoding serve them as is), and prints the site's size by page and its largest assets.
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import {brotliCompressSync, constants, gzipSync} from "node:zlib";

const dist = process.argv[2] || process.env.TIERLAB_DIST || "dist";
const MIN = 64 * 1024;
// .duckdb: the leads database file the pages load (its blocks hold lightly compressed columns; gzip
// and brotli still take a third off); .arrow: the tier page's columns file (raw narrow integers,
// gzip takes 60% off).
const COMPRESSIBLE = /\.(wasm|js|css|html|json|svg|csv|duckdb|arrow)$/;

function walk(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
const mb = (n: number) => `${(n / 1048576).toFixed(2)} MB`;

const files = walk(dist).filter((f) => !/\.(br|gz)$/.test(f));
let total = 0;
let totalBr = 0;
const rows: [string, number, number][] = [];
for (const file of files) {
  const bytes = readFileSync(file);
  total += bytes.length;
  if (bytes.length >= MIN && COMPRESSIBLE.test(file)) {
    const br = brotliCompressSync(bytes, {params: {[constants.BROTLI_PARAM_QUALITY]: 9}});
    writeFileSync(file + ".br", br);
    writeFileSync(file + ".gz", gzipSync(bytes, {level: 9}));
    totalBr += br.length;
    rows.push([relative(dist, file), bytes.length, br.length]);
  } else {
    totalBr += bytes.length;
  }
}
rows.sort((a, b) => b[1] - a[1]);
process.stderr.write(`\nSite size: ${mb(total)} in ${files.length} files (${mb(totalBr)} with brotli where the host serves .br)\n`);
for (const [name, raw, br] of rows.slice(0, 6)) process.stderr.write(`  ${mb(raw).padStart(9)} → ${mb(br).padStart(9)}  ${name}\n`);
process.stderr.write(`Every page loads only its own imports; DuckDB-WASM is fetched once and cached.\n`);
