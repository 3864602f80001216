/**
 * The bench's static server on 127.0.0.1 (like test/browser/server.ts, what any static host does):
 * the built site copy at /, bench/.data/ at /bench-data/, and — for the real tier page — the
 * site's own leads files (its DuckDB database file and columns file) swapped for the files of the
 * size being measured.
 */
import {createReadStream, existsSync, statSync} from "node:fs";
import {createServer, type Server} from "node:http";
import {basename, extname, join, normalize} from "node:path";
import {CONTENT_TYPES as TYPES} from "../test/browser/server.js";


export interface BenchServer {
  url: string;
  /** When set, requests for the site's leads files get these files instead. */
  swap: {duckdb: string; columns: string} | null;
  /** Whether precompressed copies (.br, .gz) are sent to browsers that accept them (default true). */
  precompressed: boolean;
  close(): Promise<void>;
}

/** The URL paths of the site's leads files (from site.ts). */
export async function serveBench(dist: string, dataDir: string, paths: {duckdb: string; columns: string}): Promise<BenchServer> {
  const state: BenchServer = {url: "", swap: null, precompressed: true, close: async () => {}};
  // Like a static host: Framework's content-hashed files (/_node, /_import, /_file, /_observablehq)
  // are immutable; pages and the bench's data files are revalidated on every visit (no validator,
  // so always sent again).
  const cacheControl = (pathname: string) => (/^\/_(node|import|file|observablehq|npm)\//.test(pathname) && pathname !== paths.duckdb && pathname !== paths.columns ? "public, max-age=31536000, immutable" : "no-cache");
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const pathname = decodeURIComponent(url.pathname);
    let path: string;
    if (pathname.startsWith("/bench-data/")) path = join(dataDir, basename(pathname));
    else if (pathname === paths.duckdb && state.swap) path = state.swap.duckdb;
    else if (pathname === paths.columns && state.swap) path = state.swap.columns;
    else {
      path = normalize(join(dist, pathname));
      if (!path.startsWith(normalize(dist))) return void res.writeHead(403).end();
      if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
      if (!existsSync(path) && existsSync(path + ".html")) path += ".html";
    }
    if (!existsSync(path) || !statSync(path).isFile()) return void res.writeHead(404, {"content-type": "text/plain"}).end("not found");
    // A precompressed copy (written by scripts/postbuild.ts) when the browser accepts it (Chromium
    // offers brotli only over HTTPS, so on http://127.0.0.1 this is the gzip copy).
    const accepted = String(req.headers["accept-encoding"] ?? "");
    const encoding = state.precompressed ? [["br", ".br"], ["gzip", ".gz"]].find(([name, ext]) => new RegExp(`\\b${name}\\b`).test(accepted) && existsSync(path + ext)) : undefined;
    if (encoding && !req.headers.range) {
      const file = path + encoding[1];
      res.writeHead(200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "content-encoding": encoding[0],
        "content-length": statSync(file).size,
        vary: "accept-encoding",
        "cache-control": cacheControl(pathname)
      });
      if (req.method === "HEAD") return void res.end();
      return void createReadStream(file).pipe(res);
    }
    const size = statSync(path).size;
    const headers = {"content-type": TYPES[extname(path)] ?? "application/octet-stream", "accept-ranges": "bytes", "cache-control": cacheControl(pathname)};
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
    if (range && (range[1] || range[2])) {
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start > end || start >= size) return void res.writeHead(416, {"content-range": `bytes */${size}`}).end();
      res.writeHead(206, {...headers, "content-length": end - start + 1, "content-range": `bytes ${start}-${end}/${size}`});
      if (req.method === "HEAD") return void res.end();
      return void createReadStream(path, {start, end}).pipe(res);
    }
    res.writeHead(200, {...headers, "content-length": size});
    if (req.method === "HEAD") return void res.end();
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  state.url = `http://127.0.0.1:${address.port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
