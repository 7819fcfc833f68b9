import { isMap, isSeq, parseDocument, type YAMLSeq } from 'yaml';
import { WORKSPACE_CONFIG_FILE } from '../../domain/manifest/kinds.js';
import { yamlString } from './text.js';

export interface NewConnection {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly config: Readonly<Record<string, string>>;
}

export type ConfigEdit = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

/**
 * A new hekima.yaml: the tenant (when given) and one connection (when given). Without a tenant it
 * is the body appended to a hekima.yaml holding only comments.
 */
export function newWorkspaceConfig(connection: NewConnection | undefined, tenant?: string): string {
  const config = connection ? Object.entries(connection.config).map(([k, v]) => `      ${k}: ${yamlString(v)}`) : [];
  return [
    '# Hekima workspace: the tenant, teams and connections shared by every product below this folder.',
    'apiVersion: akili/v1',
    'kind: Workspace',
    ...(tenant
      ? [
          '# The tenant owning these products in the catalog (embedded mode creates it on first use).',
          `tenant: ${tenant}`,
        ]
      : []),
    '# teams:            # when listed, every product owner must be one of them',
    '#   - my-team',
    ...(connection
      ? [
          'connections:',
          `  # ${connection.description}`,
          `  - name: ${connection.name}`,
          `    type: ${connection.type}`,
          '    config:',
          ...config,
        ]
      : ['connections: []']),
    '',
  ].join('\n');
}

/**
 * A tenant slug from a folder name (`My Shop` → `my-shop`): lowercase letters, digits and
 * hyphens, starting with a letter, 3–63 characters (`ws-` in front when it would not).
 */
export function tenantSlugOf(folderName: string): string {
  let slug = folderName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(slug) || slug.length < 3) slug = `ws-${slug}`.replace(/-+$/, '');
  if (slug.length < 3) slug = 'workspace';
  return slug.slice(0, 63).replace(/-+$/, '');
}

/**
 * Adds a connection to the `connections` list of an existing hekima.yaml through the YAML
 * document model, so that comments, key order and the formatting of untouched nodes survive.
 */
export function addConnection(text: string, connection: NewConnection): ConfigEdit {
  const doc = parseDocument(text);
  const problem = doc.errors[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line;
    return {
      ok: false,
      error: `${WORKSPACE_CONFIG_FILE}${line ? `:${line}` : ''} is not valid YAML (${(problem.message.split('\n')[0] ?? problem.code).replace(/:\s*$/, '')}); fix it, then run hekima init again`,
    };
  }
  if (doc.contents === null) {
    // Only comments (or nothing): keep them and append the declarations.
    return {
      ok: true,
      text:
        text.trim() === ''
          ? newWorkspaceConfig(connection)
          : `${text.replace(/\s*$/, '\n')}${newWorkspaceConfig(connection)}`,
    };
  }
  if (!isMap(doc.contents))
    return {
      ok: false,
      error: `${WORKSPACE_CONFIG_FILE} is not a mapping; it should hold apiVersion, kind, teams and connections`,
    };
  const node = doc.createNode({ name: connection.name, type: connection.type, config: { ...connection.config } });
  node.commentBefore = ` ${connection.description}`;
  const existing: unknown = doc.contents.get('connections', true);
  if (existing === undefined || existing === null || (isSeq(existing) === false && isEmptyScalar(existing))) {
    const seq = doc.createNode([]) as YAMLSeq;
    seq.flow = false;
    seq.items.push(node);
    doc.set('connections', seq);
  } else if (isSeq(existing)) {
    if (existing.items.length === 0) existing.flow = false;
    existing.items.push(node);
  } else {
    return {
      ok: false,
      error: `${WORKSPACE_CONFIG_FILE}: connections is not a list; write it as a list of {name, type, config} entries`,
    };
  }
  return { ok: true, text: doc.toString({ lineWidth: 0 }) };
}

function isEmptyScalar(node: unknown): boolean {
  return typeof node === 'object' && node !== null && 'value' in node && (node as { value: unknown }).value === null;
}
