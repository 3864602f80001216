// The browser tests' Chromium: the one rule is cli/chromium-path.ts (tierlab report --format pdf uses it too).
export {CHROMIUM_ARGS, CHROMIUM_PATH, DEFAULT_CHROMIUM_PATH, chromiumProblem} from "../../cli/chromium-path.js";
