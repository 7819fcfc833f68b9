// The three semver functions Hekima uses, imported one by one: the package's main entry loads
// every module of the library (~25 ms at start-up) for functions we never call.
import valid from 'semver/functions/valid.js';
import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';

export const semver = { valid, satisfies, validRange } as const;
