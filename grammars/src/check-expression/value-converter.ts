import { DefaultValueConverter, type CstNode, type GrammarAST, type ValueType } from 'langium';

/** Undoes SQL quoting: `'it''s'` → `it's`, `"Odd ""name"""` → `Odd "name"`. */
export function unquoteSql(text: string): string {
  const quote = text.charAt(0);
  return text
    .slice(1, -1)
    .split(quote + quote)
    .join(quote);
}

/**
 * Converts tokens the SQL way: string literals and quoted names double their quote to escape it
 * (no backslash escapes), numbers are decimal with an optional exponent.
 */
export class CheckExpressionValueConverter extends DefaultValueConverter {
  protected override runConverter(rule: GrammarAST.AbstractRule, input: string, cstNode: CstNode): ValueType {
    switch (rule.name) {
      case 'STRING':
      case 'QUOTED_ID':
        return unquoteSql(input);
      case 'ID':
        return input;
      case 'NUMBER':
        return Number(input);
      default:
        return super.runConverter(rule, input, cstNode);
    }
  }
}
