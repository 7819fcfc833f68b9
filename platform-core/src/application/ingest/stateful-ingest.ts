import { invalidState } from '../../domain/errors.js';
import type { ConnectorStateRecord } from '../../domain/ingestion/connector-state.js';
import type { TenantCatalog } from '../../ports/catalog.js';
import { extractFile, type Extract } from '../../ports/connector.js';
import type { FileTableSource } from '../../ports/engine.js';
import { committedInputData, pruneInputData, writeInputData } from '../lake/input-data.js';
import type { LakeDeps } from '../lake/write-snapshot.js';
import { ingest, type IngestDeps, type IngestRequest, type IngestResult } from './ingest.js';

export interface StatefulIngestDeps extends LakeDeps {
  readonly ingest: IngestDeps;
}

export interface StatefulIngestRequest extends Omit<IngestRequest, 'state'> {
  readonly tenantId: string;
  readonly productId: string;
  /** The product name and version: the input's data lives in their lake folder. */
  readonly product: string;
  readonly version: string;
}

/** An ingested input whose new state waits for the snapshot commit. */
export interface PendingInput {
  readonly inputId: string;
  /** What the transform reads: the input's next full data set. */
  readonly source: FileTableSource;
  readonly result: IngestResult;
  /** The state this run started from (compare-and-set at the commit). */
  readonly previous: ConnectorStateRecord | undefined;
  /** The merged data written for this run (absent when the extract is the whole data set). */
  readonly dataLocation?: string;
  /**
   * Call INSIDE the snapshot commit transaction: re-checks files read in place, then writes the
   * new state (Conflict `connector_state_changed` if another run committed meanwhile).
   */
  commit(tx: TenantCatalog, snapshotId: string, signal: AbortSignal): Promise<void>;
}

const PARQUET = { kind: 'file', format: 'parquet' } as const;

/** Recorded in the committed state: the strategy that produced it. */
const STRATEGY = 'strategy';

/** Strategies whose every extract is the whole data set: nothing of a previous run is needed. */
const WHOLE = new Set(['full_refresh', 'api_poll']);

/**
 * Ingests one connector input with its committed state (docs/adr/0014): loads the state the last
 * committed snapshot left, extracts from it, and merges the extract into the input's next full
 * data set (written aside in the lake), so the transform always sees every row. Nothing is
 * committed here: `commit` runs in the snapshot's transaction, so a failure anywhere before that
 * leaves the old state and the next run extracts the same rows again.
 */
export async function statefulIngest(deps: StatefulIngestDeps, request: StatefulIngestRequest): Promise<PendingInput> {
  const { tenantId, productId, input, signal } = request;
  const previous = await deps.catalog.forTenant(tenantId, signal).connectorStates.get(productId, input.id);
  const address = { tenantId, product: request.product, version: request.version, inputId: input.id };
  await pruneInputData(deps.lake, {
    address,
    ...(previous?.dataLocation ? { keep: previous.dataLocation } : {}),
    ...(previous ? { committedAt: new Date(previous.updatedAt) } : {}),
  }).catch(() => []);
  // A state left by another strategy (e.g. full_refresh before incremental) means nothing now:
  // start from the beginning (the compare-and-set still guards the committed row).
  const usable = previous?.state[STRATEGY] === input.ingestion_strategy ? previous : undefined;
  // Where the data the transform reads comes from; set by `prepare` once the extract is known.
  let dataLocation: string | undefined;
  /** The lake location of the merged file this run wrote (removed again if the run fails). */
  let written: string | undefined;
  const prepare = async (extract: Extract): Promise<FileTableSource> => {
    if (extract.mode === 'replace' && WHOLE.has(input.ingestion_strategy)) return extract.source;
    // The input's data must outlive this run: merge into a new file in the lake.
    const prior = usable?.dataLocation
      ? await committedInputData(deps.lake, usable.dataLocation, tenantId, input.id)
      : null;
    if (prior && usable?.dataLocation && extract.rowCount === 0 && extract.mode !== 'replace') {
      dataLocation = usable.dataLocation; // nothing new: the same data
      return { ...PARQUET, path: prior };
    }
    const merger = deps.ingest.merger;
    if (!merger)
      throw invalidState(
        'merger_missing',
        `Input "${input.id}" keeps its data across runs, but no ExtractMerger is configured.`,
      );
    const file = extractFile(extract);
    const merged = await writeInputData(
      deps.lake,
      address,
      async (temp) => {
        await merger.merge({
          previous: prior,
          extract: { file, mode: extract.mode, primaryKey: extract.primaryKey },
          out: temp,
          signal,
        });
      },
      signal,
    );
    dataLocation = merged.location;
    written = merged.location;
    return { ...PARQUET, path: merged.path };
  };
  let result: IngestResult;
  try {
    result = await ingest(deps.ingest, { ...request, state: usable?.state ?? null, prepare });
  } catch (e) {
    // A failed fitness check: the merged file will never be committed.
    if (written) await deps.lake.inputs.remove(written, tenantId).catch(() => undefined);
    throw e;
  }
  const done = result;
  return {
    inputId: input.id,
    source: done.data,
    result: done,
    previous,
    ...(dataLocation ? { dataLocation } : {}),
    async commit(tx, snapshotId, commitSignal) {
      await done.confirm?.(commitSignal);
      await tx.connectorStates.save({
        productId,
        inputId: input.id,
        state: { ...done.state, [STRATEGY]: input.ingestion_strategy },
        snapshotId,
        ...(dataLocation ? { dataLocation } : {}),
        expectedSnapshotId: previous?.snapshotId ?? null,
      });
    },
  };
}
