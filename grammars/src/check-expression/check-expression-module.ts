import {
  createDefaultCoreModule,
  createDefaultSharedCoreModule,
  EmptyFileSystem,
  inject,
  type LangiumCoreServices,
  type LangiumSharedCoreServices,
  type Module,
  type PartialLangiumCoreServices,
} from 'langium';
import { CheckExpressionGeneratedModule, CheckExpressionGeneratedSharedModule } from '../generated/module.js';
import { CheckExpressionLexerErrorMessages, CheckExpressionParserErrorMessages } from './error-messages.js';
import { CheckExpressionEvaluator } from './evaluator.js';
import { CheckExpressionLexer } from './lexer.js';
import { CheckExpressionParser } from './parser.js';
import { CheckExpressionPrinter } from './printer.js';
import { CheckExpressionValidator } from './validator.js';
import { CheckExpressionValueConverter } from './value-converter.js';

/** The services the expression language adds to Langium's core services. */
export interface CheckExpressionAddedServices {
  readonly expressions: {
    readonly Parser: CheckExpressionParser;
    readonly Validator: CheckExpressionValidator;
    readonly Evaluator: CheckExpressionEvaluator;
    readonly Printer: CheckExpressionPrinter;
  };
}

export type CheckExpressionServices = LangiumCoreServices & CheckExpressionAddedServices;

/** Overrides and additions to Langium's defaults; used by the core and by the LSP services. */
export const CheckExpressionModule: Module<
  CheckExpressionServices,
  PartialLangiumCoreServices & CheckExpressionAddedServices
> = {
  parser: {
    Lexer: (services) => new CheckExpressionLexer(services),
    ValueConverter: () => new CheckExpressionValueConverter(),
    ParserErrorMessageProvider: () => new CheckExpressionParserErrorMessages(),
    LexerErrorMessageProvider: () => new CheckExpressionLexerErrorMessages(),
  },
  expressions: {
    Parser: (services) => new CheckExpressionParser(services),
    Validator: () => new CheckExpressionValidator(),
    Evaluator: () => new CheckExpressionEvaluator(),
    Printer: () => new CheckExpressionPrinter(),
  },
};

/** Langium core services for the expression language, with no LSP: what the validator and the runtime use. */
export function createCheckExpressionServices(): {
  shared: LangiumSharedCoreServices;
  CheckExpression: CheckExpressionServices;
} {
  const shared = inject(createDefaultSharedCoreModule(EmptyFileSystem), CheckExpressionGeneratedSharedModule);
  const CheckExpression = inject(
    createDefaultCoreModule({ shared }),
    CheckExpressionGeneratedModule,
    CheckExpressionModule,
  );
  shared.ServiceRegistry.register(CheckExpression);
  return { shared, CheckExpression };
}
