import { describe, expect, it } from 'vitest';
import { invalidArgument, type ErrorJSON } from '../errors.js';
import { MASKED } from '../quality/masking.js';
import { maskQuotedValues } from './quoted-values.js';

const toErrorJSON = (e: { toJSON(): ErrorJSON }): ErrorJSON => e.toJSON();

const conversion = toErrorJSON(
  invalidArgument('conversion_failed', "Conversion Error: Could not convert string 'amani@example.com' to INT32", {
    details: { value: 'amani@example.com', line: 6 },
    cause: new Error("Conversion Error: Could not convert string 'amani@example.com' to INT32"),
  }),
);

describe('maskQuotedValues', () => {
  it('masks the quoted value in the message and the details for a reader below the product level', () => {
    const { error, masked } = maskQuotedValues(conversion, false);
    expect(error.message).toBe(`Conversion Error: Could not convert string '${MASKED}' to INT32`);
    expect(error.details).toEqual({ value: MASKED, line: 6 });
    expect(error.cause?.message).toBe(`Conversion Error: Could not convert string '${MASKED}' to INT32`);
    expect(JSON.stringify(error)).not.toContain('amani');
    expect(masked).toEqual(['error.value']);
    expect(maskQuotedValues(conversion, false).text("x.sql:2:3: Could not convert string 'amani@example.com'")).toBe(
      `x.sql:2:3: Could not convert string '${MASKED}'`,
    );
  });

  it('masks a malformed line quoted as JSON', () => {
    const line = '11,"Baraka, Otieno",TZ,extra';
    const e = toErrorJSON(
      invalidArgument('source_malformed', `line 3 is malformed: ${JSON.stringify(line)}. Fix that line`, {
        details: { original: line },
      }),
    );
    const { error } = maskQuotedValues(e, false);
    expect(JSON.stringify(error)).not.toContain('Baraka');
    expect(error.message).toBe(`line 3 is malformed: ${MASKED}. Fix that line`);
  });

  it('a short value is masked where it is quoted, and digits elsewhere survive', () => {
    const e = invalidArgument('conversion_failed', "Could not convert string '7' to DATE at line 17", {
      details: { value: 7, line: 17 },
    }).toJSON();
    const { error } = maskQuotedValues(e, false);
    expect(error.message).toBe(`Could not convert string '${MASKED}' to DATE at line 17`);
    expect(error.details).toEqual({ value: MASKED, line: 17 });
  });

  it('keeps everything for a cleared reader, and errors that quote nothing', () => {
    expect(maskQuotedValues(conversion, true).error).toBe(conversion);
    const plain = toErrorJSON(invalidArgument('sql_failed', 'Binder Error: column x not found'));
    expect(maskQuotedValues(plain, false)).toMatchObject({ error: plain, masked: [] });
  });
});
