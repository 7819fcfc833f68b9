import type { LangiumCoreServices } from 'langium';
import type { CompletionProvider, HoverProvider } from 'langium/lsp';

// LSP protocol types as Langium's services use them (vscode-languageserver is Langium's
// dependency, not ours: the types are taken from Langium's signatures).
export type Diagnostic = Awaited<
  ReturnType<LangiumCoreServices['validation']['DocumentValidator']['validateDocument']>
>[number];
export type Hover = NonNullable<Awaited<ReturnType<HoverProvider['getHoverContent']>>>;
export type CompletionList = NonNullable<Awaited<ReturnType<CompletionProvider['getCompletion']>>>;
export type CompletionItem = CompletionList['items'][number];
export type Range = Diagnostic['range'];
export type Position = Range['start'];

/** Protocol constants used here (values fixed by the LSP specification). */
export const DiagnosticSeverityError = 1 as const;
export const CompletionItemKindField = 5 as const;
export const CompletionItemKindKeyword = 14 as const;
