import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The validator's parser of key-template syntax (pure domain code): the editor must read templates as it does.
// (That two placeholders need a ':' between them is a meaning the validator reports, not a token.)
import { parseKeyTemplateSyntax, placeholders } from '../../../platform-core/src/domain/key-template.js';
import { tokenize } from './textmate.test-support.js';

const piece = fc.oneof(
  fc.stringMatching(/^[a-z0-9:_-]{1,4}$/),
  fc.constantFrom('{{', '}}', '{', '}', '{}', '{ id }', '{outlet_id}', '{Bad}', '{a b}', '{a{b}', '{sale_date}'),
);
const template = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));

describe('key_template highlighting agrees with parseKeyTemplateSyntax', () => {
  it('marks the same placeholders, and marks invalid exactly the templates the parser rejects', async () => {
    const samples = fc.sample(template, { numRuns: 400, seed: 7 });
    samples.push('outlet:{outlet_id}:daily:{sale_date}', '{{{a}}}', '{a}}}', '}}}', '{{a}', '{ {a}');
    for (const t of samples) {
      const lines = await tokenize('source.yaml', `config:\n  key_template: "${t}"`);
      const tokens = lines[1] ?? [];
      const highlighted = tokens
        .filter((tok) => tok.scopes.includes('variable.other.column.akili'))
        .map((tok) => tok.text);
      const invalid = tokens.some((tok) => tok.scopes.includes('invalid.illegal.placeholder.akili'));
      const parsed = parseKeyTemplateSyntax(t);
      expect(invalid, t).toBe(!parsed.ok);
      if (parsed.ok) expect(highlighted, t).toEqual(placeholders(parsed.parts).map((p) => p.column));
    }
  });
});
