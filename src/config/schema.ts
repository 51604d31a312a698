// The validator is compiled from schema/model-canary.schema.json at build time (Ajv standalone code,
// scripts/gen-schema-validator.mjs), so no run loads Ajv or compiles the schema.
import validate from './generated/validate-schema.js';
import type { Problem } from './problem.js';
import { describeSchemaError, type SourceLookup } from './schema-messages.js';

/**
 * Validates the parsed model file against the JSON Schema, filling defaults in place.
 * Returns every problem at once, in the order Ajv finds them (the caller sorts them by line).
 * sourceAt gives the text a value was written as, so a message can quote it as the user wrote it.
 */
export function validateAgainstSchema(document: unknown, sourceAt?: SourceLookup): Problem[] {
  if (validate(document)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = describeSchemaError(error, sourceAt);
    if (!problem || seen.has(problem.message)) continue;
    seen.add(problem.message);
    problems.push(problem);
  }
  return problems;
}
