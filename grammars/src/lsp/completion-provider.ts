import { AstUtils, GrammarAST, type MaybePromise } from 'langium';
import {
  DefaultCompletionProvider,
  type CompletionAcceptor,
  type CompletionContext,
  type NextFeature,
} from 'langium/lsp';
import { columnNameText } from '../check-expression/printer.js';
import type { CheckExpressionLspServices } from './check-expression-lsp-module.js';
import type { ExpressionContexts } from './expression-contexts.js';
import { KEYWORD_DOCS } from './keyword-docs.js';
import { CompletionItemKindField, CompletionItemKindKeyword } from './protocol.js';

/**
 * Completion: wherever a value may follow, the result columns of the check's SQL (first), then
 * the keywords the grammar allows there.
 */
export class CheckExpressionCompletionProvider extends DefaultCompletionProvider {
  private readonly contexts: ExpressionContexts;

  constructor(services: CheckExpressionLspServices) {
    super(services);
    this.contexts = services.contexts.ExpressionContexts;
  }

  protected override completionFor(
    context: CompletionContext,
    next: NextFeature,
    acceptor: CompletionAcceptor,
  ): MaybePromise<void> {
    if (isColumnName(next.feature)) {
      for (const column of this.contexts.get(context.document.uri).columns ?? []) {
        const type = column.type && column.type !== 'unknown' ? column.type : 'column';
        acceptor(context, {
          label: column.name,
          kind: CompletionItemKindField,
          detail: column.sql ? `${type} · ${column.sql}` : type,
          insertText: columnNameText(column.name),
          sortText: `0${column.name}`,
        });
      }
      return;
    }
    return super.completionFor(context, next, acceptor);
  }

  protected override completionForKeyword(
    context: CompletionContext,
    keyword: GrammarAST.Keyword,
    acceptor: CompletionAcceptor,
  ): MaybePromise<void> {
    if (!this.filterKeyword(context, keyword)) return;
    const doc = KEYWORD_DOCS[keyword.value];
    acceptor(context, {
      label: keyword.value,
      kind: CompletionItemKindKeyword,
      detail: 'keyword',
      sortText: `1${keyword.value}`,
      ...(doc ? { documentation: { kind: 'markdown', value: doc } } : {}),
    });
  }
}

/** Whether a grammar element is (inside) the `name=` assignment of a column reference. */
function isColumnName(feature: GrammarAST.AbstractElement): boolean {
  return AstUtils.getContainerOfType(feature, GrammarAST.isAssignment)?.feature === 'name';
}
