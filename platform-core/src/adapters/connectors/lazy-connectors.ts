import type { ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import type {
  Connector,
  Connectors,
  ExtractMerger,
  ExtractProfile,
  ExtractProfiler,
  ExtractRequest,
  Extract,
  ResolvedConnection,
} from '../../ports/connector.js';
import type { FileTableSource } from '../../ports/engine.js';
import type { ConnectorRegistryOptions } from './connector-registry.js';

/**
 * The built-in connectors, loaded on first use: DuckDB and pg are native or large, and commands
 * that never ingest (validate, the language server) should not load them.
 */
export class LazyConnectors implements Connectors {
  private loading: Promise<Connectors> | undefined;

  constructor(private readonly options: ConnectorRegistryOptions) {}

  private registry(): Promise<Connectors> {
    this.loading ??= import('./connector-registry.js').then((m) => new m.ConnectorRegistry(this.options));
    return this.loading;
  }

  forType(type: ConnectionType): Connector {
    const get = async () => (await this.registry()).forType(type);
    return {
      type,
      extract: async (request: ExtractRequest): Promise<Extract> => (await get()).extract(request),
      check: async (connection: ResolvedConnection, signal: AbortSignal): Promise<void> =>
        (await get()).check(connection, signal),
    };
  }
}

export class LazyExtractProfiler implements ExtractProfiler {
  private loading: Promise<ExtractProfiler> | undefined;

  async profile(
    source: FileTableSource,
    wanted: { readonly nullColumns: readonly string[]; readonly timeColumns: readonly string[] },
    signal: AbortSignal,
  ): Promise<ExtractProfile> {
    this.loading ??= import('./shared/duckdb-extract-profiler.js').then((m) => new m.DuckDbExtractProfiler());
    return (await this.loading).profile(source, wanted, signal);
  }
}

export class LazyExtractMerger implements ExtractMerger {
  private loading: Promise<ExtractMerger> | undefined;

  async merge(request: Parameters<ExtractMerger['merge']>[0]): Promise<{ readonly rowCount: number }> {
    this.loading ??= import('./shared/duckdb-extract-merger.js').then((m) => new m.DuckDbExtractMerger());
    return (await this.loading).merge(request);
  }
}
