#!/usr/bin/env node
// The `tierlab` command line. Runs the TypeScript sources directly through tsx.
import {register} from "tsx/esm/api";

register();
const {main} = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
