import { describe, expect, it } from 'vitest';
import {
  TENANT_STATES,
  assertCanDeploy,
  assertCanRead,
  assertCanRun,
  assertTenantSlug,
  assertTenantTransition,
  canTransition,
  isTenantSlug,
} from './tenant.js';

describe('tenants', () => {
  it('accepts slugs of 3–63 lowercase letters, digits and hyphens starting with a letter', () => {
    for (const ok of ['abc', 'acme-corp', 'a1-2', 'a'.repeat(63)]) expect(isTenantSlug(ok), ok).toBe(true);
    for (const bad of ['ab', 'Abc', '1abc', '-abc', 'a_b', 'a b', 'a'.repeat(64), 'ünï'])
      expect(isTenantSlug(bad), bad).toBe(false);
    expect(() => assertTenantSlug('AB')).toThrow(
      expect.objectContaining({ kind: 'InvalidArgument', code: 'invalid_tenant_slug' }),
    );
  });

  it('allows exactly PROVISIONING→ACTIVE|ARCHIVED, ACTIVE↔SUSPENDED, ACTIVE|SUSPENDED→ARCHIVED', () => {
    const allowed = TENANT_STATES.flatMap((from) =>
      TENANT_STATES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'PROVISIONING→ACTIVE',
      'PROVISIONING→ARCHIVED',
      'ACTIVE→SUSPENDED',
      'ACTIVE→ARCHIVED',
      'SUSPENDED→ACTIVE',
      'SUSPENDED→ARCHIVED',
    ]);
    expect(() => assertTenantTransition('ARCHIVED', 'ACTIVE')).toThrow(
      expect.objectContaining({ kind: 'InvalidState', code: 'invalid_tenant_transition' }),
    );
    expect(() => assertTenantTransition('ACTIVE', 'ACTIVE')).toThrow(
      expect.objectContaining({ code: 'invalid_tenant_transition' }),
    );
  });

  it('only an ACTIVE tenant deploys and runs; ARCHIVED cannot even read', () => {
    const t = (state: (typeof TENANT_STATES)[number]) => ({ slug: 'acme', state });
    expect(() => assertCanDeploy(t('ACTIVE'))).not.toThrow();
    expect(() => assertCanRun(t('ACTIVE'))).not.toThrow();
    for (const state of ['PROVISIONING', 'SUSPENDED', 'ARCHIVED'] as const) {
      const code = `tenant_${state.toLowerCase()}`;
      expect(() => assertCanDeploy(t(state))).toThrow(
        expect.objectContaining({ kind: 'Forbidden', code, retryable: false }),
      );
      expect(() => assertCanRun(t(state))).toThrow(expect.objectContaining({ kind: 'Forbidden', code }));
    }
    expect(() => assertCanRead(t('SUSPENDED'))).not.toThrow();
    expect(() => assertCanRead(t('ARCHIVED'))).toThrow(expect.objectContaining({ code: 'tenant_archived' }));
  });
});
