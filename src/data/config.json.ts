// Framework data loader: everything the pages need besides the leads — rule-set presets, backtest
// periods, signal definitions, the seeds' published results, and the build-time site configuration.
import {readdirSync, readFileSync} from "node:fs";
import {basename, isAbsolute, join} from "node:path";
import {readSiteConfig} from "../../loaders/site-config.js";

const root = join(import.meta.dirname, "..", "..");
const read = (path: string) => JSON.parse(readFileSync(isAbsolute(path) ? path : join(root, path), "utf8"));
try {
  const site = readSiteConfig(root);
  const presets = Object.fromEntries(
    readdirSync(join(root, "data", "rules"))
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => [basename(f, ".json"), read(join("data", "rules", f))])
  );
  // A rule set given as a file path (not a preset id) is embedded as a preset named after the file.
  for (const key of ["rules", "compare"] as const) {
    if (!(site[key] in presets)) {
      const id = basename(site[key], ".json");
      presets[id] = read(site[key]);
      site[key] = id;
    }
  }
  process.stdout.write(
    JSON.stringify({
      site: {...site, builtAt: new Date().toISOString()},
      presets,
      periods: read(site.periods),
      signals: read("data/signals.json"),
      reference: read("data/reference/published.json")
    })
  );
} catch (error) {
  process.stderr.write(`config.json: ${(error as Error).message}\n`);
  process.exit(1);
}
