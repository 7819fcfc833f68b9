import { jsonText } from '../../domain/typed-json.js';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Platform } from '../../composition.js';
import { generatePlans } from '../../application/generate/generate-plans.js';
import { EXIT, painter, type CliIO } from '../output.js';
import { formatHuman, toJson } from './validate.js';
import { commandTarget, nothingToValidate } from '../workspace-location.js';

export interface GenerateOptions {
  readonly workspace?: string;
  readonly out?: string;
  readonly json?: boolean;
}

/** `hekima generate [workspace] [--out DIR] [--json]`: writes `<out>/<product>/<version>.json`. */
export async function runGenerate(
  platform: Platform,
  io: CliIO,
  path: string | undefined,
  options: GenerateOptions,
): Promise<number> {
  const target = commandTarget(platform, io, path, options.workspace);
  const scope = target.scope === '.' && target.kind === 'workspace' ? '' : target.scope;
  const started = performance.now();
  const result = await generatePlans(platform.validationDeps(target.root), { scope });
  if (result.ok && result.plans.length === 0 && !target.hasConfig) throw nothingToValidate(io, target.root, 'generate');
  if (!result.ok) {
    if (options.json) io.stdout.write(jsonText({ generated: false, ...toJson(result.validation) }));
    else {
      io.stdout.write(
        formatHuman(
          result.validation,
          io,
          relative(io.cwd, target.root).split(sep).join('/'),
          'full',
          performance.now() - started,
        ),
      );
      io.stderr.write('hekima: no plans generated: fix the errors above first\n');
    }
    return EXIT.findings;
  }
  const outDir = options.out ? resolve(io.cwd, options.out) : join(target.root, '.hekima', 'plans');
  const written: { product: string; version: string; file: string; hash: string }[] = [];
  for (const plan of result.plans) {
    const file = join(outDir, ...plan.path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, plan.text);
    await rename(temp, file);
    written.push({
      product: plan.product,
      version: plan.version,
      file: relative(io.cwd, file).split(sep).join('/'),
      hash: plan.plan.hash,
    });
  }
  if (options.json) io.stdout.write(jsonText({ generated: true, plans: written }));
  else {
    const paint = painter(io);
    for (const w of written)
      io.stdout.write(
        `${paint('green', '✔')} ${w.product}@${w.version}  ${paint('gray', w.hash.slice(0, 12))}  ${w.file}\n`,
      );
    io.stdout.write(
      `${written.length} plan${written.length === 1 ? '' : 's'} written to ${relative(io.cwd, outDir) || '.'}\n`,
    );
  }
  return EXIT.ok;
}
