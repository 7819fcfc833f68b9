import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/**
 * The worker's code (CommonJS, run with `eval` so that the TypeScript sources and the build
 * share it). It opens an in-memory DuckDB with one thread and answers with
 * `json_serialize_sql()` of each text: DuckDB's own parse tree, or its syntax error.
 * Batches arrive on one port and are answered asynchronously; single texts arrive on the other
 * port, where the caller waits on a shared flag (so that a parse can be synchronous).
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { DuckDBInstance, listValue, LIST, VARCHAR } = require(workerData.duckdb);
const flag = new Int32Array(workerData.flag);
const failure = (e) => JSON.stringify({ error: true, error_type: 'internal', error_message: String(e && e.message || e) });
async function parse(connection, texts) {
  try {
    const reader = await connection.runAndReadAll(
      'SELECT list_transform($1::VARCHAR[], x -> json_serialize_sql(x::VARCHAR))', [listValue(texts)], [LIST(VARCHAR)]);
    return reader.getRows()[0][0].items;
  } catch (e) {
    const out = [];
    for (const t of texts) {
      try { out.push((await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [t], [VARCHAR])).getRows()[0][0]); }
      catch (inner) { out.push(failure(inner)); }
    }
    return out;
  }
}
async function tables(connection, text) {
  try { return connection.getTableNames(text, false); } catch { return []; }
}
async function answer(connection, m) {
  return m.tables !== undefined ? { id: m.id, tables: await tables(connection, m.tables) } : { id: m.id, results: await parse(connection, m.texts) };
}
(async () => {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const batch = await instance.connect();
  const single = await instance.connect();
  workerData.sync.on('message', async (m) => {
    const reply = await answer(single, m);
    workerData.sync.postMessage(reply);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
  workerData.async.on('message', async (m) => workerData.async.postMessage(await answer(batch, m)));
  workerData.async.postMessage({ ready: true });
})().catch((e) => workerData.async.postMessage({ failed: String(e && e.stack || e) }));
`;

/** How long a synchronous parse may wait for the worker before it is taken as dead. */
const SYNC_TIMEOUT_MS = 60_000;

interface Reply {
  readonly id?: number;
  readonly results?: string[];
  readonly tables?: string[];
  readonly ready?: boolean;
  readonly failed?: string;
}

/**
 * DuckDB's parser on a worker thread. `parseMany` parses a batch without blocking; `parseSync`
 * blocks this thread until the worker answers (about a millisecond), for callers that analyze
 * one text synchronously (an editor's keystroke). The worker does not keep the process alive.
 */
export class DuckDbParserThread {
  private worker: Worker | undefined;
  private asyncPort: MessagePort | undefined;
  private syncPort: MessagePort | undefined;
  private flag: Int32Array | undefined;
  private started: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();

  /** Starts the worker (once) and resolves when DuckDB is open in it. */
  start(): Promise<void> {
    this.started ??= this.spawn().catch((error: unknown) => {
      this.started = undefined;
      this.stop();
      throw error;
    });
    return this.started;
  }

  /** The raw `json_serialize_sql()` output of each text, in order. */
  async parseMany(texts: readonly string[]): Promise<string[]> {
    if (texts.length === 0) return [];
    await this.start();
    const reply = await this.request({ texts: [...texts] });
    return reply.results ?? [];
  }

  /** The raw `json_serialize_sql()` output of each text, waiting for the worker on this thread. */
  parseSync(texts: readonly string[]): string[] {
    return this.requestSync({ texts: [...texts] }).results ?? [];
  }

  /** The tables a statement reads, as DuckDB's `duckdb_get_table_names` lists them (synchronous). */
  tableNamesSync(text: string): string[] {
    return this.requestSync({ tables: text }).tables ?? [];
  }

  stop(): void {
    void this.worker?.terminate();
    this.asyncPort?.close();
    this.syncPort?.close();
    this.worker = undefined;
    for (const resolve of this.pending.values()) resolve({ failed: 'the DuckDB parser thread stopped' });
    this.pending.clear();
  }

  private spawn(): Promise<void> {
    const asyncChannel = new MessageChannel();
    const syncChannel = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    const duckdb = createRequire(import.meta.url).resolve('@duckdb/node-api');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { duckdb, flag: shared, async: asyncChannel.port2, sync: syncChannel.port2 },
      transferList: [asyncChannel.port2, syncChannel.port2],
    });
    worker.unref();
    this.worker = worker;
    this.asyncPort = asyncChannel.port1;
    this.syncPort = syncChannel.port1;
    this.flag = new Int32Array(shared);
    return new Promise((resolve, reject) => {
      const port = asyncChannel.port1;
      worker.once('error', (error) => reject(error));
      port.on('message', (reply: Reply) => {
        if (reply.ready) {
          port.unref();
          resolve();
        } else if (reply.failed !== undefined) reject(new Error(`DuckDB parser failed to start: ${reply.failed}`));
        else if (reply.id !== undefined) {
          const done = this.pending.get(reply.id);
          this.pending.delete(reply.id);
          if (this.pending.size === 0) port.unref();
          done?.(reply);
        }
      });
      port.ref(); // until ready
    });
  }

  private request(message: { texts?: string[]; tables?: string }): Promise<Reply> {
    const port = this.asyncPort;
    if (!port) return Promise.reject(new Error('the DuckDB parser thread is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => (reply.failed !== undefined ? reject(new Error(reply.failed)) : resolve(reply)));
      port.ref();
      port.postMessage({ id, ...message });
    });
  }

  private requestSync(message: { texts?: string[]; tables?: string }): Reply {
    if (!this.worker) void this.start();
    const port = this.syncPort;
    const flag = this.flag;
    if (!port || !flag) throw new Error('the DuckDB parser thread is not running');
    const id = this.nextId++;
    Atomics.store(flag, 0, 0);
    port.postMessage({ id, ...message });
    for (;;) {
      const outcome = Atomics.wait(flag, 0, 0, SYNC_TIMEOUT_MS);
      const received = receiveMessageOnPort(port);
      if (received !== undefined) {
        const reply = received.message as Reply;
        if (reply.id === id) return reply;
        continue;
      }
      if (outcome === 'timed-out') throw new Error('the DuckDB parser thread did not answer');
      Atomics.store(flag, 0, 0);
    }
  }
}
