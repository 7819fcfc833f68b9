import { jsonText } from '../../domain/typed-json.js';
import { relative, sep } from 'node:path';
import type { Finding } from '../../domain/finding.js';
import { validateWorkspace, type ValidateResult } from '../../application/validate/validate-workspace.js';
import type { Platform } from '../../composition.js';
import type { RuleTier } from '../../application/validate/rule.js';
import { EXIT, painter, UsageError, type CliIO } from '../output.js';
import { commandTarget, nothingToValidate } from '../workspace-location.js';

export interface ValidateOptions {
  readonly workspace?: string;
  readonly fast?: boolean;
  readonly strict?: boolean;
  readonly json?: boolean;
}

export async function runValidate(
  platform: Platform,
  io: CliIO,
  path: string | undefined,
  options: ValidateOptions,
): Promise<number> {
  if (options.fast && options.strict)
    throw new UsageError(
      '--fast and --strict cannot be combined: --fast checks the schema only, --strict adds style rules to the full validation',
    );
  const tier: RuleTier = options.fast ? 'fast' : options.strict ? 'strict' : 'full';
  const target = commandTarget(platform, io, path, options.workspace);
  const started = performance.now();
  const result = await validateWorkspace(platform.validationDeps(target.root), {
    tier,
    scope: target.scope === '.' && target.kind === 'workspace' ? '' : target.scope,
  });
  const elapsed = performance.now() - started;
  if (result.productCount === 0 && !target.hasConfig) throw nothingToValidate(io, target.root, 'validate');
  if (options.json) {
    io.stdout.write(jsonText(toJson(result)));
  } else {
    const base = relative(io.cwd, target.root).split(sep).join('/');
    io.stdout.write(formatHuman(result, io, base, tier, elapsed));
  }
  return result.valid ? EXIT.ok : EXIT.findings;
}

export function toJson(result: ValidateResult): {
  valid: boolean;
  errors: Finding[];
  warnings: Finding[];
  infos: Finding[];
} {
  return { valid: result.valid, errors: [...result.errors], warnings: [...result.warnings], infos: [...result.infos] };
}

export function formatHuman(
  result: ValidateResult,
  io: CliIO,
  base: string,
  tier: RuleTier,
  elapsedMs: number,
): string {
  const paint = painter(io);
  const all = [...result.errors, ...result.warnings, ...result.infos].sort((a, b) =>
    a.file < b.file
      ? -1
      : a.file > b.file
        ? 1
        : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column,
  );
  const lines: string[] = [];
  let currentFile = '';
  for (const f of all) {
    const shown = base && base !== '.' ? `${base}/${f.file}` : f.file;
    if (f.file !== currentFile) {
      if (currentFile) lines.push('');
      lines.push(paint('underline', shown));
      currentFile = f.file;
    }
    const pos = `${f.range.start.line}:${f.range.start.column}`.padEnd(7);
    const sev =
      f.severity === 'error'
        ? paint('red', 'error  ')
        : f.severity === 'warning'
          ? paint('yellow', 'warning')
          : paint('blue', 'info   ');
    lines.push(`  ${paint('gray', pos)} ${sev}  ${f.message}  ${paint('gray', f.code)}`);
    for (const h of f.hint.split('\n')) lines.push(`  ${' '.repeat(7)}   ${paint('gray', '↳ ' + h)}`);
  }
  if (lines.length) lines.push('');
  const e = result.errors.length;
  const w = result.warnings.length;
  const i = result.infos.length;
  const files = new Set(all.map((f) => f.file)).size;
  const counts = `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}${i ? `, ${i} info` : ''}`;
  const scope = `${result.productCount} product${result.productCount === 1 ? '' : 's'}, ${tier} validation, ${Math.round(elapsedMs)} ms`;
  lines.push(
    e > 0
      ? paint('red', `✖ ${counts} in ${files} file${files === 1 ? '' : 's'} (${scope})`)
      : paint('green', `✔ valid: ${counts} (${scope})`),
  );
  return lines.join('\n') + '\n';
}
