import { nearest } from '../../../../domain/nearest.js';
import { defineRule } from '../../rule.js';
import { connectorInputs, workspaceConnections } from './connections.js';

export const con001UnknownConnection = defineRule({
  code: 'CON-001',
  scope: 'product',
  severity: 'error',
  family: 'connector',
  tier: 'full',
  title: 'A connector input names a connection of hekima.yaml',
  explain: {
    why: 'A connector input reads an external system through a named connection: its type (postgres, http, file …), where it is and which env variables hold its secrets. Connections are declared once per workspace in hekima.yaml under `connections:`; an input naming an undeclared connection cannot be extracted. Without a hekima.yaml the name cannot be checked at all, which is reported as a warning.',
    bad: '# hekima.yaml declares shop-files\ninputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-file\n    ingestion_strategy: full_refresh',
    good: '# hekima.yaml\nconnections:\n  - name: shop-files\n    type: file\n    config: { path: data/ }\n# inputs.yaml\ninputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-files\n    ingestion_strategy: full_refresh\n    ingestion_config: { path: orders.csv }',
  },
  check(ctx) {
    const state = workspaceConnections(ctx.index);
    if (state.kind === 'unreadable') return;
    for (const input of connectorInputs(ctx.unit)) {
      if (input.ref === undefined || input.ref === '') continue;
      const path = `/inputs/${input.index}/connector_ref`;
      if (state.kind === 'no-config') {
        ctx.report(
          { kind: 'Inputs', path },
          `connection '${input.ref}' of input '${input.id}' cannot be checked: the workspace has no hekima.yaml`,
          {
            severity: 'warning',
            hint: `Declare the connection in a hekima.yaml at the workspace root:\nconnections:\n  - name: ${input.ref}\n    type: postgres   # or mysql, oracle, http, s3, sftp, kafka, redpanda, file\n    config: { ... }   # secrets as env:NAME references`,
          },
        );
        continue;
      }
      if (state.connections.has(input.ref)) continue;
      const names = [...state.connections.keys()];
      const suggestion = nearest(input.ref, names);
      const fix =
        suggestion === undefined
          ? undefined
          : ctx.replaceFix('Inputs', path, suggestion, `Use connection '${suggestion}'`);
      const declared =
        names.length === 0 ? 'hekima.yaml declares no connections' : `declared: ${names.sort().join(', ')}`;
      ctx.report(
        { kind: 'Inputs', path },
        `input '${input.id}' names connection '${input.ref}', which hekima.yaml does not declare`,
        {
          hint:
            suggestion !== undefined
              ? `Did you mean '${suggestion}'? (${declared})`
              : `Use a connection declared in hekima.yaml (${declared}), or add '${input.ref}' under connections: with its type and config.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
