import type { ExpressionValueType } from '../../ports/check-expressions.js';

/** Functions whose result is a number whatever their arguments. */
const NUMERIC_FUNCTIONS = words(
  'count count_if sum avg mean stddev stddev_pop stddev_samp variance var_pop var_samp median quantile quantile_cont ' +
    'quantile_disc approx_count_distinct corr covar_pop covar_samp abs round ceil ceiling floor trunc sqrt cbrt power pow ' +
    'exp ln log log10 log2 sign mod length char_length octet_length strlen date_diff datediff epoch row_number rank ' +
    'dense_rank ntile',
);
/** Functions whose result has the type of their first argument. */
const FIRST_ARGUMENT_FUNCTIONS = words('coalesce nullif ifnull greatest least min max any_value first last');
const STRING_FUNCTIONS = words(
  'lower upper trim ltrim rtrim concat concat_ws substr substring replace string_agg format printf left right lpad rpad',
);
const BOOLEAN_FUNCTIONS = words(
  'bool_and bool_or every starts_with ends_with contains regexp_matches isnan isinf isfinite',
);
const PREDICATE_WORDS = words('and or not is in like ilike between exists similar glob');

interface Token {
  readonly kind: 'word' | 'number' | 'string' | 'quoted' | 'op' | 'open' | 'close' | 'comma';
  readonly text: string;
}

/**
 * What a result column of a SQL query holds, told from its expression text when it is certain
 * (aggregates, arithmetic over numbers, comparisons, literals, casts); `unknown` otherwise, which
 * never causes a type error downstream.
 */
export function sqlResultType(expression: string): ExpressionValueType {
  const tokens = tokenize(expression);
  return tokens ? typeOf(tokens) : 'unknown';
}

function typeOf(tokens: readonly Token[]): ExpressionValueType {
  const top = splitTop(tokens);
  if (!top) return 'unknown';
  if (top.words.has('case')) return 'unknown';
  if (top.comparison || [...top.words].some((w) => PREDICATE_WORDS.has(w))) return 'boolean';
  if (top.cast) return castType(top.cast);
  if (top.concat) return 'string';
  const operands = top.operands.map(operandType);
  if (operands.length > 1) return operands.every((t) => t === 'number') ? 'number' : 'unknown';
  return operands[0] ?? 'unknown';
}

/** The type of one operand: a literal, a call, or a parenthesized expression. */
function operandType(tokens: readonly Token[]): ExpressionValueType {
  const [first, second] = tokens;
  if (!first) return 'unknown';
  if (tokens.length === 1) {
    if (first.kind === 'number') return 'number';
    if (first.kind === 'string') return 'string';
    if (first.kind === 'word' && (first.text === 'true' || first.text === 'false')) return 'boolean';
    return 'unknown';
  }
  if (first.kind === 'op' && (first.text === '-' || first.text === '+') && tokens.length >= 2) {
    return operandType(tokens.slice(1)) === 'number' ? 'number' : 'unknown';
  }
  if (first.kind === 'open' && tokens.at(-1)?.kind === 'close') return typeOf(tokens.slice(1, -1));
  if (first.kind === 'word' && second?.kind === 'open' && tokens.at(-1)?.kind === 'close') {
    const name = first.text;
    if (name === 'cast' || name === 'try_cast') {
      const as = tokens.findLastIndex((t) => t.kind === 'word' && t.text === 'as');
      return as > 0
        ? castType(
            tokens
              .slice(as + 1, -1)
              .map((t) => t.text)
              .join(' '),
          )
        : 'unknown';
    }
    if (NUMERIC_FUNCTIONS.has(name)) return 'number';
    if (STRING_FUNCTIONS.has(name)) return 'string';
    if (BOOLEAN_FUNCTIONS.has(name)) return 'boolean';
    if (FIRST_ARGUMENT_FUNCTIONS.has(name)) {
      const args = splitArguments(tokens.slice(2, -1));
      return args[0] ? typeOf(args[0]) : 'unknown';
    }
  }
  return 'unknown';
}

function castType(type: string): ExpressionValueType {
  const t = type.trim().toLowerCase();
  if (
    /^(tinyint|smallint|int|integer|int2|int4|int8|bigint|hugeint|ubigint|uinteger|decimal|numeric|real|float|float4|float8|double|double precision)\b/.test(
      t,
    )
  )
    return 'number';
  if (/^(varchar|text|string|char|character|bpchar)\b/.test(t)) return 'string';
  if (/^(bool|boolean)\b/.test(t)) return 'boolean';
  return 'unknown';
}

interface TopLevel {
  readonly operands: Token[][];
  readonly words: Set<string>;
  readonly comparison: boolean;
  readonly concat: boolean;
  readonly cast: string | undefined;
}

/** Splits at top-level + - * / %; notes comparisons, predicate words, || and a trailing ::type. */
function splitTop(tokens: readonly Token[]): TopLevel | undefined {
  const operands: Token[][] = [[]];
  const words = new Set<string>();
  let depth = 0;
  let comparison = false;
  let concat = false;
  let cast: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'open') depth++;
    if (t.kind === 'close') depth--;
    if (depth < 0) return undefined;
    if (depth === 0 && t.kind === 'word') words.add(t.text);
    if (depth === 0 && t.kind === 'op') {
      if (t.text === '::') {
        cast = tokens
          .slice(i + 1)
          .map((x) => x.text)
          .join(' ');
        break;
      }
      if (t.text === '||') concat = true;
      else if (/^(=|==|<>|!=|<|<=|>|>=)$/.test(t.text)) comparison = true;
      else if (/^[-+*/%]$/.test(t.text) && (operands.at(-1)?.length ?? 0) > 0) {
        operands.push([]);
        continue;
      }
    }
    operands.at(-1)?.push(t);
  }
  return { operands: operands.filter((o) => o.length > 0), words, comparison, concat, cast };
}

function splitArguments(tokens: readonly Token[]): Token[][] {
  const args: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'open') depth++;
    if (t.kind === 'close') depth--;
    if (depth === 0 && t.kind === 'comma') args.push([]);
    else args.at(-1)?.push(t);
  }
  return args;
}

const TOKEN =
  /\s+|(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|("(?:[^"]|"")*")|([0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)|([a-zA-Z_][a-zA-Z0-9_$]*)|(::|\|\||<>|!=|<=|>=|==|[-+*/%<>=])|(\()|(\))|(,)|(\.|\*|\[|\]|;)/y;

/** SQL tokens with words lower-cased; undefined when the text has something unexpected. */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    if (m[2]) tokens.push({ kind: 'string', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'quoted', text: m[3] });
    else if (m[4]) tokens.push({ kind: 'number', text: m[4] });
    else if (m[5]) tokens.push({ kind: 'word', text: m[5].toLowerCase() });
    else if (m[6]) tokens.push({ kind: 'op', text: m[6] });
    else if (m[7]) tokens.push({ kind: 'open', text: '(' });
    else if (m[8]) tokens.push({ kind: 'close', text: ')' });
    else if (m[9]) tokens.push({ kind: 'comma', text: ',' });
    else if (m[10]) tokens.push({ kind: 'word', text: m[10] });
  }
  return tokens;
}

function words(list: string): ReadonlySet<string> {
  return new Set(list.split(' '));
}
