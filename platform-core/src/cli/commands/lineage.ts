import { jsonText } from '../../domain/typed-json.js';
import type { Platform } from '../../composition.js';
import { buildLineage, type LineageRequest } from '../../application/lineage/lineage-graph.js';
import { lineageToMermaid, lineageToText } from '../../application/lineage/render-lineage.js';
import { ValidationSession } from '../../application/validate/validation-session.js';
import { EXIT, UsageError, type CliIO } from '../output.js';
import { locateWorkspace } from '../workspace-location.js';

export interface LineageOptions {
  readonly workspace?: string;
  readonly column?: string;
  readonly up?: boolean;
  readonly down?: boolean;
  readonly both?: boolean;
  readonly depth?: string;
  readonly directOnly?: boolean;
  readonly format?: string;
  readonly json?: boolean;
}

const FORMATS = ['text', 'json', 'mermaid'] as const;

/**
 * `hekima lineage <product>`: the product's (or one column's) lineage graph, upstream by
 * default. Exit 0 with a graph, 1 when the product or column does not exist, 2 for bad usage.
 */
export async function runLineage(
  platform: Platform,
  io: CliIO,
  product: string,
  options: LineageOptions,
): Promise<number> {
  const request = requestOf(product, options);
  const format = options.json ? 'json' : (options.format ?? 'text');
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format ${format}: use one of ${FORMATS.join(', ')}`);
  const root = locateWorkspace(io, options.workspace);
  const session = await ValidationSession.open(platform.validationDeps(root), 'full');
  const result = buildLineage(session, request);
  if (result.kind === 'not_found') {
    const hint = result.nearest === undefined ? '' : ` (did you mean '${result.nearest}'?)`;
    io.stderr.write(`hekima lineage: no ${result.what} '${result.name}' in the workspace${hint}\n`);
    return EXIT.findings;
  }
  const graph = result.graph;
  if (format === 'json') io.stdout.write(jsonText(graph));
  else if (format === 'mermaid') io.stdout.write(lineageToMermaid(graph));
  else io.stdout.write(lineageToText(graph));
  return EXIT.ok;
}

function requestOf(product: string, options: LineageOptions): LineageRequest {
  const directions = [options.up, options.down, options.both].filter(Boolean).length;
  if (directions > 1) throw new UsageError('--up, --down and --both exclude each other');
  const depth = options.depth === undefined ? 2 : Number(options.depth);
  if (!Number.isInteger(depth) || depth < 1) throw new UsageError(`--depth ${options.depth}: a whole number ≥ 1`);
  return {
    product,
    ...(options.column === undefined ? {} : { column: options.column }),
    direction: options.both ? 'both' : options.down ? 'down' : 'up',
    depth,
    directOnly: options.directOnly === true,
  };
}
