import { Ajv, type ValidateFunction } from 'ajv';
import schema from '../../schema/model-canary.schema.json' with { type: 'json' };
import type { Problem } from './problem.js';
import { describeSchemaError, type SourceLookup } from './schema-messages.js';

export { schema };

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true, allowUnionTypes: true });
    // Our annotation: a sentence saying how to write a valid value, used in error messages.
    ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/**
 * Validates the parsed model file against the JSON Schema, filling defaults in place.
 * Returns every problem at once, in the order Ajv finds them (the caller sorts them by line).
 * sourceAt gives the text a value was written as, so a message can quote it as the user wrote it.
 */
export function validateAgainstSchema(document: unknown, sourceAt?: SourceLookup): Problem[] {
  const validate = validator();
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
