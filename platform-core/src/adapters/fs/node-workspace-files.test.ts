import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeWorkspaceFiles } from './node-workspace-files.js';

const root = mkdtempSync(join(tmpdir(), 'hekima-files-'));
const put = (rel: string, text = 'x') => {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
};
put('hekima.yaml');
put('a/product.yaml');
put('deep/er/b/product.yaml');
put('node_modules/pkg/product.yaml');
put('.hekima/catalog/product.yaml');
put('other-workspace/hekima.yaml');
put('other-workspace/c/product.yaml');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('NodeWorkspaceFiles', () => {
  it('lists files at any depth with forward slashes, skipping ignored folders and nested workspaces', async () => {
    const files = new NodeWorkspaceFiles(root);
    expect(await files.list()).toEqual(['a/product.yaml', 'deep/er/b/product.yaml', 'hekima.yaml']);
  });

  it('reads text and answers undefined for a missing file', async () => {
    const files = new NodeWorkspaceFiles(root);
    expect(await files.read('a/product.yaml')).toBe('x');
    expect(await files.read('nope.yaml')).toBeUndefined();
  });
});
