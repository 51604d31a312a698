export const TYPES_FILE: string;
export function generatedTypes(): Promise<string>;
export function writeTypes(): Promise<void>;
