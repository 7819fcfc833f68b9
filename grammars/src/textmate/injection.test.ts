import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lineWith, scopesOf, tokenize, type Token } from './textmate.test-support.js';

const quality = readFileSync(new URL('./fixtures/quality.yaml', import.meta.url), 'utf8');
const serving = readFileSync(new URL('./fixtures/serving.yaml', import.meta.url), 'utf8');

describe('injection into quality.yaml: sql blocks as SQL', () => {
  let lines: Token[][];
  beforeAll(async () => {
    lines = await tokenize('source.yaml', quality);
  });
  const line = (marker: string) => lineWith(lines, quality, marker);

  it('scopes the keywords, functions, identifiers and operators of the SQL', () => {
    const select = line('SELECT COUNT(*) - COUNT');
    expect(scopesOf(select, 'SELECT')).toEqual(['source.yaml', 'meta.embedded.block.sql', 'keyword.other.DML.sql']);
    expect(scopesOf(select, 'COUNT')).toContain('support.function.aggregate.sql');
    expect(scopesOf(select, '*')).toContain('keyword.operator.star.sql');
    expect(scopesOf(select, '-')).toContain('keyword.operator.arithmetic.sql');
    expect(scopesOf(select, 'DISTINCT')).toContain('keyword.other.DML.sql');
    expect(scopesOf(select, 'customer_id')).toEqual(['source.yaml', 'meta.embedded.block.sql', 'variable.other.sql']);
    expect(scopesOf(select, 'AS')).toContain('keyword.other.DML.sql');
    expect(scopesOf(select, 'failures')).toContain('variable.other.sql');
    expect(scopesOf(select, ',')).toContain('punctuation.separator.comma.sql');

    const ratio = line('NULLIF');
    expect(scopesOf(ratio, 'NULLIF')).toContain('support.function.sql');
    expect(scopesOf(ratio, '/')).toContain('keyword.operator.arithmetic.sql');
    expect(scopesOf(ratio, '0')).toContain('constant.numeric.sql');
    expect(scopesOf(ratio, 'share of bad rows')).toContain('comment.line.double-dash.sql');

    const where = line('WHERE');
    expect(scopesOf(where, 'o')).toContain('variable.other.sql');
    expect(scopesOf(where, '.')).toContain('punctuation.separator.period.sql');
    expect(scopesOf(where, '<>')).toContain('keyword.operator.comparison.sql');
    expect(scopesOf(where, '>=')).toContain('keyword.operator.comparison.sql');
    expect(scopesOf(where, "''")).toContain('constant.character.escape.sql');
    expect(scopesOf(where, 'it')).toContain('string.quoted.single.sql');
    expect(scopesOf(where, '10.5')).toContain('constant.numeric.sql');
    expect(scopesOf(where, 'AND')).toContain('keyword.operator.logical.sql');
    expect(scopesOf(where, '::')).toContain('keyword.operator.cast.sql');
    expect(scopesOf(where, 'date')).toContain('storage.type.sql');
    expect(scopesOf(where, 'NULL')).toContain('constant.language.null.sql');
  });

  it('scopes the {output} placeholder, and keeps the block open across a blank line', () => {
    const from = line('FROM {output}');
    expect(scopesOf(from, 'FROM')).toContain('meta.embedded.block.sql');
    expect(scopesOf(from, 'output')).toEqual([
      'source.yaml',
      'meta.embedded.block.sql',
      'meta.placeholder.akili',
      'variable.language.placeholder.akili',
    ]);
    expect(scopesOf(from, '{')).toContain('punctuation.definition.placeholder.begin.akili');
  });

  it('ends the block at the next key of the check', () => {
    const after = line('expect: "failures');
    expect(scopesOf(after, 'expect')).toEqual(['source.yaml', 'entity.name.tag.yaml']);
    expect(after.some((t) => t.scopes.includes('meta.embedded.block.sql'))).toBe(false);
    expect(scopesOf(line('severity: error'), 'severity')).toEqual(['source.yaml', 'entity.name.tag.yaml']);
  });

  it('reads the key and the block indicator as YAML', () => {
    const header = lines[quality.split('\n').findIndex((l) => l.trim() === 'sql: |')];
    expect(scopesOf(header, 'sql')).toEqual(['source.yaml', 'entity.name.tag.yaml']);
    expect(scopesOf(header, '|')).toContain('keyword.control.flow.block-scalar.akili');
  });

  it('highlights plain, double- and single-quoted one-line sql', () => {
    const plain = line('sql: SELECT count(*) AS n');
    expect(scopesOf(plain, 'SELECT')).toEqual(['source.yaml', 'meta.embedded.line.sql', 'keyword.other.DML.sql']);
    expect(scopesOf(plain, 'count')).toContain('support.function.aggregate.sql');
    const quoted = line('sql: "SELECT 1 AS one"');
    expect(scopesOf(quoted, 'SELECT')).toContain('meta.embedded.line.sql');
    expect(scopesOf(quoted, 'one')).toContain('variable.other.sql');
    const folded = line("SELECT 'ok' AS status");
    expect(scopesOf(folded, 'status')).toContain('meta.embedded.block.sql');
  });

  it('handles a block whose key opens a sequence item', () => {
    expect(scopesOf(line('SELECT 1 AS n'), 'SELECT')).toContain('meta.embedded.block.sql');
    const header = line('- sql: |');
    expect(scopesOf(header, '-')).toContain('punctuation.definition.block.sequence.item.yaml');
    expect(scopesOf(header, 'sql')).toContain('entity.name.tag.yaml');
    expect(scopesOf(line('name: sql_first'), 'name')).toEqual(['source.yaml', 'entity.name.tag.yaml']);
    expect(scopesOf(line('expect: n = 1'), 'n')).toContain('variable.other.column.akili-expect');
  });

  it('leaves other block scalars alone, even when their text looks like a key', () => {
    const prose = line('sql: | this is prose');
    expect(prose.every((t) => t.scopes.includes('string.unquoted.block.yaml'))).toBe(true);
    expect(prose.some((t) => t.scopes.some((s) => s.includes('sql')))).toBe(false);
    expect(line('SELECT here is not code').some((t) => t.scopes.includes('keyword.other.DML.sql'))).toBe(false);
  });
});

describe('injection into quality.yaml: expect values as the expression language', () => {
  let lines: Token[][];
  beforeAll(async () => {
    lines = await tokenize('source.yaml', quality);
  });
  const line = (marker: string) => lineWith(lines, quality, marker);

  it('scopes a double-quoted expect', () => {
    const l = line('expect: "failures');
    const inside = ['source.yaml', 'meta.embedded.expression.akili-expect'];
    expect(scopesOf(l, 'failures')).toEqual([...inside, 'variable.other.column.akili-expect']);
    expect(scopesOf(l, '=')).toEqual([...inside, 'keyword.operator.comparison.akili-expect']);
    expect(scopesOf(l, 'and')).toEqual([...inside, 'keyword.operator.logical.akili-expect']);
    expect(scopesOf(l, 'between')).toEqual([...inside, 'keyword.operator.word.akili-expect']);
    expect(scopesOf(l, '0.01')).toEqual([...inside, 'constant.numeric.akili-expect']);
    expect(scopesOf(l, '"')).toContain('punctuation.definition.string.begin.yaml');
  });

  it('scopes a plain expect up to its comment, keywords in any case', () => {
    const l = line('expect: n is not null');
    expect(scopesOf(l, 'n')).toContain('variable.other.column.akili-expect');
    expect(scopesOf(l, 'is')).toContain('keyword.operator.word.akili-expect');
    expect(scopesOf(l, 'not')).toContain('keyword.operator.logical.akili-expect');
    expect(scopesOf(l, 'null')).toContain('constant.language.null.akili-expect');
    expect(scopesOf(l, 'OR')).toContain('keyword.operator.logical.akili-expect');
    expect(scopesOf(l, 'in')).toContain('keyword.operator.word.akili-expect');
    expect(scopesOf(l, '(')).toContain('punctuation.section.parens.begin.akili-expect');
    expect(scopesOf(l, ',')).toContain('punctuation.separator.comma.akili-expect');
    expect(scopesOf(l, '# a comment')).toEqual(['source.yaml', 'comment.line.number-sign.yaml']);
  });

  it('reads a string inside a single-quoted expect with its doubled quotes', () => {
    const l = line("expect: 'status");
    expect(scopesOf(l, 'status')).toContain('variable.other.column.akili-expect');
    expect(scopesOf(l, 'ok')).toContain('string.quoted.single.akili-expect');
    expect(scopesOf(l, "''", 0)).toContain('punctuation.definition.string.begin.akili-expect');
  });

  it('scopes a block expect and its continuation lines', () => {
    expect(scopesOf(line('one >= 1'), '>=')).toEqual([
      'source.yaml',
      'meta.embedded.block.akili-expect',
      'keyword.operator.comparison.akili-expect',
    ]);
    const next = line('AND NOT one');
    expect(scopesOf(next, 'NOT')).toContain('keyword.operator.logical.akili-expect');
    expect(scopesOf(next, '-')).toContain('keyword.operator.arithmetic.akili-expect');
    expect(scopesOf(next, '1.5e3')).toContain('constant.numeric.akili-expect');
    expect(scopesOf(line('description: |'), 'description')).toEqual(['source.yaml', 'entity.name.tag.yaml']);
  });
});

describe('injection into serving.yaml: key_template placeholders', () => {
  let lines: Token[][];
  beforeAll(async () => {
    lines = await tokenize('source.yaml', serving);
  });
  const line = (marker: string) => lineWith(lines, serving, marker);

  it('scopes placeholders of a double-quoted template', () => {
    const l = line('outlet:{outlet_id}');
    expect(scopesOf(l, 'key_template')).toContain('entity.name.tag.yaml');
    expect(scopesOf(l, 'outlet_id')).toEqual([
      'source.yaml',
      'string.quoted.double.yaml',
      'meta.template.key.akili',
      'meta.placeholder.akili',
      'variable.other.column.akili',
    ]);
    expect(scopesOf(l, 'sale_date')).toContain('variable.other.column.akili');
    expect(scopesOf(l, ':daily:')).toEqual(['source.yaml', 'string.quoted.double.yaml', 'meta.template.key.akili']);
  });

  it('scopes escapes and spaced placeholders in a flow mapping, then hands back to YAML', () => {
    const l = line('{{literal}}');
    expect(scopesOf(l, '{{')).toContain('constant.character.escape.brace.akili');
    expect(scopesOf(l, 'literal')).not.toContain('variable.other.column.akili');
    expect(scopesOf(l, 'id')).toContain('variable.other.column.akili');
    expect(scopesOf(l, 'ttl')).toContain('entity.name.tag.yaml');
  });

  it('marks placeholders that are not column names, and a stray }', () => {
    const l = line('customer:{customer_id}');
    expect(scopesOf(l, 'customer_id')).toContain('variable.other.column.akili');
    expect(scopesOf(l, '{Bad}')).toContain('invalid.illegal.placeholder.akili');
    expect(scopesOf(l, '}', 1)).toContain('invalid.illegal.placeholder.akili');
  });
});
