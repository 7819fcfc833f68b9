import { userInfo } from 'node:os';

/** The local user, as the audit trail records a reader: `local:<name>`. */
export function localUser(env: Readonly<Record<string, string | undefined>>): string {
  let name = env['USER'] ?? env['LOGNAME'];
  if (!name)
    try {
      name = userInfo().username;
    } catch {
      name = 'unknown';
    }
  return `local:${name}`;
}
