/**
 * File-name patterns (globs) of `file` inputs: `*` (one segment), `**` (any depth), `?`, `[12]`
 * and `{a,b}`, with `\` escaping a special character. Hidden entries (a segment starting with
 * `.`) are never matched by a wildcard.
 */
export interface PathPatterns {
  /** Why `pattern` is not a valid pattern (an unbalanced bracket, brace or parenthesis), or undefined. */
  problem(pattern: string): string | undefined;
  /** True when `pattern` has wildcards (else it names one file). */
  isGlob(pattern: string): boolean;
  /** A test of `/`-separated relative names; InvalidArgument `invalid_path_pattern` for an invalid pattern. */
  matcher(pattern: string): (name: string) => boolean;
}
