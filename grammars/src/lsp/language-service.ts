import { TextDocument, URI, type LangiumDocument } from 'langium';
import type { ExpressionContext } from '../check-expression/context.js';
import { createCheckExpressionLspServices, type CheckExpressionLspServices } from './check-expression-lsp-module.js';
import { toDiagnostic } from './diagnostics.js';
import type { CompletionItem, Diagnostic, Hover } from './protocol.js';

/**
 * The expression language for an editor that holds expressions inside other files (an `expect:`
 * value in quality.yaml): give it the expression text, an offset into it and the check's result
 * columns; positions in the answers are relative to the expression text (line 0 is its first
 * line), for the caller to shift into the host file.
 */
export class CheckExpressionLanguageService {
  readonly services: CheckExpressionLspServices;
  private sequence = 0;

  constructor(services?: CheckExpressionLspServices) {
    this.services = services ?? createCheckExpressionLspServices().CheckExpression;
  }

  /** Every problem of the expression, as LSP diagnostics (same problems as the core validator). */
  diagnostics(text: string, context: ExpressionContext = {}): Diagnostic[] {
    const { Parser, Validator } = this.services.expressions;
    const problems = Validator.validate(Parser.parse(text), context);
    const document = TextDocument.create('inmemory:///expect.akili-expect', 'akili-expect', 0, text);
    return problems.map((p) => toDiagnostic(p, document));
  }

  /** Result columns and keywords that may follow at `offset`. */
  async completion(text: string, offset: number, context: ExpressionContext = {}): Promise<CompletionItem[]> {
    const provider = this.services.lsp.CompletionProvider;
    if (!provider) return [];
    const document = this.open(text, context);
    try {
      const position = document.textDocument.positionAt(offset);
      const list = await provider.getCompletion(document, { textDocument: { uri: document.uri.toString() }, position });
      return list?.items ?? [];
    } finally {
      this.close(document);
    }
  }

  /** What the column, keyword or operator at `offset` means. */
  async hover(text: string, offset: number, context: ExpressionContext = {}): Promise<Hover | undefined> {
    const provider = this.services.lsp.HoverProvider;
    if (!provider) return undefined;
    const document = this.open(text, context);
    try {
      const position = document.textDocument.positionAt(offset);
      return await provider.getHoverContent(document, { textDocument: { uri: document.uri.toString() }, position });
    } finally {
      this.close(document);
    }
  }

  private open(text: string, context: ExpressionContext): LangiumDocument {
    const uri = URI.parse(`inmemory:///expect-${++this.sequence}.akili-expect`);
    this.services.contexts.ExpressionContexts.set(uri, context);
    return this.services.shared.workspace.LangiumDocumentFactory.fromString(text, uri);
  }

  private close(document: LangiumDocument): void {
    this.services.contexts.ExpressionContexts.delete(document.uri);
  }
}
