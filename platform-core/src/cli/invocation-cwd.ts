import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The folder the user ran `hekima` in. `npx hekima` inside a clone of the repository runs in the
 * nearest npm workspace package (e.g. `fixtures/`), not in the user's folder; npm passes that
 * folder as INIT_CWD. It is used when npm exec launched the process (`npm_command=exec`) and lies
 * at or below the process's folder, so that a stale INIT_CWD inherited by a child process started
 * elsewhere is ignored.
 */
export function invocationCwd(cwd: string, env: Readonly<Record<string, string | undefined>>): string {
  const init = env['INIT_CWD'];
  if (env['npm_command'] !== 'exec' || !init || !isAbsolute(init)) return cwd;
  const rel = relative(resolve(cwd), resolve(init));
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? cwd : resolve(init);
}
