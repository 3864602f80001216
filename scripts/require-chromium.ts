// First step of `npm test`: without a launchable Chromium the browser tests fail only after the
// type-check, the unit tests and a site build, so say so at once, in one line.
import {chromiumProblem} from "../test/browser/chromium-path.js";

const problem = chromiumProblem();
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
}
