import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';
import rule from '../../eslint-rules/no-swallowed-assertions.js';

// RuleTester reports through the test framework's functions (it uses globals, which Vitest does not set).
Object.assign(RuleTester, { afterAll, describe, it, itOnly: it.only });

new RuleTester({ languageOptions: { ecmaVersion: 2024, sourceType: 'module' } }).run('no-swallowed-assertions', rule, {
  valid: [
    'const e = await rejectionOf(run()); expect(e).toBe(1);',
    'let n; await tx(async () => { n = 1; throw new RollBack(); }).catch(() => undefined); expect(n).toBe(1);',
    'await tx(async (sql) => { expect(await sql.count()).toBe(1); });',
    'try { expect(x).toBe(1); } finally { done(); }',
    'expect(await run().catch((e) => e)).toMatchObject({ kind: "Forbidden" });',
  ],
  invalid: [
    {
      // The defect of issue 12 point 8: the assertion's failure became the swallowed rejection.
      code: 'await tx(async (sql) => { expect(await sql.count()).toBe(1); throw new Error("x"); }).catch(() => undefined);',
      errors: [{ messageId: 'swallowedPromise' }],
    },
    {
      code: 'await tx(async () => { expect(1).toBe(1); }).then((r) => r, () => 0);',
      errors: [{ messageId: 'swallowedPromise' }],
    },
    { code: 'await Promise.allSettled([run(() => expect(1).toBe(2))]);', errors: [{ messageId: 'swallowedPromise' }] },
    { code: 'try { expect(x).toBe(1); } catch { /* nothing */ }', errors: [{ messageId: 'insideTry' }] },
    { code: 'try { run(); } catch (e) { expect(e).toBeDefined(); }', errors: [{ messageId: 'insideCatch' }] },
    { code: 'await run().catch((e) => expect(e.kind).toBe("x"));', errors: [{ messageId: 'insideCatch' }] },
  ],
});
