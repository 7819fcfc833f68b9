import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const HEKIMA_BIN = `${root}platform-core/bin/hekima.js`;
const STEPS = fileURLToPath(new URL('./worker-steps.mjs', import.meta.url));

export interface WorkerProcess {
  readonly id: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Spawns `hekima worker` against the test schema and resolves once it reports ready. */
export async function spawnWorker(
  id: string,
  env: { url: string; schema: string; plans: Record<string, unknown> },
  args: readonly string[] = [],
  sensor = false,
  lease = '1s',
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [
      HEKIMA_BIN,
      'worker',
      '--steps',
      STEPS,
      '--id',
      id,
      '--lease',
      lease,
      '--poll',
      '100ms',
      '--drain',
      '2s',
      ...(sensor ? [] : ['--no-sensor']),
      ...args,
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        HEKIMA_DATABASE_URL: env.url,
        HEKIMA_DATABASE_SCHEMA: env.schema,
        HEKIMA_DATABASE_POOL_SIZE: '6',
        HEKIMA_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
        HEKIMA_TEST_PLANS: JSON.stringify(env.plans),
        HEKIMA_TEST_WORKER: id,
        HEKIMA_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const start = Date.now();
  while (!out.includes(' ready (')) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker ${id} exited early:\n${out}`);
    if (Date.now() - start > 60_000) throw new Error(`worker ${id} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { id, child, exited, output: () => out };
}
