import { describe, expect, it } from 'vitest';
import { YamlDocumentParser } from '../../../../adapters/yaml/yaml-document-parser.js';
import type { Severity } from '../../../../domain/finding.js';
import type { ProductUnit } from '../../product-unit.js';
import type { WorkspaceRule } from '../../rule.js';
import { readWorkspaceConfig, WorkspaceIndex } from '../../workspace-index.js';
import { envNameFor, isSecretKey, wsp001SecretInConfig } from './wsp-001-secret-in-config.js';
import { wsp002DuplicateConnection } from './wsp-002-duplicate-connection.js';
import { wsp003DuplicateTeam } from './wsp-003-duplicate-team.js';
import { wsp004UnusedConnection } from './wsp-004-unused-connection.js';

const parser = new YamlDocumentParser();

function product(folder: string, refs: string[]): ProductUnit {
  const inputs = refs
    .map(
      (r, i) => `  - id: in-${i}\n    type: connector\n    connector_ref: ${r}\n    ingestion_strategy: full_refresh\n`,
    )
    .join('');
  return {
    folder,
    manifests: {
      Inputs: {
        file: `${folder}/inputs.yaml`,
        hash: folder,
        doc: parser.parse(`inputs:\n${inputs || '  []\n'}`.replace('inputs:\n  []', 'inputs: []')),
      },
    },
    files: new Set(),
    texts: new Map(),
  };
}

function run(rule: WorkspaceRule, hekima: string, units: ProductUnit[] = []) {
  const file = { file: 'hekima.yaml', hash: 'h', doc: parser.parse(hekima) };
  const index = new WorkspaceIndex(units, readWorkspaceConfig(file));
  const out: {
    path: string;
    message: string;
    hint: string;
    severity: Severity;
    fix: string | undefined;
    fixAt: string | undefined;
  }[] = [];
  rule.check({
    index,
    report: () => {
      throw new Error('unexpected product finding');
    },
    reportWorkspace: (target, message, options) => {
      const edit = options.fix?.edits[0];
      out.push({
        path: target.path,
        message,
        hint: options.hint,
        severity: options.severity ?? rule.severity,
        fix: edit?.newText,
        fixAt: edit
          ? hekima.split('\n')[edit.range.start.line - 1]!.slice(edit.range.start.column - 1, edit.range.end.column - 1)
          : undefined,
      });
    },
    replaceFix: () => undefined,
  });
  return out;
}

describe('WSP-001 secrets in hekima.yaml', () => {
  const hekima = `connections:
  - name: erp-db
    type: postgres
    config:
      host: erp.internal
      username: reporting
      password: "hunter2-very-secret"
      db_password: 12345
      sslmode: require
      auth:
        client_secret: plain-client-secret
        token: env:ERP_TOKEN
        header: env:1BAD-NAME
      credentials:
        username: svc
        private_key: |
          -----BEGIN KEY-----
      tokens_url: https://login.example.com/token
      api_key: ""
      access_key: \${AWS_ACCESS_KEY}
      token: "env:"
  - name: files
    type: file
    config: { path: data/, secret: open-sesame }
`;
  const found = run(wsp001SecretInConfig, hekima);

  it('reports every secret-looking key whose value is not an env reference', () => {
    expect(found.map((f) => f.path)).toEqual([
      '/connections/0/config/password',
      '/connections/0/config/db_password',
      '/connections/0/config/auth/client_secret',
      '/connections/0/config/auth/header',
      '/connections/0/config/credentials/private_key',
      '/connections/0/config/access_key',
      '/connections/0/config/token',
      '/connections/1/config/secret',
    ]);
    expect(found.every((f) => f.severity === 'error')).toBe(true);
  });

  it('never echoes a secret value', () => {
    for (const secret of ['hunter2', '12345', 'plain-client-secret', 'BEGIN KEY', 'open-sesame']) {
      for (const f of found) {
        expect(f.message).not.toContain(secret);
        expect(f.hint).not.toContain(secret);
        expect(f.fix ?? '').not.toContain(secret);
      }
    }
  });

  it('offers env:NAME replacements exactly over the value (not for block scalars)', () => {
    expect(found.map((f) => [f.path.split('/').pop(), f.fix, f.fixAt])).toEqual([
      ['password', 'env:ERP_DB_PASSWORD', 'hunter2-very-secret'],
      ['db_password', 'env:ERP_DB_DB_PASSWORD', '12345'],
      ['client_secret', 'env:ERP_DB_CLIENT_SECRET', 'plain-client-secret'],
      ['header', 'env:_1BAD_NAME', 'env:1BAD-NAME'],
      ['private_key', undefined, undefined],
      ['access_key', 'env:AWS_ACCESS_KEY', '${AWS_ACCESS_KEY}'],
      ['token', 'env:ERP_DB_TOKEN', 'env:'],
      ['secret', 'env:FILES_SECRET', 'open-sesame'],
    ]);
    expect(found[0]!.hint).toContain('password: env:ERP_DB_PASSWORD');
  });

  it('recognises secret keys and builds env names', () => {
    expect(
      ['password', 'PASSWORD', 'api-key', 'aws_secret_access_key', 'db_passwd', 'credentials'].every(isSecretKey),
    ).toBe(true);
    expect(['username', 'token_url', 'secret_name', 'host', 'passwords_file'].some(isSecretKey)).toBe(false);
    expect(envNameFor('shop-db', 'api.key')).toBe('SHOP_DB_API_KEY');
  });

  it('never throws on odd shapes', () => {
    for (const text of ['connections: 3\n', 'connections:\n  - 1\n  - config: [1, {password: x}]\n', '- a\n', '{{{']) {
      expect(() => run(wsp001SecretInConfig, text)).not.toThrow();
    }
  });
});

describe('WSP-002 / WSP-003', () => {
  it('reports the second declaration of a connection', () => {
    const found = run(
      wsp002DuplicateConnection,
      'connections:\n  - name: a\n    type: file\n  - name: b\n    type: file\n  - name: a\n    type: http\n',
    );
    expect(found.map((f) => [f.path, f.message])).toEqual([
      ['/connections/2/name', "connection 'a' is declared twice (connections 1 and 3)"],
    ]);
  });

  it('reports a team listed twice, as string or object', () => {
    const found = run(wsp003DuplicateTeam, 'teams:\n  - crm\n  - name: crm\n    members: [a]\n  - sales\n  - sales\n');
    expect(found.map((f) => [f.path, f.severity])).toEqual([
      ['/teams/1/name', 'warning'],
      ['/teams/3', 'warning'],
    ]);
  });
});

describe('WSP-004 unused connections (info)', () => {
  const hekima =
    'connections:\n  - name: shop-files\n    type: file\n  - name: old-erp\n    type: postgres\n  - name: api\n    type: http\n';

  it('reports each connection no input names, as info', () => {
    const found = run(wsp004UnusedConnection, hekima, [
      product('orders', ['shop-files']),
      product('customers', ['api', 'missing']),
    ]);
    expect(found.map((f) => [f.path, f.severity, f.message])).toEqual([
      ['/connections/1/name', 'info', "connection 'old-erp' is not used by any connector input"],
    ]);
  });

  it('reports nothing when every connection is used', () => {
    expect(run(wsp004UnusedConnection, hekima, [product('a', ['shop-files', 'old-erp', 'api'])])).toEqual([]);
  });
});
