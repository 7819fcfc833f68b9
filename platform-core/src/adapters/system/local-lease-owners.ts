import { hostname } from 'node:os';

/**
 * Whether the process that holds an execution's lease has ended, from its worker id, for embedded
 * mode: every process sharing an embedded catalog runs on this machine, so a lease holder that is
 * no longer a live process was cut off (a crash, kill -9) and cannot commit anything. Knows the ids
 * `hekima run` (`hekima-run-<pid>`) and `hekima worker` (`<host>-<pid>-<hex>`) give themselves;
 * any other id answers false (its lease expires as in server mode).
 */
export function localLeaseOwnerGone(owner: string): boolean {
  const pid = pidOf(owner);
  if (pid === undefined || pid === process.pid) return false;
  try {
    process.kill(pid, 0); // signal 0: an existence check, nothing is sent
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function pidOf(owner: string): number | undefined {
  const run = /^hekima-run-(\d+)$/.exec(owner);
  const host = hostname();
  const worker = owner.startsWith(`${host}-`) ? /^(\d+)-[0-9a-f]{4}$/.exec(owner.slice(host.length + 1)) : null;
  const digits = run?.[1] ?? worker?.[1];
  const pid = digits === undefined ? NaN : Number(digits);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}
