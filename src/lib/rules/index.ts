/** Rule sets: the format, validation, the SQL compiler, the TypeScript evaluator, deployment SQL. */
export * from "./types.js";
export {conditionProblems, crossTierProblems, ruleSetSchema} from "./rule-set-schema.js";
export {locateJsonError, parseRuleSet, parseRuleSetText, safeParseRuleSet, type ParseResult} from "./parse.js";
export {describeCondition, describeTier, normalizeCondition, tierAlternatives} from "./conditions.js";
export {compileCondition, compileTierCase, groupOrder, tierGroups, tierOrder, type CompileOptions} from "./compile.js";
export {evaluateAll, evaluateCondition, evaluateTier, tierMatches, type Truth} from "./evaluate.js";
export * from "./export-sql.js";
