import { describe, expect, it } from 'vitest';
import { invalidArgument, permanent, schemaIncompatible } from '../errors.js';
import { sourceExcerpt, stepOfError, yamlEntryLine } from './diagnosis.js';

describe('diagnosis helpers', () => {
  it('an excerpt is the line and one either side, numbered, with a caret under the column', () => {
    const text = 'SELECT a,\n  CAST(b AS INT) AS b\nFROM t\nWHERE c';
    expect(sourceExcerpt(text, 2, 3)).toBe('  1 | SELECT a,\n> 2 |   CAST(b AS INT) AS b\n    |   ^\n  3 | FROM t');
    expect(sourceExcerpt(text, 1)).toBe('> 1 | SELECT a,\n  2 |   CAST(b AS INT) AS b');
    expect(sourceExcerpt(text, 9)).toBeUndefined();
  });

  it('a YAML list entry is found by key and value, quoted or not, and not by a prefix', () => {
    const text = 'checks:\n  - name: rows_min\n    type: x\n  - name: "rows"\n';
    expect(yamlEntryLine(text, 'name', 'rows')).toBe(4);
    expect(yamlEntryLine(text, 'name', 'rows_min')).toBe(2);
    expect(yamlEntryLine(text, 'name', 'row')).toBeUndefined();
  });

  it('the step follows the error code', () => {
    const json = (e: ReturnType<typeof permanent>) => e.toJSON();
    expect(stepOfError(json(schemaIncompatible('conversion_failed', 'x')))).toBe('transform');
    expect(stepOfError(json(permanent('primary_key_duplicate', 'x')))).toBe('shape');
    expect(stepOfError(json(invalidArgument('source_malformed', 'x')))).toBe('ingest');
  });
});
