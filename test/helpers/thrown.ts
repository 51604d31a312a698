import { ModelCanaryError } from '../../src/errors.js';

/** The whole text a user sees of the error fn throws (message and hint); fails when fn does not throw one. */
export function userMessageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModelCanaryError) return err.userMessage;
    throw err;
  }
  throw new Error('did not throw');
}
