import picomatch from 'picomatch';
import { invalidArgument } from '../../domain/errors.js';
import type { PathPatterns } from '../../ports/path-patterns.js';

const OPTIONS: picomatch.PicomatchOptions = { strictBrackets: true, dot: false };

/** Globs by picomatch; unbalanced brackets, braces and parentheses are errors, not literal text. */
export class PicomatchPatterns implements PathPatterns {
  problem(pattern: string): string | undefined {
    try {
      picomatch(pattern, OPTIONS);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  isGlob(pattern: string): boolean {
    // An invalid pattern is a glob too: it must be reported, not looked up as a file name.
    return picomatch.scan(pattern).isGlob || pattern.includes('\\') || this.problem(pattern) !== undefined;
  }

  matcher(pattern: string): (name: string) => boolean {
    const why = this.problem(pattern);
    if (why !== undefined)
      throw invalidArgument('invalid_path_pattern', `The path pattern "${pattern}" is not valid: ${why}.`, {
        details: { path: pattern },
      });
    return picomatch(pattern, OPTIONS);
  }
}
