/**
 * Build-time configuration of the site (what a published report opens on). Read from the JSON file
 * named by TIERLAB_SITE_CONFIG, else `tierlab.config.json` at the project root if present, else
 * the defaults below. Individual environment variables override the file.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {isIsoDate} from "../src/lib/dates.js";

export interface SiteConfig {
  title: string;
  /** Preset id or path of the rule set the pages open on. */
  rules: string;
  /** Preset id or path of the rule set to compare against (the deployed one). */
  compare: string;
  /** Path of a periods file (default data/periods.json). */
  periods: string;
  analysisDate: string | null;
  maturityDays: number | null;
}

export const DEFAULT_SITE: SiteConfig = {
  title: "tierlab",
  rules: "v3.2-consolidated",
  compare: "v3.2-consolidated",
  periods: "data/periods.json",
  analysisDate: null,
  maturityDays: null
};

export function readSiteConfig(root: string, env: NodeJS.ProcessEnv = process.env): SiteConfig {
  const file = env.TIERLAB_SITE_CONFIG || (existsSync(join(root, "tierlab.config.json")) ? join(root, "tierlab.config.json") : "");
  let fromFile: Partial<SiteConfig> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(`site configuration ${file}: ${(error as Error).message}`);
    }
  }
  const config: SiteConfig = {...DEFAULT_SITE, ...fromFile};
  if (env.TIERLAB_TITLE) config.title = env.TIERLAB_TITLE;
  if (env.TIERLAB_RULES) config.rules = env.TIERLAB_RULES;
  if (env.TIERLAB_COMPARE) config.compare = env.TIERLAB_COMPARE;
  if (env.TIERLAB_PERIODS) config.periods = env.TIERLAB_PERIODS;
  if (env.TIERLAB_ANALYSIS_DATE) config.analysisDate = env.TIERLAB_ANALYSIS_DATE;
  if (env.TIERLAB_MATURITY_DAYS) config.maturityDays = Number(env.TIERLAB_MATURITY_DAYS);
  // Checked here, so that a typo fails the build with its name rather than a page later.
  const where = file ? `site configuration ${file} (or its environment variable)` : "site configuration";
  if (config.analysisDate !== null && !isIsoDate(config.analysisDate)) {
    throw new Error(`${where}: analysisDate must be a date like "2025-09-15", got ${JSON.stringify(config.analysisDate)}`);
  }
  if (config.maturityDays !== null && !(Number.isInteger(config.maturityDays) && config.maturityDays >= 0)) {
    throw new Error(`${where}: maturityDays must be a whole number of days ≥ 0, got ${env.TIERLAB_MATURITY_DAYS || JSON.stringify(fromFile.maturityDays)}`);
  }
  return config;
}
