import {defineConfig} from "vitest/config";

// Two projects: fast unit tests (src/lib, loaders, CLI) and browser end-to-end tests that build the
// site once and drive Debian's Chromium. TZ is pinned so date arithmetic is the same everywhere.
process.env.TZ = "UTC";

export default defineConfig({
  test: {
    projects: [
      {test: {name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000}},
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/browser/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          poolOptions: {forks: {singleFork: true}}
        }
      }
    ]
  }
});
