import type { CheckEngine, CheckRelation, CheckSession } from '../../ports/check-engine.js';

/** DuckDbCheckEngine loaded on first use, so commands that never gate skip the native module. */
export class LazyDuckDbCheckEngine implements CheckEngine {
  private loading: Promise<CheckEngine> | undefined;

  async open(
    relations: readonly CheckRelation[],
    limits?: { readonly memoryBytes?: number; readonly threads?: number },
    signal?: AbortSignal,
  ): Promise<CheckSession> {
    this.loading ??= import('./duckdb-check-engine.js').then((m) => new m.DuckDbCheckEngine());
    return (await this.loading).open(relations, limits, signal);
  }
}
