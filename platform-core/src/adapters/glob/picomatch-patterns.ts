import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';
import { invalidArgument } from '../../domain/errors.js';
import type { PathPatterns } from '../../ports/path-patterns.js';

const OPTIONS: picomatchType.PicomatchOptions = { strictBrackets: true, dot: false };
/** Only these can be unbalanced: a pattern without them is valid without asking picomatch. */
const BALANCED = /[[\]{}()]/;

let loaded: typeof picomatchType | undefined;
/** picomatch, loaded on first use: most validations never need it (it is not free on a cold start). */
function picomatch(): typeof picomatchType {
  loaded ??= createRequire(import.meta.url)('picomatch') as typeof picomatchType;
  return loaded;
}

/** Globs by picomatch; unbalanced brackets, braces and parentheses are errors, not literal text. */
export class PicomatchPatterns implements PathPatterns {
  problem(pattern: string): string | undefined {
    if (!BALANCED.test(pattern)) return undefined;
    try {
      picomatch()(pattern, OPTIONS);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  isGlob(pattern: string): boolean {
    // An invalid pattern is a glob too: it must be reported, not looked up as a file name.
    return picomatch().scan(pattern).isGlob || pattern.includes('\\') || this.problem(pattern) !== undefined;
  }

  matcher(pattern: string): (name: string) => boolean {
    const why = this.problem(pattern);
    if (why !== undefined)
      throw invalidArgument('invalid_path_pattern', `The path pattern "${pattern}" is not valid: ${why}.`, {
        details: { path: pattern },
      });
    return picomatch()(pattern, OPTIONS);
  }
}
