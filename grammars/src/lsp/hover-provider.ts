import { CstUtils, type LangiumDocument } from 'langium';
import type { HoverProvider } from 'langium/lsp';
import { isColumnReference } from '../generated/ast.js';
import { findByName } from '../check-expression/context.js';
import type { CheckExpressionLspServices } from './check-expression-lsp-module.js';
import type { ExpressionContexts } from './expression-contexts.js';
import { KEYWORD_DOCS } from './keyword-docs.js';
import type { Hover } from './protocol.js';

type HoverParams = Parameters<HoverProvider['getHoverContent']>[1];

/** Hovers: a column shows its type and the SQL that computes it; a keyword or operator, what it means. */
export class CheckExpressionHoverProvider implements HoverProvider {
  private readonly contexts: ExpressionContexts;

  constructor(services: CheckExpressionLspServices) {
    this.contexts = services.contexts.ExpressionContexts;
  }

  getHoverContent(document: LangiumDocument, params: HoverParams): Hover | undefined {
    const root = document.parseResult.value.$cstNode;
    if (!root) return undefined;
    const offset = document.textDocument.offsetAt(params.position);
    const leaf = CstUtils.findLeafNodeAtOffset(root, offset);
    if (!leaf || leaf.hidden) return undefined;
    const range = leaf.range;
    const node = leaf.astNode;
    const token = leaf.tokenType.name;
    if (isColumnReference(node) && (token === 'ID' || token === 'QUOTED_ID')) {
      return { contents: { kind: 'markdown', value: this.columnText(document, node.name) }, range };
    }
    // Keyword token types are named after the keyword (operators of infix rules included).
    const doc = Object.hasOwn(KEYWORD_DOCS, token) ? KEYWORD_DOCS[token] : undefined;
    return doc ? { contents: { kind: 'markdown', value: doc }, range } : undefined;
  }

  private columnText(document: LangiumDocument, name: string): string {
    const columns = this.contexts.get(document.uri).columns;
    if (!columns) return `**${name}**: a result column of the check's SQL`;
    const column = findByName(columns, name, (c) => c.name);
    if (!column)
      return `**${name}**: not a result column of the check's SQL (it returns ${columns.map((c) => c.name).join(', ') || 'no named columns'})`;
    const type = column.type && column.type !== 'unknown' ? ` (${column.type})` : '';
    const sql = column.sql ? `\n\n\`\`\`sql\n${column.sql}\n\`\`\`` : '';
    return `**${column.name}**${type}: result column of the check's SQL${sql}`;
  }
}
