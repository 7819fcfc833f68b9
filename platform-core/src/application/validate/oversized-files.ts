import type { Finding } from '../../domain/finding.js';
import { WORKSPACE_CONFIG_FILE } from '../../domain/manifest/kinds.js';
import { formatBytes, MAX_MAX_FILE_BYTES } from '../../domain/manifest/file-limits.js';

/** MAN-007: a manifest or logic file over the size limit, refused before it was read. */
export function oversizedFinding(file: string, bytes: number, limit: number, product: Finding['product']): Finding {
  const config = file === WORKSPACE_CONFIG_FILE;
  return {
    code: 'MAN-007',
    severity: 'error',
    product,
    file,
    path: '',
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
    message: `${file} is ${formatBytes(bytes)} (${bytes} bytes), over the ${formatBytes(limit)} limit for manifests and logic files: it was not read`,
    hint: config
      ? `hekima.yaml holds the tenant, teams and connections and may not exceed ${formatBytes(limit)} (the default limit, whatever limits.max_file_bytes says). Remove what does not belong there.`
      : `Manifests and logic files are written by hand and stay small; data belongs in inputs. If this file must be larger, ` +
        `raise \`limits.max_file_bytes\` in hekima.yaml (bytes, at most ${formatBytes(MAX_MAX_FILE_BYTES)}).`,
  };
}
