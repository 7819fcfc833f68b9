import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { canSpawn, request, spawn } from '../parallel/worker-task.js';
import type { SourceDocument } from '../../ports/source-document.js';
import type { ParsedData, YamlDocumentParser } from './yaml-document-parser.js';

/** Below this many characters a worker costs more than it saves. */
const MIN_PARALLEL_CHARS = 400_000;

const workerFile = fileURLToPath(new URL('./yaml-parse-worker.js', import.meta.url));

/**
 * Worker threads that parse YAML and send back the plain value and problems. `warm()` starts
 * them early (while the caller still reads files); `parse()` hands them their share and stops
 * them when done. Without a compiled worker file (tests running the TypeScript sources) or on
 * one core, everything is parsed on the calling thread.
 */
export class YamlWorkerPool {
  private workers: Worker[] = [];

  constructor(private readonly size = Math.min(availableParallelism() - 1, 3)) {}

  get available(): boolean {
    return this.size >= 1 && canSpawn(workerFile);
  }

  warm(): void {
    if (!this.available || this.workers.length) return;
    for (let i = 0; i < this.size; i++) this.workers.push(spawn(workerFile));
  }

  async parse(parser: YamlDocumentParser, texts: readonly string[], signal?: AbortSignal): Promise<SourceDocument[]> {
    const total = texts.reduce((n, t) => n + t.length, 0);
    if (!this.available || total < MIN_PARALLEL_CHARS) {
      this.stop();
      return texts.map((t) => parser.parse(t));
    }
    this.warm();
    const workers = this.workers;
    this.workers = [];
    // Contiguous slices of roughly equal size; slice 0 stays on this thread.
    const share = total / (workers.length + 1);
    const bounds: number[] = [0];
    let acc = 0;
    texts.forEach((t, i) => {
      acc += t.length;
      if (acc >= share * bounds.length && bounds.length <= workers.length) bounds.push(i + 1);
    });
    while (bounds.length < workers.length + 2) bounds.push(texts.length);
    const remote = workers.map((worker, k) =>
      request<ParsedData[]>(worker, texts.slice(bounds[k + 1], bounds[k + 2]), signal),
    );
    const out = texts.slice(0, bounds[1]).map((t) => parser.parse(t));
    const results = await Promise.all(remote);
    results.forEach((data, k) => {
      const start = bounds[k + 1] ?? 0;
      data.forEach((d, i) => out.push(parser.fromParsed(texts[start + i] ?? '', d)));
    });
    return out;
  }

  stop(): void {
    for (const w of this.workers) void w.terminate();
    this.workers = [];
  }
}
