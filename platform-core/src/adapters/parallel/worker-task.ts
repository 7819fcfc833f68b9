import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * One-shot worker threads for CPU-bound parsing on the other cores: started early (`spawn`),
 * given one batch (`request`), then terminated. Worker files exist only in the build (`dist/`);
 * callers fall back to the calling thread when `canSpawn` is false (tests running sources).
 */
export function canSpawn(file: string): boolean {
  return existsSync(file);
}

export function spawn(file: string): Worker {
  const worker = new Worker(file);
  worker.unref();
  return worker;
}

export function request<T>(worker: Worker, payload: unknown, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', abort);
      void worker.terminate();
    };
    const abort = () => {
      done();
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('message', (data: T) => {
      done();
      resolve(data);
    });
    worker.once('error', (e) => {
      done();
      reject(e);
    });
    worker.postMessage(payload);
  });
}
