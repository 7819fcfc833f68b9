// @hekima/grammars/lsp — LSP services of the check-expression language, for the language server.
export { CheckExpressionLspModule, createCheckExpressionLspServices } from './check-expression-lsp-module.js';
export type { CheckExpressionLspAddedServices, CheckExpressionLspServices } from './check-expression-lsp-module.js';
export { CheckExpressionLanguageService } from './language-service.js';
export { CheckExpressionCompletionProvider } from './completion-provider.js';
export { CheckExpressionHoverProvider } from './hover-provider.js';
export { CheckExpressionDocumentValidator, toDiagnostic } from './diagnostics.js';
export { ExpressionContexts } from './expression-contexts.js';
export { KEYWORD_DOCS } from './keyword-docs.js';
export type { CompletionItem, CompletionList, Diagnostic, Hover, Position, Range } from './protocol.js';
