import type { ParseResult } from 'libpg-query';

/** What parsing one SQL text gives: the tree, or the syntax error (cursor in code points). */
export type ParseOutcome = { readonly tree: ParseResult } | { readonly error: { readonly message: string; readonly cursorPosition: number } };
