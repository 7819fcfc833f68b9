import type { BoundInput, Engine, EngineRequest, EngineResult, ExportedInput } from '../../ports/engine.js';

/** DuckDbEngine loaded on first use, so commands that never run logic skip the native module. */
export class LazyDuckDbEngine implements Engine {
  private loading: Promise<Engine> | undefined;

  private engine(): Promise<Engine> {
    this.loading ??= import('./duckdb-engine.js').then((m) => new m.DuckDbEngine());
    return this.loading;
  }

  async run(request: EngineRequest): Promise<EngineResult> {
    return (await this.engine()).run(request);
  }

  async exportInputs(inputs: readonly BoundInput[], dir: string, signal?: AbortSignal): Promise<ExportedInput[]> {
    return (await this.engine()).exportInputs(inputs, dir, signal);
  }
}
