import { Command, CommanderError } from 'commander';
import { createPlatform, type Platform } from '../composition.js';
import { runValidate } from './commands/validate.js';
import { runSchema } from './commands/schema.js';
import { runExplain } from './commands/explain.js';
import { runInit, type InitOptions } from './commands/init.js';
import { EXIT, UsageError, type CliIO } from './output.js';

const VERSION = '0.1.0';

/** Runs the `hekima` command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO, platform: Platform = createPlatform()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('hekima')
    .description('Hekima: declarative data products in the akili/v1 format.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError(true);

  program
    .command('validate')
    .description('Validate a workspace, a product folder or one manifest file')
    .argument('[path]', 'workspace, product folder or manifest file (default: current directory)')
    .option('--fast', 'schema checks only (no cross-file or cross-product rules)')
    .option('--strict', 'full validation plus style rules')
    .option('--json', 'print {"valid", "errors", "warnings"} as JSON')
    .action(async (path: string | undefined, options: { fast?: boolean; strict?: boolean; json?: boolean }) => {
      exitCode = await runValidate(platform, io, path, options);
    });

  program
    .command('init')
    .description('Scaffold a new data product with all six manifests')
    .argument('<name>', 'product name (metadata.name): lowercase letters, digits and hyphens')
    .option('--archetype <archetype>', 'source | aggregate | consumer', 'aggregate')
    .option('--dir <dir>', 'product folder to create (default: ./<name>)')
    .option('--domain <domain>', 'business domain (metadata.domain)')
    .option('--owner <team>', 'owning team (metadata.owner)')
    .option('--input <id...>', 'upstream product ids (aggregate, consumer)')
    .option('--connection <name>', 'connection of hekima.yaml (source)')
    .option('--json', 'print {"created", "changed", "notes"} as JSON')
    .action(async (name: string, options: InitOptions) => {
      exitCode = await runInit(platform, io, name, options);
    });

  program
    .command('schema')
    .description('Print the JSON Schema (draft 2020-12) of a manifest kind')
    .argument('[kind]', 'product | inputs | output | serving | quality | compute | workspace')
    .action((kind: string | undefined) => {
      exitCode = runSchema(io, kind);
    });

  program
    .command('explain')
    .description('Explain a validation rule: why it exists, a bad and a good example')
    .argument('[code]', 'rule code, e.g. XVAL-023 (omit to list every code)')
    .option('--json', 'print as JSON')
    .action((code: string | undefined, options: { json?: boolean }) => {
      exitCode = runExplain(io, code, options);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`hekima: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
