import type { Command } from 'commander';
import { ackDlq, listDlq, purgeDlq, replayDlq, showDlq } from '../../application/dlq/dlq-operations.js';
import type { Platform } from '../../composition.js';
import {
  DLQ_STAGES,
  DLQ_STATUSES,
  type DlqEntry,
  type DlqStage,
  type DlqStatus,
} from '../../domain/catalog/dlq-entry.js';
import { EXIT, UsageError, type CliIO } from '../output.js';
import { pageLimit, printJson, withWorkspaceRuntime, type WorkspaceOptions } from './workspace-runtime.js';
import { WORKSPACE_FLAGS, WORKSPACE_HELP } from '../workspace-location.js';

interface ListOptions extends WorkspaceOptions {
  readonly stage?: string;
  readonly status?: string;
  readonly all?: boolean;
  readonly limit?: string;
  readonly after?: string;
}

const stageOf = (s: string | undefined): DlqStage | undefined => {
  if (s !== undefined && !DLQ_STAGES.includes(s as DlqStage))
    throw new UsageError(`--stage takes one of ${DLQ_STAGES.join(', ')}`);
  return s as DlqStage | undefined;
};
const statusOf = (s: string | undefined): DlqStatus | undefined => {
  if (s !== undefined && !DLQ_STATUSES.includes(s as DlqStatus))
    throw new UsageError(`--status takes one of ${DLQ_STATUSES.join(', ')}`);
  return s as DlqStatus | undefined;
};

const line = (e: DlqEntry) =>
  `${e.id}  ${e.stage.padEnd(13)}  ${e.status.padEnd(12)}  ${String(e.attempts).padStart(2)}×  ${e.consumerGroup ?? '-'}  ${e.eventId ?? '-'}  ${e.error.code}: ${e.error.message}\n`;

function common(cmd: Command): Command {
  return cmd
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--tenant <slug>', "tenant (default: hekima.yaml's tenant)")
    .option('--json', 'print as JSON');
}

/** `hekima dlq list|show|replay|ack|purge`: the dead-letter queue of the workspace's tenant. */
export function registerDlqCommands(
  program: Command,
  io: CliIO,
  platform: Platform,
  done: (code: number) => void,
): void {
  const dlq = program
    .command('dlq')
    .description('Inspect and resolve dead-lettered events (never replayed automatically)');
  common(dlq.command('list').description('List DLQ entries, newest first (pending ones by default)'))
    .option('--stage <stage>', DLQ_STAGES.join(' | '))
    .option('--status <status>', `${DLQ_STATUSES.join(' | ')} (default pending)`)
    .option('--all', 'every status')
    .option('--limit <n>', 'page size (1–100, default 20)')
    .option('--after <cursor>', 'next page: the cursor printed by the previous one')
    .action(async (o: ListOptions) => {
      const stage = stageOf(o.stage);
      const status = o.all ? undefined : (statusOf(o.status) ?? 'pending');
      const limit = pageLimit(o.limit);
      done(
        await withWorkspaceRuntime(io, platform, o, 'dlq list', async ({ catalog, tenant }) => {
          const page = await listDlq(
            catalog,
            tenant.id,
            { ...(stage ? { stage } : {}), ...(status ? { status } : {}) },
            {
              ...(limit ? { limit } : {}),
              ...(o.after ? { after: o.after } : {}),
            },
          );
          if (o.json) printJson(io, page);
          else if (page.items.length === 0) io.stdout.write(`No ${status ?? ''} DLQ entries.\n`.replace('  ', ' '));
          else {
            for (const e of page.items) io.stdout.write(line(e));
            if (page.pageInfo.nextCursor) io.stdout.write(`More: --after ${page.pageInfo.nextCursor}\n`);
          }
          return EXIT.ok;
        }),
      );
    });
  common(
    dlq.command('show').description('Show one entry: the event, the error and the attempts').argument('<id>'),
  ).action(async (id: string, o: WorkspaceOptions) => {
    done(
      await withWorkspaceRuntime(io, platform, o, 'dlq show', async ({ catalog, tenant }) => {
        const entry = await showDlq(catalog, tenant.id, id);
        if (o.json) printJson(io, entry);
        else
          io.stdout.write(
            `${line(entry)}event:\n${JSON.stringify(entry.event, null, 2)}\nerror:\n${JSON.stringify(entry.error, null, 2)}\n`,
          );
        return EXIT.ok;
      }),
    );
  });
  common(
    dlq.command('replay').description('Re-publish entries to the consumer group that failed them').argument('<id...>'),
  ).action(async (ids: string[], o: WorkspaceOptions) => {
    done(
      await withWorkspaceRuntime(io, platform, o, 'dlq replay', async ({ catalog, tenant, platform: p }) => {
        const bus = await p.events();
        const results = [];
        for (const id of ids) results.push(await replayDlq({ catalog, bus }, tenant.id, id));
        await bus.relayOnce();
        if (o.json) printJson(io, results);
        else
          for (const r of results)
            io.stdout.write(`replayed ${r.entry.id} → ${'group' in r.target ? r.target.group : r.target.stage}\n`);
        return EXIT.ok;
      }),
    );
  });
  common(dlq.command('ack').description('Acknowledge entries (seen; nothing to replay)').argument('<id...>')).action(
    async (ids: string[], o: WorkspaceOptions) => {
      done(
        await withWorkspaceRuntime(io, platform, o, 'dlq ack', async ({ catalog, tenant }) => {
          const entries = [];
          for (const id of ids) entries.push(await ackDlq(catalog, tenant.id, id));
          if (o.json) printJson(io, entries);
          else for (const e of entries) io.stdout.write(`acknowledged ${e.id}\n`);
          return EXIT.ok;
        }),
      );
    },
  );
  common(
    dlq
      .command('purge')
      .description('Discard entries: by id, or every entry in a status (and stage)')
      .argument('[id...]'),
  )
    .option('--status <status>', 'pending | acknowledged | replayed')
    .option('--stage <stage>', DLQ_STAGES.join(' | '))
    .action(async (ids: string[], o: WorkspaceOptions & { status?: string; stage?: string }) => {
      const status = statusOf(o.status);
      const stage = stageOf(o.stage);
      if (ids.length === 0 && (status === undefined || status === 'purged'))
        throw new UsageError('dlq purge needs entry ids or --status pending|acknowledged|replayed');
      done(
        await withWorkspaceRuntime(io, platform, o, 'dlq purge', async ({ catalog, tenant }) => {
          const selection =
            ids.length > 0 ? { ids } : { status: status as Exclude<DlqStatus, 'purged'>, ...(stage ? { stage } : {}) };
          const purged = await purgeDlq(catalog, tenant.id, selection);
          if (o.json) printJson(io, { purged: purged.map((e) => e.id) });
          else io.stdout.write(`purged ${purged.length} DLQ ${purged.length === 1 ? 'entry' : 'entries'}\n`);
          return EXIT.ok;
        }),
      );
    });
}
