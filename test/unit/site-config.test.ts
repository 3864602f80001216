// The site configuration: environment variables override the file, and a bad maturity setting
// fails when the configuration is read (the build), naming the field.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {readSiteConfig} from "../../loaders/site-config.js";

const root = mkdtempSync(join(tmpdir(), "tierlab-site-"));

describe("readSiteConfig", () => {
  it("takes the file, then the environment", () => {
    const file = join(root, "a.json");
    writeFileSync(file, JSON.stringify({title: "Q4", analysisDate: "2025-09-15", maturityDays: 43}));
    expect(readSiteConfig(root, {TIERLAB_SITE_CONFIG: file})).toMatchObject({title: "Q4", analysisDate: "2025-09-15", maturityDays: 43});
    expect(readSiteConfig(root, {TIERLAB_SITE_CONFIG: file, TIERLAB_MATURITY_DAYS: "30"}).maturityDays).toBe(30);
  });

  it("refuses a date that does not exist and a window that is not whole days", () => {
    expect(() => readSiteConfig(root, {TIERLAB_ANALYSIS_DATE: "2025-02-30"})).toThrow('analysisDate must be a date like "2025-09-15", got "2025-02-30"');
    expect(() => readSiteConfig(root, {TIERLAB_ANALYSIS_DATE: "2025-09-15", TIERLAB_MATURITY_DAYS: "six"})).toThrow("maturityDays must be a whole number of days ≥ 0, got six");
    const file = join(root, "b.json");
    writeFileSync(file, JSON.stringify({analysisDate: "2025-09-15", maturityDays: -1}));
    expect(() => readSiteConfig(root, {TIERLAB_SITE_CONFIG: file})).toThrow(`site configuration ${file} (or its environment variable): maturityDays must be a whole number of days ≥ 0, got -1`);
  });
});
