import { describe, expect, it } from 'vitest';
import { servingWriter } from '../../../domain/plan/serving-writers.js';
import { boundedIdentifier, servingSchemaName, tableShape } from './serving-names.js';

const column = (name: string, kind: 'string' | 'date', pk = false) => ({
  name,
  type: kind,
  engine_type: 'VARCHAR',
  primary_key: pk,
  nullable: !pk,
  parsed: { kind },
});

describe('serving table names and shapes', () => {
  it('keeps names within 63 bytes with a hashed suffix, and quotes them', () => {
    expect(boundedIdentifier('lookup_x_v1')).toBe('"lookup_x_v1"');
    const long = boundedIdentifier(`previous_${'a'.repeat(60)}`);
    expect(long.length).toBe(65);
    expect(long).toMatch(/^"previous_a+_[0-9a-f]{8}"$/);
    expect(boundedIdentifier(`previous_${'a'.repeat(60)}`)).toBe(long);
    expect(() => boundedIdentifier('Robert"; DROP TABLE x')).toThrow(
      expect.objectContaining({ code: 'invalid_identifier' }),
    );
    expect(servingSchemaName('hekima')).toBe('hekima_serving');
  });

  it('validates a writer from the plan: types, key, tracked columns default to the non-key ones', () => {
    const writer = servingWriter(
      'lookup',
      { history_mode: 'type_2' },
      {
        tenant: null,
        product: 'outlets',
        major: '1',
        columns: [column('outlet_id', 'string', true), column('opened', 'date')],
      },
    );
    expect(tableShape('s', writer)).toMatchObject({
      table: 'lookup_outlets_v1',
      key: ['outlet_id'],
      tracked: ['opened'],
      history: 'type_2',
    });
    expect(() => tableShape('s', { ...writer, columns: [{ name: 'x', type: 'text; DROP' }] })).toThrow(
      expect.objectContaining({ code: 'invalid_serving_writer' }),
    );
  });
});
