import { readdirSync, readFileSync } from 'node:fs';

/** Whether a process exists and is not a zombie (Linux: /proc/<pid>/stat). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `condition` every 100 ms; throws naming `what` when it is still false after `withinMs`. */
export async function waitUntil(condition: () => boolean, withinMs: number, what: string): Promise<void> {
  const until = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out after ${withinMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The processes (Linux /proc) whose command line `match` accepts, with their arguments. */
export function findProcesses(match: (args: readonly string[]) => boolean): { pid: number; args: string[] }[] {
  const out: { pid: number; args: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue;
    }
    if (args.length > 0 && match(args) && isAlive(Number(entry))) out.push({ pid: Number(entry), args });
  }
  return out;
}
