// Types of gen-schema-validator.mjs, for the unit test that checks the generated validator is current.
import type { Ajv, Options } from 'ajv';

export declare const SCHEMA_FILE: string;
export declare const VALIDATOR_FILE: string;
export declare const AJV_OPTIONS: Options;
export declare function createAjv(extra?: Options): Ajv;
export declare function generateValidatorSource(schemaText?: string): string;
export declare function writeValidator(): boolean;
