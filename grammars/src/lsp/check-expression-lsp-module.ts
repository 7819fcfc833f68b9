import { EmptyFileSystem, inject, type Module } from 'langium';
import {
  createDefaultModule,
  createDefaultSharedModule,
  type DefaultSharedModuleContext,
  type LangiumServices,
  type LangiumSharedServices,
  type PartialLangiumServices,
} from 'langium/lsp';
import {
  CheckExpressionModule,
  type CheckExpressionAddedServices,
} from '../check-expression/check-expression-module.js';
import { CheckExpressionGeneratedModule, CheckExpressionGeneratedSharedModule } from '../generated/module.js';
import { CheckExpressionCompletionProvider } from './completion-provider.js';
import { CheckExpressionDocumentValidator } from './diagnostics.js';
import { ExpressionContexts } from './expression-contexts.js';
import { CheckExpressionHoverProvider } from './hover-provider.js';

export interface CheckExpressionLspAddedServices {
  readonly contexts: {
    readonly ExpressionContexts: ExpressionContexts;
  };
}

export type CheckExpressionLspServices = LangiumServices &
  CheckExpressionAddedServices &
  CheckExpressionLspAddedServices;

/** The LSP glue: completion of result columns, hovers, and diagnostics from the core validator. */
export const CheckExpressionLspModule: Module<
  CheckExpressionLspServices,
  PartialLangiumServices & CheckExpressionLspAddedServices
> = {
  contexts: {
    ExpressionContexts: () => new ExpressionContexts(),
  },
  lsp: {
    CompletionProvider: (services) => new CheckExpressionCompletionProvider(services),
    HoverProvider: (services) => new CheckExpressionHoverProvider(services),
  },
  validation: {
    DocumentValidator: (services) => new CheckExpressionDocumentValidator(services),
  },
};

/**
 * Langium services with LSP for the expression language. Pass a connection to run it as a
 * language server (`startLanguageServer(shared)`); without one, use it in-process, e.g. through
 * `CheckExpressionLanguageService`.
 */
export function createCheckExpressionLspServices(context: Partial<DefaultSharedModuleContext> = {}): {
  shared: LangiumSharedServices;
  CheckExpression: CheckExpressionLspServices;
} {
  const shared = inject(
    createDefaultSharedModule({ ...EmptyFileSystem, ...context }),
    CheckExpressionGeneratedSharedModule,
  );
  const CheckExpression = inject(
    createDefaultModule({ shared }),
    CheckExpressionGeneratedModule,
    CheckExpressionModule,
    CheckExpressionLspModule,
  );
  shared.ServiceRegistry.register(CheckExpression);
  return { shared, CheckExpression };
}
