import type { URI } from 'langium';
import type { ExpressionContext } from '../check-expression/context.js';

/**
 * The result columns each open expression document is checked against. An expression lives
 * inside a manifest, so whoever opens a document for it (the language server) says which
 * columns its check's SQL returns.
 */
export class ExpressionContexts {
  private readonly byUri = new Map<string, ExpressionContext>();

  set(uri: URI | string, context: ExpressionContext): void {
    this.byUri.set(uri.toString(), context);
  }

  get(uri: URI | string): ExpressionContext {
    return this.byUri.get(uri.toString()) ?? {};
  }

  delete(uri: URI | string): void {
    this.byUri.delete(uri.toString());
  }
}
