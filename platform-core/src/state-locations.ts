import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { invalidArgument, isHekimaError, permanent } from './domain/errors.js';
import { SecretValue } from './domain/secret-value.js';

/**
 * Where the platform keeps what no connection may read (docs/security.md § Path confinement):
 *
 *   state folder   HEKIMA_STATE_DIR, else $XDG_STATE_HOME/hekima, else ~/.local/state/hekima.
 *                  Holds the embedded secret keys (`keys/<workspace id>.key`, 0600) and, in server
 *                  mode, the default lake (`lake/`).
 *   lake root      HEKIMA_LAKE (absolute); default `<workspace>/.hekima/lake` in embedded mode and
 *                  `<state folder>/lake` in server mode. Each tenant's snapshots live under
 *                  `tenant-<id>/` of it.
 *
 * Neither may be a folder a connection can name: inside the workspace they must sit under
 * `.hekima/` or a hidden folder (which connections never reach), else `invalid_config`.
 */

export const SECRET_KEY_FILE = 'secret.key';
const WORKSPACE_ID_FILE = 'workspace-id';

type Env = Readonly<Record<string, string | undefined>>;

const set = (v: string | undefined): v is string => v !== undefined && v !== '';

export function stateDirOf(env: Env, workspaceRoot: string): string {
  const dir = set(env['HEKIMA_STATE_DIR'])
    ? env['HEKIMA_STATE_DIR']
    : set(env['XDG_STATE_HOME'])
      ? join(env['XDG_STATE_HOME'], 'hekima')
      : join(set(env['HOME']) ? env['HOME'] : homedir(), '.local', 'state', 'hekima');
  return outOfReach('HEKIMA_STATE_DIR (the state folder)', dir, workspaceRoot);
}

export function lakeRootOf(env: Env, server: boolean, workspaceRoot: string, stateDir: string): string {
  if (set(env['HEKIMA_LAKE'])) return outOfReach('HEKIMA_LAKE (the lake root)', env['HEKIMA_LAKE'], workspaceRoot);
  return server ? join(stateDir, 'lake') : join(workspaceRoot, '.hekima', 'lake');
}

/** An absolute folder that no connection of the workspace can name, else `invalid_config`. */
function outOfReach(what: string, path: string, workspaceRoot: string): string {
  if (!isAbsolute(path)) throw invalidArgument('invalid_config', `${what} must be an absolute path (got "${path}").`);
  const full = resolve(path);
  const rel = relative(workspaceRoot, full);
  const within = rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  if (within && (rel === '' || !rel.split(sep).some((s) => s.startsWith('.'))))
    throw invalidArgument(
      'invalid_config',
      `${what} is ${full}, inside the workspace where a file connection could name it: choose a folder outside the workspace (or under its .hekima/).`,
    );
  return full;
}

/**
 * The embedded secret key, kept outside the workspace: `<state>/keys/<workspace id>.key` (0600),
 * where the workspace id is a random id stored in `.hekima/workspace-id` (so a moved workspace
 * keeps its key). A key left by an older version in `.hekima/secret.key` is moved there once
 * (copied, read back, then deleted); if both exist and differ, nothing is guessed: `secret_key_conflict`.
 */
export async function embeddedSecretKey(
  workspaceRoot: string,
  stateDir: string,
  check: (text: string) => string,
): Promise<{ key: SecretValue; source: 'file' | 'generated' | 'migrated'; file: string }> {
  const hekimaDir = join(workspaceRoot, '.hekima');
  await mkdir(hekimaDir, { recursive: true, mode: 0o700 });
  const id = await workspaceId(hekimaDir);
  const file = join(stateDir, 'keys', `${id}.key`);
  const legacy = join(hekimaDir, SECRET_KEY_FILE);
  const read = async (path: string) => {
    try {
      return SecretValue.of(check(await readFile(path, 'utf8')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw keyError(path, e);
    }
  };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const old = await read(legacy);
  if (old) {
    await writeOnce(file, `${old.reveal()}\n`).catch((e: unknown) => Promise.reject(keyError(file, e)));
    const now = await read(file);
    if (now?.reveal() !== old.reveal())
      throw permanent(
        'secret_key_conflict',
        `Two different embedded keys exist: ${legacy} (from an older version) and ${file}. Keep the one that decrypts your stored connection secrets in ${file} and delete the other.`,
      );
    await unlink(legacy).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
    return { key: now, source: 'migrated', file };
  }
  const existing = await read(file);
  if (existing) return { key: existing, source: 'file', file };
  const created = await writeOnce(file, `${randomBytes(32).toString('base64')}\n`).catch((e: unknown) =>
    Promise.reject(keyError(file, e)),
  );
  const key = await read(file);
  if (!key) throw keyError(file, new Error('the key file vanished after it was written'));
  return { key, source: created ? 'generated' : 'file', file };
}

/** The workspace's id (`.hekima/workspace-id`), created once. */
async function workspaceId(hekimaDir: string): Promise<string> {
  const path = join(hekimaDir, WORKSPACE_ID_FILE);
  await writeOnce(path, `${randomUUID()}\n`, 0o644);
  const id = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-f-]{36}$/.test(id))
    throw invalidArgument('invalid_config', `${path} does not hold a workspace id: delete it to make a new one.`);
  return id;
}

/**
 * Creates `path` with `text` unless it exists (false then), atomically: a concurrent reader sees
 * no file or the whole file (a temporary file is hard-linked into place).
 */
async function writeOnce(path: string, text: string, mode = 0o600): Promise<boolean> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, text, { mode, flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(temp, { force: true });
  }
}

function keyError(path: string, cause: unknown): Error {
  return isHekimaError(cause)
    ? invalidArgument('invalid_config', `${path} does not hold a valid key: ${cause.message}`)
    : permanent('secret_key_unreadable', `Cannot read or create ${path}.`, { cause });
}
