import { jsonSchemaText } from '../../domain/manifest/json-schema.js';
import { MANIFEST_FILES, MANIFEST_KINDS, resolveKindName } from '../../domain/manifest/kinds.js';
import { EXIT, UsageError, type CliIO } from '../output.js';

export function runSchema(io: CliIO, kind: string | undefined): number {
  if (kind === undefined) {
    io.stdout.write(
      'Kinds (hekima schema <kind> prints the JSON Schema, draft 2020-12):\n' +
        MANIFEST_KINDS.map(
          (k) => `  ${MANIFEST_FILES[k].replace('.yaml', '').padEnd(10)} ${k.padEnd(12)} ${MANIFEST_FILES[k]}`,
        ).join('\n') +
        `\n  ${'workspace'.padEnd(10)} ${'Workspace'.padEnd(12)} hekima.yaml\n`,
    );
    return EXIT.ok;
  }
  const resolved = resolveKindName(kind);
  if (!resolved) {
    throw new UsageError(
      `unknown kind '${kind}'; use one of: product, inputs, output, serving, quality, compute, workspace`,
    );
  }
  io.stdout.write(jsonSchemaText(resolved));
  return EXIT.ok;
}
