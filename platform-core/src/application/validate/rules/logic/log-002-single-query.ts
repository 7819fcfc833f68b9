import type { SqlStatement } from '../../../../ports/sql-analyzer.js';
import { defineRule } from '../../rule.js';
import { logicTarget, ownStatements, sqlLogicOf } from './logic-support.js';

/** Readable names of statement types whose first word does not say what they are. */
const STATEMENT_NAMES: Readonly<Record<string, string>> = {
  InsertStmt: 'INSERT',
  DeleteStmt: 'DELETE',
  UpdateStmt: 'UPDATE',
  MergeStmt: 'MERGE',
  CreateStmt: 'CREATE TABLE',
  CreateTableAsStmt: 'CREATE TABLE … AS',
  ViewStmt: 'CREATE VIEW',
  DropStmt: 'DROP',
  TruncateStmt: 'TRUNCATE',
};

function describe(statement: SqlStatement, text: string): string {
  const named = STATEMENT_NAMES[statement.type];
  if (named !== undefined) return named;
  const word = /^[A-Za-z_]+/.exec(text.slice(statement.start, statement.end))?.[0];
  return word === undefined ? statement.type.replace(/Stmt$/, '') : word.toUpperCase();
}

function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? 'an' : 'a';
}

const HINT =
  'The logic is one SELECT (optionally with WITH … CTEs) whose result becomes the output; the platform writes the result, so INSERT, CREATE TABLE and similar are not needed. Fold intermediate steps into CTEs: WITH step AS (SELECT …) SELECT … FROM step.';

export const log002SingleQuery = defineRule({
  code: 'LOG-002',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'The SQL logic is exactly one query',
  explain: {
    why: 'The runtime runs the SQL file as one query and writes its result as the output, with the platform’s own storage, versioning and quality gates. Extra statements have nowhere to go: a second SELECT is ambiguous, and data-changing statements (INSERT, DELETE, CREATE TABLE …) would bypass the contract or fail in the read-only sandbox. Intermediate steps belong in CTEs.',
    bad: 'CREATE TABLE paid AS SELECT * FROM "raw-orders" WHERE amount > 0;\nSELECT order_id, amount FROM paid;',
    good: 'WITH paid AS (SELECT * FROM "raw-orders" WHERE amount > 0)\nSELECT order_id, amount FROM paid',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    if (!logic) return;
    const { analysis } = logic;
    if (analysis.error) return; // LOG-001
    if (analysis.statementCount === 0) {
      ctx.report(logicTarget(logic, 0, logic.text.trimEnd().length), `${logic.path} contains no SQL statement`, {
        hint: `Write the query whose result becomes the output, e.g. SELECT … FROM <input>. ${HINT}`,
      });
      return;
    }
    const statements = ownStatements(analysis);
    if (statements === undefined) {
      // An analyzer that does not list statements: report on the whole text.
      if (analysis.statementCount === 1 && analysis.isQuery) return;
      const message =
        analysis.statementCount > 1
          ? `${logic.path} contains ${analysis.statementCount} statements; the logic must be a single SELECT`
          : `${logic.path} is not a query; the logic must be a single SELECT`;
      ctx.report(logicTarget(logic, 0, logic.text.trimEnd().length), message, { hint: HINT });
      return;
    }
    // The query whose result would be the output: the last SELECT.
    const final = statements.filter((s) => s.type === 'SelectStmt').pop();
    const total = statements.length;
    for (const statement of statements) {
      const isQuery = statement.type === 'SelectStmt';
      if (statement === final) continue;
      const name = describe(statement, logic.text);
      const message = isQuery
        ? `${logic.path} contains ${total} statements: only the last SELECT would become the output, this one would be lost`
        : total > 1
          ? `${logic.path} contains ${article(name)} ${name} statement; the logic must be a single SELECT whose result becomes the output`
          : `${logic.path} is ${article(name)} ${name} statement, not a query; the logic must be a single SELECT whose result becomes the output`;
      ctx.report(logicTarget(logic, statement.start, statement.end), message, { hint: HINT });
    }
  },
});
