import { URI } from 'langium';
import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from '../check-expression/context.js';
import { createCheckExpressionLspServices } from './check-expression-lsp-module.js';
import { CheckExpressionLanguageService } from './language-service.js';

const context: ExpressionContext = {
  columns: [
    { name: 'failures', type: 'number', sql: 'COUNT(*) - COUNT(DISTINCT customer_id)' },
    { name: 'ratio', type: 'number' },
    { name: 'Odd Name' },
  ],
};
const service = new CheckExpressionLanguageService();

describe('diagnostics', () => {
  it('are the core problems, with LSP ranges over lines of the expression', () => {
    const diagnostics = service.diagnostics('failures = 0\n  and ratoi < 1', context);
    expect(diagnostics).toEqual([
      {
        range: { start: { line: 1, character: 6 }, end: { line: 1, character: 11 } },
        severity: 1,
        code: 'unknown-column',
        source: 'hekima',
        message: "unknown column 'ratoi': did you mean 'ratio'?\nthe check's SQL returns failures, ratio, Odd Name",
        data: { hint: "the check's SQL returns failures, ratio, Odd Name", replacement: 'ratio' },
      },
    ]);
    expect(service.diagnostics('failures =', context)[0]?.range).toEqual({
      start: { line: 0, character: 9 },
      end: { line: 0, character: 10 },
    });
  });

  it('are what a Langium language server publishes for a document with that context', async () => {
    const { shared, CheckExpression } = createCheckExpressionLspServices();
    const uri = URI.parse('inmemory:///quality.yaml/checks/0/expect.akili-expect');
    CheckExpression.contexts.ExpressionContexts.set(uri, context);
    const document = shared.workspace.LangiumDocumentFactory.fromString('failurs = 0', uri);
    shared.workspace.LangiumDocuments.addDocument(document);
    await shared.workspace.DocumentBuilder.build([document], { validation: true });
    expect(document.diagnostics?.map((d) => [d.code, d.range.start.character, d.range.end.character])).toEqual([
      ['unknown-column', 0, 7],
    ]);
  });
});

describe('completion', () => {
  const labels = async (text: string, offset = text.length) =>
    (await service.completion(text, offset, context)).map((i) => i.label);

  it('offers the result columns where a value may start, before the keywords', async () => {
    const items = await service.completion('', 0, context);
    const failures = items.find((i) => i.label === 'failures');
    expect(failures).toMatchObject({
      kind: 5,
      detail: 'number · COUNT(*) - COUNT(DISTINCT customer_id)',
      sortText: '0failures',
    });
    expect(items.find((i) => i.label === 'Odd Name')?.textEdit?.newText).toBe('"Odd Name"');
    expect(await labels('failures = ')).toEqual(
      expect.arrayContaining(['failures', 'ratio', 'Odd Name', 'true', 'false', 'null']),
    );
    expect(await labels('failures = ')).not.toContain('and');
  });

  it('offers what may follow a value: predicates and connectives', async () => {
    const after = await labels('failures ');
    expect(after).toEqual(expect.arrayContaining(['is', 'not', 'between', 'in', 'and', 'or']));
    expect(after).not.toContain('ratio');
    expect(await labels('failures between 1 ')).toEqual(['and']);
  });

  it('completes a partly typed column name over its prefix', async () => {
    const items = await service.completion('failures = 0 and rat', 20, context);
    const ratio = items.find((i) => i.label === 'ratio');
    expect(ratio?.textEdit).toEqual({
      newText: 'ratio',
      range: { start: { line: 0, character: 17 }, end: { line: 0, character: 20 } },
    });
  });
});

describe('hover', () => {
  it('shows a column with its type and its SQL', async () => {
    const hover = await service.hover('failures = 0', 3, context);
    expect(hover).toEqual({
      contents: {
        kind: 'markdown',
        value:
          "**failures** (number): result column of the check's SQL\n\n```sql\nCOUNT(*) - COUNT(DISTINCT customer_id)\n```",
      },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } },
    });
  });

  it('says when a name is not a result column', async () => {
    const hover = await service.hover('x = 0', 0, context);
    expect(hover?.contents).toEqual({
      kind: 'markdown',
      value: "**x**: not a result column of the check's SQL (it returns failures, ratio, Odd Name)",
    });
  });

  it('explains keywords and operators', async () => {
    expect((await service.hover('a BETWEEN 1 AND 2', 4, context))?.contents).toMatchObject({
      value: expect.stringContaining('x >= a and x <= b'),
    });
    expect((await service.hover('a / b > 1', 2, context))?.contents).toMatchObject({
      value: expect.stringContaining('division by zero gives null'),
    });
    expect((await service.hover('a AND b', 3, context))?.range).toEqual({
      start: { line: 0, character: 2 },
      end: { line: 0, character: 5 },
    });
    expect(await service.hover('a = 1', 4, context)).toBeUndefined();
  });
});
