import type { DlqEntry, DlqStage, DlqStatus } from '../../domain/catalog/dlq-entry.js';
import { invalidArgument, invalidState, notFound, throwIfAborted } from '../../domain/errors.js';
import { parseEvent } from '../../domain/events/parse-event.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { Catalog } from '../../ports/catalog.js';
import type { EventBus } from '../../ports/event-bus.js';

/**
 * DLQ operations (manifest-format §15): entries are never replayed automatically. An operator
 * lists and shows them, then replays (re-publishes the event to the consumer group that failed),
 * acknowledges (seen, nothing to do) or purges (discards) each one.
 */
export interface DlqDeps {
  readonly catalog: Catalog;
  readonly bus: EventBus;
  /**
   * Replays for entries no consumer group owns (e.g. `execution` or `quality_gate` failures parked
   * by the runtime): the stage's owner re-enters its own pipeline step.
   */
  readonly replayers?: Partial<Record<DlqStage, (entry: DlqEntry, signal?: AbortSignal) => Promise<void>>>;
}

export interface DlqQuery {
  readonly stage?: DlqStage;
  readonly status?: DlqStatus;
}

export function listDlq(
  catalog: Catalog,
  tenantId: string,
  query: DlqQuery = {},
  page?: PageRequest,
): Promise<Page<DlqEntry>> {
  return catalog.forTenant(tenantId).dlq.list(page, query);
}

export async function showDlq(catalog: Catalog, tenantId: string, id: string): Promise<DlqEntry> {
  const entry = await catalog.forTenant(tenantId).dlq.get(id);
  if (!entry) throw notFound('dlq_entry_not_found', `No DLQ entry ${id}.`);
  return entry;
}

export interface ReplayResult {
  readonly entry: DlqEntry;
  /** The consumer group the event went back to, or the stage whose replayer ran. */
  readonly target: { readonly group: string } | { readonly stage: DlqStage };
}

/**
 * Re-publishes the parked event to the group that failed it (under its own event id, so groups
 * that handled it skip it), then marks the entry replayed. An event that never parsed cannot be
 * replayed as it is (InvalidState `dlq_entry_unparseable`: fix the producer, then ack or purge).
 */
export async function replayDlq(
  deps: DlqDeps,
  tenantId: string,
  id: string,
  signal?: AbortSignal,
): Promise<ReplayResult> {
  const entry = await showDlq(deps.catalog, tenantId, id);
  if (entry.status !== 'pending' && entry.status !== 'acknowledged') {
    throw invalidState('invalid_dlq_transition', `A ${entry.status} DLQ entry cannot be replayed.`, {
      details: { id },
    });
  }
  let target: ReplayResult['target'];
  if (entry.consumerGroup !== undefined) {
    const parsed = parseEvent(entry.event);
    if (!parsed.ok) {
      throw invalidState(
        'dlq_entry_unparseable',
        `The parked message does not parse (${parsed.failure.message}); ack or purge it.`,
        {
          details: { id, code: parsed.failure.code },
        },
      );
    }
    const product =
      entry.partitionKey !== undefined && entry.partitionKey !== entry.topic ? entry.partitionKey : undefined;
    await deps.bus.republish(tenantId, parsed.event, {
      group: entry.consumerGroup,
      ...(product === undefined ? {} : { product }),
      ...(signal ? { signal } : {}),
    });
    target = { group: entry.consumerGroup };
  } else {
    const replayer = deps.replayers?.[entry.stage];
    if (!replayer) {
      throw invalidState(
        'dlq_entry_not_replayable',
        `No consumer group and no replayer for stage ${entry.stage}; ack or purge it.`,
        {
          details: { id, stage: entry.stage },
        },
      );
    }
    await replayer(entry, signal);
    target = { stage: entry.stage };
  }
  return { entry: await deps.catalog.forTenant(tenantId).dlq.setStatus(id, 'replayed'), target };
}

export function ackDlq(catalog: Catalog, tenantId: string, id: string): Promise<DlqEntry> {
  return catalog.forTenant(tenantId).dlq.setStatus(id, 'acknowledged');
}

export type PurgeSelection =
  { readonly ids: readonly string[] } | { readonly stage?: DlqStage; readonly status: Exclude<DlqStatus, 'purged'> };

/** Purges the given entries, or every entry in a status (and stage); returns the purged entries. */
export async function purgeDlq(
  catalog: Catalog,
  tenantId: string,
  selection: PurgeSelection,
  signal?: AbortSignal,
): Promise<DlqEntry[]> {
  const dlq = catalog.forTenant(tenantId, signal).dlq;
  let ids: readonly string[];
  if ('ids' in selection) {
    if (selection.ids.length === 0)
      throw invalidArgument('nothing_to_purge', 'Name the entries to purge, or a status.');
    ids = selection.ids;
  } else {
    const found: string[] = [];
    let after: string | undefined;
    do {
      throwIfAborted(signal, 'purge');
      const page = await dlq.list({ limit: 100, ...(after ? { after } : {}) }, selection);
      found.push(...page.items.map((e) => e.id));
      after = page.pageInfo.nextCursor;
    } while (after !== undefined);
    ids = found;
  }
  const purged: DlqEntry[] = [];
  for (const id of ids) purged.push(await dlq.setStatus(id, 'purged'));
  return purged;
}
