import { invalidArgument } from '../../domain/errors.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Schema, role and channel names are interpolated into SQL text (they cannot be parameters), so
 * they are restricted to lower-case letters, digits and `_` (max 63) and always double-quoted.
 */
export function quoteIdentifier(name: string, what = 'identifier'): string {
  if (!IDENTIFIER.test(name)) {
    throw invalidArgument(
      'invalid_identifier',
      `Invalid ${what} "${name}": use lowercase letters, digits and "_" (at most 63, not starting with a digit).`,
    );
  }
  return `"${name}"`;
}
