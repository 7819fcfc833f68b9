import { describe, expect, it } from 'vitest';
import { csvErrorOf, malformedSource, restated, workspaceRelative } from './malformed-source.js';

const DUCKDB =
  'Invalid Input Error: CSV Error on Line: 30002\nOriginal Line: 99,x,KE,extra\nExpected Number of Columns: 3 Found: 4\nPossible fixes:\n* Enable null padding\n\n  file = /ws/data/c.csv\n  delimiter = , (Auto-Detected)\n';

describe('malformed sources', () => {
  it("reads DuckDB's CSV error: line, what, the original line and the file", () => {
    expect(csvErrorOf(DUCKDB)).toEqual({
      line: 30002,
      what: 'expected 3 fields (as its header), found 4',
      original: '99,x,KE,extra',
      path: '/ws/data/c.csv',
    });
    expect(csvErrorOf('Binder Error: Referenced column "x" not found')).toBeUndefined();
  });

  it('names the manifest entry, the file and the line, and can be restated with more context', () => {
    const error = malformedSource({ input: 'raw', file: '/ws/data/c.csv', line: 3, what: 'expected 3 fields' });
    expect(error).toMatchObject({ kind: 'InvalidArgument', code: 'source_malformed' });
    const again = restated(error, (m) => ({
      manifest: 'customers/inputs.yaml',
      file: workspaceRelative('/ws/', m.file),
    }));
    expect((again as Error).message).toMatch(
      /^customers\/inputs\.yaml: input "raw" reads data\/c\.csv, whose line 3 is malformed: expected 3 fields\./,
    );
    const other = new Error('x');
    expect(restated(other, () => ({}))).toBe(other);
  });
});
