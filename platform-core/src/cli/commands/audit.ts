import type { Command } from 'commander';
import { catchUpAuditTrail } from '../../application/audit/audit-consumer.js';
import { listAudit, verifyAudit } from '../../application/audit/audit-queries.js';
import type { Platform } from '../../composition.js';
import { auditGroup } from '../../domain/events/consumer-groups.js';
import type { AuditEntry } from '../../domain/catalog/audit-entry.js';
import { alignedTable, EXIT, UsageError, type CliIO } from '../output.js';
import { productNames } from './executions.js';
import { pageLimit, printJson, withWorkspaceRuntime, type WorkspaceOptions } from './workspace-runtime.js';
import { WORKSPACE_FLAGS, WORKSPACE_HELP } from '../workspace-location.js';

interface AuditOptions extends WorkspaceOptions {
  readonly product?: string;
  readonly type?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: string;
  readonly after?: string;
  /** --no-sync: list what is recorded without catching the audit consumer up first. */
  readonly sync?: boolean;
}

const instant = (flag: string, value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`${flag} takes an ISO 8601 date or instant, e.g. 2026-11-23T10:00:00Z`);
  return new Date(t).toISOString();
};

function common(cmd: Command): Command {
  return cmd
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--tenant <slug>', "tenant (default: hekima.yaml's tenant)")
    .option('--no-sync', 'do not record pending events first')
    .option('--json', 'print as JSON');
}

/** `hekima audit [filters]` and `hekima audit verify`: the tenant's hash-chained audit trail. */
export function registerAuditCommands(
  program: Command,
  io: CliIO,
  platform: Platform,
  done: (code: number) => void,
): void {
  const audit = common(
    program.command('audit').description('List the audit trail (every event, append-only, hash-chained), newest first'),
  )
    .option('--product <product>', 'only events about this product (name or id)')
    .option('--type <type>', 'only this event type, e.g. ProductDeployed')
    .option('--since <iso>', 'occurred at or after')
    .option('--until <iso>', 'occurred before')
    .option('--limit <n>', 'page size (1–100, default 20)')
    .option('--after <cursor>', 'next page: the cursor printed by the previous one')
    .action(async (o: AuditOptions) => {
      const since = instant('--since', o.since);
      const until = instant('--until', o.until);
      const limit = pageLimit(o.limit);
      done(
        await withWorkspaceRuntime(io, platform, o, 'audit', async ({ catalog, tenant, platform: p }) => {
          if (o.sync !== false) await catchUpAuditTrail(await p.events(), catalog, tenant);
          const page = await listAudit(
            catalog,
            tenant.id,
            {
              ...(o.product ? { product: o.product } : {}),
              ...(o.type ? { type: o.type } : {}),
              ...(since ? { since } : {}),
              ...(until ? { until } : {}),
            },
            { ...(limit ? { limit } : {}), ...(o.after ? { after: o.after } : {}) },
          );
          if (o.json) printJson(io, page);
          else if (page.items.length === 0) io.stdout.write('No audit entries.\n');
          else {
            const names = await productNames(
              catalog.forTenant(tenant.id),
              page.items.map((e) => e.productId),
            );
            const body = page.items.map((e) => [
              String(e.seq),
              e.occurredAt,
              e.eventType,
              e.productId ? (names.get(e.productId) ?? e.productId) : '-',
              e.actor ?? '-',
              e.eventId,
              e.hash.slice(0, 12),
              detailOf(e.payload),
            ]);
            const header = ['seq', 'occurred', 'event', 'product', 'actor', 'event id', 'hash', 'detail'];
            io.stdout.write(`${alignedTable(header, body).join('\n')}\n`);
            if (page.pageInfo.nextCursor) io.stdout.write(`More: --after ${page.pageInfo.nextCursor}\n`);
          }
          return EXIT.ok;
        }),
      );
    });
  common(audit.command('verify').description('Recompute the hash chain; report the first seq that breaks it')).action(
    async (_o: AuditOptions, cmd: Command) => {
      // `audit` and `verify` share option names: commander may give them to either.
      const o = cmd.optsWithGlobals<AuditOptions>();
      done(
        await withWorkspaceRuntime(io, platform, o, 'audit verify', async ({ catalog, tenant, platform: p }) => {
          if (o.sync !== false) await catchUpAuditTrail(await p.events(), catalog, tenant);
          const report = await verifyAudit(catalog, tenant.id, { auditGroup: auditGroup(tenant.slug) });
          if (o.json) printJson(io, report);
          else if (report.ok)
            io.stdout.write(
              `audit trail intact: ${report.checked} entries${report.head ? `, head seq ${report.head.seq} ${report.head.hash}` : ''}\n`,
            );
          else {
            if (report.break)
              io.stdout.write(`audit trail BROKEN at seq ${report.break.seq}: ${report.break.message}\n`);
            if (report.unaudited.length > 0)
              io.stdout.write(
                `events missing from the trail (${report.unaudited.length}): ${report.unaudited.join(', ')}\n`,
              );
          }
          return report.ok ? EXIT.ok : EXIT.findings;
        }),
      );
    },
  );
}

/** The payload fields people look for first, `key=value`, short. */
function detailOf(payload: AuditEntry['payload']): string {
  const keys = [
    'check_name',
    'passed',
    'status',
    'measured',
    'threshold',
    'row_count',
    'version',
    'error',
    'error_code',
  ];
  const parts = keys.flatMap((k) => {
    const v = payload[k];
    if (v === undefined) return [];
    const text =
      k === 'error' && typeof v === 'object' && v !== null ? String((v as { code?: unknown }).code) : JSON.stringify(v);
    return [`${k}=${text.length > 40 ? `${text.slice(0, 39)}…` : text}`];
  });
  return parts.join(' ') || '-';
}
