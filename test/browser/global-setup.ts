import {execFileSync} from "node:child_process";
import {existsSync} from "node:fs";
import {join, resolve} from "node:path";
import type {TestProject} from "vitest/node";
import {serveStatic} from "./server.js";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    distDir: string;
  }
}

const ROOT = join(import.meta.dirname, "..", "..");

/**
 * Builds the site once (default configuration) and serves it on 127.0.0.1 for the browser tests:
 * dist/, or TIERLAB_DIST when set (as `npm run build` does).
 */
export default async function setup(project: TestProject) {
  const dist = process.env.TIERLAB_DIST ? resolve(ROOT, process.env.TIERLAB_DIST) : join(ROOT, "dist");
  if (!process.env.TIERLAB_SKIP_BUILD || !existsSync(dist)) {
    execFileSync("npm", ["run", "build"], {cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", TIERLAB_DATA: "", TIERLAB_BIGQUERY_TABLE: ""}});
  }
  const {url, server} = await serveStatic(dist);
  project.provide("baseUrl", url);
  project.provide("distDir", dist);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
