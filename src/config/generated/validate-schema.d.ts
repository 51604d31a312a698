// Types of validate-schema.js, which scripts/gen-schema-validator.mjs generates from the JSON Schema.
import type { ValidateFunction } from 'ajv';

/** Validates a parsed model file against schema/model-canary.schema.json, filling defaults in place. */
export declare const validate: ValidateFunction;
export default validate;
