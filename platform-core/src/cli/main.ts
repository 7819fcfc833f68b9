import { Command, CommanderError } from 'commander';
import { createPlatform, type Platform } from '../composition.js';
import { runValidate, type ValidateOptions } from './commands/validate.js';
import { runSchema } from './commands/schema.js';
import { runExplain } from './commands/explain.js';
import { runInit, type InitOptions } from './commands/init.js';
import { runWorker, type WorkerOptions } from './commands/worker.js';
import { runDiagnose, type DiagnoseOptions } from './commands/diagnose.js';
import { runExecutionShow, runExecutions, runWorkers, type ExecutionsOptions } from './commands/executions.js';
import { runTest, type TestOptions } from './commands/test.js';
import { runGenerate, type GenerateOptions } from './commands/generate.js';
import { runConnectionTest, type ConnectionTestOptions } from './commands/connection.js';
import { registerDlqCommands } from './commands/dlq.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerQueryCommand } from './commands/query.js';
import { registerSetupCommand, registerTenantCommands } from './commands/tenant.js';
import { runRun, type RunOptions } from './commands/run.js';
import { runLineage, type LineageOptions } from './commands/lineage.js';
import { EXIT, UsageError, type CliIO } from './output.js';
import { stateWorkspaceRule, WORKSPACE_FLAGS, WORKSPACE_HELP, WORKSPACE_RULE } from './workspace-location.js';

const VERSION = '0.1.0';

/** Runs the `hekima` command line; returns the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIO,
  platform: Platform = createPlatform(),
): Promise<number> {
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
    .argument('[path]', 'workspace, product folder or manifest file (default: the workspace, see below)')
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--fast', 'schema checks only (no cross-file or cross-product rules)')
    .option('--strict', 'full validation plus style rules')
    .option('--json', 'print {"valid", "errors", "warnings"} as JSON')
    .action(async (path: string | undefined, options: ValidateOptions) => {
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

  program
    .command('worker')
    .description('Run workers that claim and execute ready executions until SIGINT/SIGTERM')
    .option('--steps <module>', 'module exporting createStepRuntime (synthetic steps; default: run deployed products)')
    .option(
      WORKSPACE_FLAGS,
      `${WORKSPACE_HELP}; its connections and Python files serve the products (server mode: optional)`,
    )
    .option('--workers <n>', 'workers in this process (default 1; embedded mode 2)')
    .option('--concurrency <n>', 'executions each worker runs at once (default: CPU cores)')
    .option('--cpu <quantity>', 'CPU to advertise, e.g. 4 or 1500m (default: the cores)')
    .option('--memory <quantity>', 'memory to advertise, e.g. 8Gi (default: 80% of RAM)')
    .option('--placement <policy>', 'akoscore | fifo', 'akoscore')
    .option('--alpha <weight>', 'AkôScore weight in [0,1]: 0 run time, 1 memory fit', '0.5')
    .option('--lease <duration>', 'lease per claim, e.g. 30s (heartbeats every third)')
    .option('--poll <duration>', 'poll for work this often without a wake-up, e.g. 1s')
    .option('--drain <duration>', 'on stop, let running executions finish this long, e.g. 30s')
    .option('--id <id>', 'worker id (default host-pid-random)')
    .option('--no-sensor', 'do not run the correlation engine here (event subscriptions, deadline sweep)')
    .option('--no-audit', 'do not run the audit consumer here (leave the audit trail to other workers)')
    .action(async (options: WorkerOptions) => {
      exitCode = await runWorker(io, options);
    });

  program
    .command('workers')
    .description('List live workers with their capacity')
    .option(WORKSPACE_FLAGS, `${WORKSPACE_HELP} (server mode: optional)`)
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean; workspace?: string }) => {
      exitCode = await runWorkers(io, options);
    });

  const clearanceHelp =
    'your clearance for check samples and values (default: HEKIMA_CLEARANCE, hekima.yaml, internal)';
  const executions = program
    .command('executions')
    .description("List the workspace tenant's executions with their product, state and reason, newest first")
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--tenant <slug>', "tenant (default: hekima.yaml's tenant)")
    .option('--state <state>', 'only executions in this state (e.g. ready)')
    .option('--limit <n>', 'page size (1–100)', '20')
    .option('--clearance <level>', clearanceHelp)
    .option('--json', 'print the page as JSON')
    .action(async (options: ExecutionsOptions) => {
      exitCode = await runExecutions(io, platform, options);
    });
  executions
    .command('show')
    .description('One execution: its transitions and quality check results (masked per your clearance)')
    .argument('<id>', 'execution id')
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--tenant <slug>', "tenant (default: hekima.yaml's tenant)")
    .option('--clearance <level>', clearanceHelp)
    .option('--json', 'print as JSON')
    .action(async (id: string, _o: ExecutionsOptions, cmd: Command) => {
      // `executions` and `show` share option names: commander may give them to either.
      exitCode = await runExecutionShow(io, platform, id, cmd.optsWithGlobals<ExecutionsOptions>());
    });

  program
    .command('diagnose')
    .description(
      'Why an execution failed, where in the workspace, and what to do next (default: the newest failed one)',
    )
    .argument('[execution]', 'execution id (any state)')
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--product <name>', 'the newest failed execution of this product')
    .option('--tenant <slug>', "tenant (default: hekima.yaml's tenant)")
    .option('--clearance <level>', clearanceHelp)
    .option('--json', 'print the report as JSON (docs/diagnose.md)')
    .action(async (id: string | undefined, options: DiagnoseOptions) => {
      exitCode = await runDiagnose(io, platform, id, options);
    });

  program
    .command('generate')
    .description('Write the deterministic plan of every product version (refused while validation has errors)')
    .argument('[path]', 'workspace or product folder (default: the workspace, see below)')
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--out <dir>', 'plans folder (default: <workspace>/.hekima/plans)')
    .option('--json', 'print the written plans (or the validation errors) as JSON')
    .action(async (path: string | undefined, options: GenerateOptions) => {
      exitCode = await runGenerate(platform, io, path, options);
    });

  program
    .command('test')
    .description("Run a product's logic on tests/fixtures and compare with expected_output")
    .argument('<product>', 'product name (metadata.name) or folder')
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--json', 'print the report as JSON')
    .action(async (product: string, options: TestOptions) => {
      exitCode = await runTest(platform, io, product, options);
    });

  program
    .command('lineage')
    .description("Where a product's columns come from (--up) or go (--down): column-level lineage from the SQL")
    .argument('<product>', 'product name (metadata.name)')
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--column <column>', 'one output column (default: every column of the product)')
    .option('--up', 'upstream: where the values come from (default)')
    .option('--down', 'downstream: what is computed from them')
    .option('--both', 'upstream and downstream')
    .option('--depth <n>', 'product hops to follow', '2')
    .option('--direct-only', 'leave out indirect edges (filters, joins, conditions)')
    .option('--format <format>', 'text | json | mermaid', 'text')
    .option('--json', 'same as --format json')
    .action(async (product: string, options: LineageOptions) => {
      exitCode = await runLineage(platform, io, product, options);
    });

  program
    .command('connection')
    .description('Connections of hekima.yaml')
    .command('test')
    .description("Check that a connection of hekima.yaml is reachable (secrets from the environment's env:NAME)")
    .argument('<name>', 'connection name')
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--timeout <seconds>', 'give up after this long', '30')
    .option('--json', 'print {"ok", "connection", …} as JSON')
    .action(async (name: string, options: ConnectionTestOptions) => {
      exitCode = await runConnectionTest(platform, io, name, options);
    });

  program
    .command('run')
    .description('Validate, deploy, then ingest, transform, gate and serve every product in dependency order')
    .argument('[workspace]', 'the workspace folder, as --workspace (kept for compatibility)')
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--product <name>', 'run only this product and what it needs')
    .option('--tenant <slug>', "tenant (default: hekima.yaml's tenant)")
    .option('--concurrency <n>', 'independent products run at once, within CPU and memory (default: CPU cores)')
    .option('--json', 'print the summary as JSON')
    .action(async (path: string | undefined, options: RunOptions) => {
      exitCode = await runRun(platform, io, path, options);
    });

  // Runtime state of the workspace (catalog, events): `--workspace DIR`, config from the environment.
  registerDlqCommands(program, io, platform, (code) => (exitCode = code));
  registerAuditCommands(program, io, platform, (code) => (exitCode = code));
  registerQueryCommand(program, io, platform, (code) => (exitCode = code));
  // Server mode from the CLI: tenants and the set-up of the catalog database.
  registerSetupCommand(program, io, platform, (code) => (exitCode = code));
  registerTenantCommands(program, io, platform, (code) => (exitCode = code));

  program.addHelpText('after', `\n${WORKSPACE_RULE}\n`);
  for (const cmd of program.commands)
    if (!['schema', 'explain', 'init', 'help'].includes(cmd.name())) stateWorkspaceRule(cmd);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`hekima: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
