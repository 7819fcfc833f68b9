import { describe, expect, it } from 'vitest';
import { confinedText, linkProblem, pathSegments, refusedLinksUnder, type WorkspaceLinks } from './confined-path.js';

const kind = (text: string, backslashEscapes = false) => {
  const r = pathSegments(text, { backslashEscapes });
  return 'problem' in r ? r.problem.kind : r.segments.join('/');
};

describe('path confinement (lexical)', () => {
  it('keeps relative data paths and drops ./ and . segments', () => {
    expect(kind('data/')).toBe('data');
    expect(kind('./data/./2026')).toBe('data/2026');
    expect(kind('.')).toBe('');
    expect(kind('sales-[12].csv', true)).toBe('sales-[12].csv');
  });

  it('refuses every form that leaves the workspace or reaches its state', () => {
    expect(kind('.hekima/lake')).toBe('state');
    expect(kind('data/../.hekima')).toBe('parent');
    expect(kind('../../../etc/')).toBe('parent');
    expect(kind('/etc/passwd')).toBe('absolute');
    expect(kind('\\\\server\\share')).toBe('absolute');
    expect(kind('C:\\data')).toBe('url');
    expect(kind('file:///etc/passwd')).toBe('url');
    expect(kind('~/secrets')).toBe('home');
    expect(kind('%2ehekima/lake')).toBe('encoded');
    expect(kind('data%2F..%2F..')).toBe('encoded');
    expect(kind('a\0b')).toBe('encoded');
    expect(kind('.git/config')).toBe('hidden');
    expect(kind('data/.env')).toBe('hidden');
    expect(kind('data\\..\\.hekima')).toBe('parent');
  });

  it('follows links: out of the workspace, or onto the state, is refused', () => {
    const links: WorkspaceLinks = new Map([
      ['data/lake', { inside: '.hekima/lake' }],
      ['data/etc', { outside: true }],
      ['data/more', { inside: 'archive' }],
      ['archive/loop', { inside: 'data/lake' }],
    ]);
    expect(linkProblem(['data', 'lake', 'x.parquet'], links)?.reason).toMatch(/link 'data\/lake'.*\.hekima/);
    expect(linkProblem(['data', 'etc', 'passwd'], links)?.reason).toMatch(/outside the workspace/);
    expect(linkProblem(['data', 'more', 'loop', 'x'], links)?.kind).toBe('link');
    expect(linkProblem(['data', 'more', 'ok.csv'], links)).toBeUndefined();
    expect(refusedLinksUnder(['data'], links).map((l) => l.name)).toEqual(['etc', 'lake']);
  });

  it('refuses a logic path by its text with a Forbidden error', () => {
    expect(confinedText('orders/logic/transform.py')).toBe('orders/logic/transform.py');
    expect(() => confinedText('../.hekima/secret.key')).toThrow(
      expect.objectContaining({ kind: 'Forbidden', code: 'path_outside_workspace' }),
    );
    expect(() => confinedText('.hekima/x.py')).toThrow(expect.objectContaining({ code: 'path_protected' }));
    expect(() => confinedText('/tmp/x.py')).toThrow(expect.objectContaining({ code: 'path_outside_workspace' }));
  });
});
