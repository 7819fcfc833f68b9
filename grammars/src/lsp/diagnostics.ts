import { DefaultDocumentValidator, type LangiumDocument, type TextDocument } from 'langium';
import type { ExpressionProblem } from '../check-expression/problems.js';
import type { CheckExpressionLspServices } from './check-expression-lsp-module.js';
import { DiagnosticSeverityError, type Diagnostic } from './protocol.js';

/** An LSP diagnostic for a problem; the hint follows the message on its own line. */
export function toDiagnostic(problem: ExpressionProblem, document: Pick<TextDocument, 'positionAt'>): Diagnostic {
  return {
    range: { start: document.positionAt(problem.start), end: document.positionAt(problem.end) },
    severity: DiagnosticSeverityError,
    code: problem.code,
    source: 'hekima',
    message: `${problem.message}\n${problem.hint}`,
    data:
      problem.replacement === undefined
        ? { hint: problem.hint }
        : { hint: problem.hint, replacement: problem.replacement },
  };
}

/**
 * Diagnostics of an expression document: exactly the problems the core validator reports for
 * its text and its columns, so the editor, the CLI and the runtime agree.
 */
export class CheckExpressionDocumentValidator extends DefaultDocumentValidator {
  private readonly services: CheckExpressionLspServices;

  constructor(services: CheckExpressionLspServices) {
    super(services);
    this.services = services;
  }

  override async validateDocument(document: LangiumDocument): Promise<Diagnostic[]> {
    const { Parser, Validator } = this.services.expressions;
    const context = this.services.contexts.ExpressionContexts.get(document.uri);
    const problems = Validator.validate(Parser.parse(document.textDocument.getText()), context);
    return problems.map((p) => toDiagnostic(p, document.textDocument));
  }
}
