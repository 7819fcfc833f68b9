import { posix } from 'node:path';
import { semver } from '../../domain/semver.js';
import { classificationRank, type Classification } from '../../domain/classification.js';
import { CONNECTORS, connectorSpec } from '../../domain/connectors.js';
import { CONNECTION_TYPES, type ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import { DOMAIN_PATTERN } from '../../domain/manifest/schemas/common.js';
import { MANIFEST_FILES, WORKSPACE_CONFIG_FILE } from '../../domain/manifest/kinds.js';
import { didYouMean, nearest } from '../../domain/nearest.js';
import {
  computeYaml,
  connectorInputsYaml,
  outputYaml,
  productInputsYaml,
  productYaml,
  qualityYaml,
  servingYaml,
  type CheckText,
  type ConnectorInputText,
  type EndpointText,
} from './manifest-templates.js';
import { isProductName, PRODUCT_NAME_RULE, productNameFrom, snake, suggestProductName } from './naming.js';
import { fixtureCsv, planQuery, type FixtureTable, type PlanInput, type ScaffoldColumn } from './query-plan.js';
import {
  SOURCE_SAMPLE,
  sourceLogic,
  standaloneAggregateLogic,
  standaloneConsumerLogic,
  type SampleLogic,
} from './sample-logic.js';
import { sqlComment, toCsv } from './text.js';
import { addConnection, newWorkspaceConfig, type NewConnection } from './workspace-config-edit.js';

/**
 * The use case behind `hekima init`: everything a new data product needs, valid at once.
 * Pure: it reads a view of the workspace and returns the files to write; the caller does I/O.
 */

export const ARCHETYPES = ['source', 'aggregate', 'consumer'] as const;
export type Archetype = (typeof ARCHETYPES)[number];

export const DEFAULT_CONNECTION_NAME = 'local-files';
const CONNECTION_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const DOMAIN_RE = new RegExp(DOMAIN_PATTERN);

/** A product of the workspace, as far as scaffolding needs it. */
export interface ExistingProduct {
  readonly name: string;
  /** Folder relative to the workspace root. */
  readonly folder: string;
  readonly domain: string | undefined;
  readonly version: string | undefined;
  readonly owner: string | undefined;
  readonly classification: Classification | undefined;
  readonly columns: readonly ScaffoldColumn[];
}

export interface ExistingConnection {
  readonly name: string;
  /** undefined when hekima.yaml gives no valid type. */
  readonly type: ConnectionType | undefined;
  readonly config: Readonly<Record<string, unknown>>;
}

/** What scaffolding reads of the workspace. */
export interface WorkspaceView {
  readonly products: readonly ExistingProduct[];
  /** Text of hekima.yaml at the workspace root; undefined when the workspace has none. */
  readonly configText: string | undefined;
  /** Team names of hekima.yaml; undefined when it declares none. */
  readonly teams: readonly string[] | undefined;
  readonly connections: readonly ExistingConnection[];
  /** Whether a file exists, by path relative to the workspace root. */
  exists(path: string): boolean;
  /**
   * Without hekima.yaml: the tenant of the hekima.yaml to create at the workspace root (every
   * archetype); absent, only a source archetype creates one (for its connection), without tenant.
   */
  readonly newConfigTenant?: string;
}

export interface ScaffoldRequest {
  readonly name: string;
  readonly archetype: string;
  /** The product folder to create, relative to the workspace root (forward slashes). */
  readonly folder: string;
  readonly domain?: string | undefined;
  readonly owner?: string | undefined;
  readonly inputs?: readonly string[] | undefined;
  readonly connection?: string | undefined;
}

export interface ScaffoldFile {
  /** Path relative to the workspace root. */
  readonly path: string;
  readonly content: string;
}

export interface ChangedFile extends ScaffoldFile {
  /** What changed, in words. */
  readonly summary: string;
}

/** An input of the logic with its fixture rows; `columns` types them (absent: as read from a file, text). */
export interface SampleInput {
  readonly id: string;
  readonly columns?: readonly ScaffoldColumn[];
  readonly table: FixtureTable;
}

/**
 * What the engine runs to write tests/fixtures/expected_output.csv: the product's SQL over its
 * fixture rows (`withExpectedOutput`). The scaffold never computes a result itself.
 */
export interface ExpectedOutputRun {
  /** expected_output.csv, relative to the workspace root. */
  readonly path: string;
  /** logic/transform.sql, relative to the workspace root (for error positions). */
  readonly logicFile: string;
  readonly sql: string;
  readonly inputs: readonly SampleInput[];
  readonly output: readonly ScaffoldColumn[];
}

export interface ScaffoldResult {
  readonly archetype: Archetype;
  /**
   * New files: the product folder's, then any other (a sample data file, a new hekima.yaml).
   * Without tests/fixtures/expected_output.csv until `withExpectedOutput` adds it.
   */
  readonly created: readonly ScaffoldFile[];
  readonly expectedOutput: ExpectedOutputRun;
  /** Existing files rewritten (hekima.yaml gaining a connection). */
  readonly changed: readonly ChangedFile[];
  readonly notes: readonly string[];
}

export type ScaffoldOutcome =
  { readonly ok: true; readonly result: ScaffoldResult } | { readonly ok: false; readonly error: string };

const fail = (error: string): ScaffoldOutcome => ({ ok: false, error });

/** Checks a product name; the message states the rule and a valid name close to it. */
export function checkProductName(name: string): string | undefined {
  if (isProductName(name)) return undefined;
  const suggestion = suggestProductName(name);
  const why = name.length > 63 ? ` ('${name.slice(0, 20)}…' has ${name.length} characters)` : '';
  return `'${name}' is not a valid product name${why}: ${PRODUCT_NAME_RULE}.${suggestion && suggestion !== name ? ` Try '${suggestion}'.` : ''}`;
}

export function checkArchetype(archetype: string): Archetype | string {
  if ((ARCHETYPES as readonly string[]).includes(archetype)) return archetype as Archetype;
  return `unknown archetype '${archetype}': use one of ${ARCHETYPES.join(', ')} (source reads an external system through a connection, aggregate combines other products, consumer shapes products for one use case).${didYouMean(archetype, ARCHETYPES)}`;
}

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [v, n] of counts) {
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}

/** 'a', 'a and b', 'a, b and c'. */
function prose(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function listNames(names: readonly string[], max = 12): string {
  const sorted = [...names].sort();
  return sorted.length <= max
    ? sorted.join(', ')
    : `${sorted.slice(0, max).join(', ')} and ${sorted.length - max} more`;
}

interface Context {
  readonly request: ScaffoldRequest;
  readonly archetype: Archetype;
  readonly view: WorkspaceView;
  readonly notes: string[];
}

function resolveDomain(ctx: Context, upstream: readonly ExistingProduct[]): string | ScaffoldOutcome {
  const given = ctx.request.domain;
  if (given !== undefined) {
    if (!DOMAIN_RE.test(given)) {
      const suggestion = given
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^[^a-z]+/, '')
        .slice(0, 63);
      return fail(
        `--domain '${given}' is not a valid domain: it starts with a lowercase letter, then up to 62 lowercase letters, digits or hyphens.${suggestion && DOMAIN_RE.test(suggestion) ? ` Try '${suggestion}'.` : ''}`,
      );
    }
    return given;
  }
  const fromInputs = mostCommon(upstream.map((p) => p.domain));
  if (fromInputs !== undefined) return fromInputs;
  const fromWorkspace = mostCommon(ctx.view.products.map((p) => p.domain));
  if (fromWorkspace !== undefined) {
    ctx.notes.push(
      `domain '${fromWorkspace}' is the one most products of the workspace use; pass --domain to choose another`,
    );
    return fromWorkspace;
  }
  ctx.notes.push(
    `domain 'general' is a default; pass --domain (or edit metadata.domain in product.yaml) to file the product under its business domain`,
  );
  return 'general';
}

function resolveOwner(ctx: Context, upstream: readonly ExistingProduct[], domain: string): string | ScaffoldOutcome {
  const teams = ctx.view.teams;
  const given = ctx.request.owner;
  if (given !== undefined) {
    if (given.trim() === '') return fail('--owner is empty: give the team that owns the product');
    if (teams !== undefined && teams.length > 0 && !teams.includes(given)) {
      return fail(
        `--owner '${given}' is not a team of ${WORKSPACE_CONFIG_FILE} (teams: ${listNames(teams)}).${didYouMean(given, teams)} Add the team to ${WORKSPACE_CONFIG_FILE} or pass one of them.`,
      );
    }
    return given;
  }
  const candidates = [...upstream.map((p) => p.owner), mostCommon(ctx.view.products.map((p) => p.owner))].filter(
    (o): o is string => o !== undefined,
  );
  if (teams !== undefined && teams.length > 0) {
    const owner = candidates.find((o) => teams.includes(o)) ?? teams[0] ?? '';
    ctx.notes.push(
      `owner '${owner}' was picked from the teams of ${WORKSPACE_CONFIG_FILE}; pass --owner to choose another`,
    );
    return owner;
  }
  const first = candidates[0];
  if (first !== undefined) {
    ctx.notes.push(
      `owner '${first}' was taken from ${upstream.length ? 'the upstream products' : 'the other products of the workspace'}; pass --owner to choose another`,
    );
    return first;
  }
  const placeholder = `${domain}-team`;
  ctx.notes.push(`owner '${placeholder}' is a placeholder: pass --owner or edit metadata.owner in product.yaml`);
  return placeholder;
}

function resolveUpstream(ctx: Context): ExistingProduct[] | ScaffoldOutcome {
  const ids = ctx.request.inputs ?? [];
  const seen = new Set<string>();
  const out: ExistingProduct[] = [];
  const names = ctx.view.products.map((p) => p.name);
  for (const id of ids) {
    if (seen.has(id)) return fail(`--input '${id}' is given twice; name each upstream product once`);
    seen.add(id);
    if (id === ctx.request.name)
      return fail(`--input '${id}' is the product being created; a product cannot read itself`);
    const product = ctx.view.products.find((p) => p.name === id);
    if (!product) {
      const near = nearest(id, names);
      const known = names.length
        ? ` Products of the workspace: ${listNames(names)}.`
        : ' The workspace has no products yet: create the upstream products first.';
      return fail(
        `--input '${id}' is not a product of the workspace (no product.yaml has metadata.name '${id}').${near ? ` Did you mean '${near}'?` : ''}${known}`,
      );
    }
    if (product.columns.length === 0) {
      return fail(
        `--input '${id}' has no usable columns in ${product.folder}/output.yaml; fix that product first (hekima validate ${product.folder})`,
      );
    }
    if (!product.columns.some((c) => c.primaryKey)) {
      return fail(
        `--input '${id}' declares no primary key in ${product.folder}/output.yaml; mark its key column(s) with primary_key: true first`,
      );
    }
    out.push(product);
  }
  return out;
}

function inputVersion(product: ExistingProduct): string | undefined {
  const v = product.version === undefined ? null : semver.valid(product.version);
  return v === null ? undefined : `^${v}`;
}

/** The classification: at least internal, and at least every input's (the high-water mark). */
function classify(upstream: readonly ExistingProduct[]): { level: Classification; reason: string } {
  let level: Classification = 'internal';
  let from: ExistingProduct | undefined;
  for (const p of upstream) {
    if (p.classification !== undefined && classificationRank(p.classification) > classificationRank(level)) {
      level = p.classification;
      from = p;
    }
  }
  return from
    ? { level, reason: `At least '${level}', the classification of input ${from.name} (high-water mark).` }
    : {
        level,
        reason: 'public | internal | confidential | restricted; at least the highest classification of any input.',
      };
}

interface SourcePlan {
  readonly connection: ExistingConnection;
  readonly input: ConnectorInputText;
  readonly sample: ScaffoldFile | undefined;
  readonly newConnection: NewConnection | undefined;
}

function sampleDataPath(connectionPath: unknown, file: string): string | undefined {
  const base = typeof connectionPath === 'string' && connectionPath.trim() !== '' ? connectionPath.trim() : '.';
  if (posix.isAbsolute(base) || /^[a-zA-Z]:[\\/]/.test(base) || base.includes('://')) return undefined;
  const joined = posix.normalize(posix.join(base.replace(/\\/g, '/'), file));
  return joined.startsWith('../') ? undefined : joined;
}

function planSource(ctx: Context): SourcePlan | ScaffoldOutcome {
  const { view, request, notes } = ctx;
  const name = request.name;
  const inputId = name.startsWith('raw-') ? productNameFrom(name, 'extract') : productNameFrom('raw', name);
  let connection: ExistingConnection | undefined;
  let newConnection: NewConnection | undefined;
  const requested = request.connection;
  if (requested !== undefined) {
    connection = view.connections.find((c) => c.name === requested);
    if (!connection) {
      if (view.connections.length > 0) {
        const names = view.connections.map((c) => c.name);
        return fail(
          `--connection '${requested}' is not a connection of ${WORKSPACE_CONFIG_FILE}.${didYouMean(requested, names)} Connections: ${listNames(names)}.`,
        );
      }
      if (!CONNECTION_NAME.test(requested) || requested.length > 63) {
        return fail(
          `--connection '${requested}' is not a valid connection name: lowercase letters, digits, '_' and '-', starting with a letter or digit, at most 63 characters`,
        );
      }
    }
  } else if (view.connections.length > 0) {
    connection = view.connections.find((c) => c.type === 'file') ?? view.connections[0];
    if (connection && view.connections.length > 1) {
      notes.push(
        `read through connection '${connection.name}' (${connection.type ?? 'unknown type'}); ${WORKSPACE_CONFIG_FILE} also has ${listNames(view.connections.filter((c) => c !== connection).map((c) => c.name))}: pass --connection to choose`,
      );
    }
  }
  if (!connection) {
    newConnection = {
      name: requested ?? DEFAULT_CONNECTION_NAME,
      type: 'file',
      description: 'Local files under data/ (added by hekima init).',
      config: { path: 'data/', format: 'csv' },
    };
    connection = { name: newConnection.name, type: 'file', config: newConnection.config };
  }
  const type = connection.type;
  if (type === undefined || !connectorSpec(type)) {
    return fail(
      `connection '${connection.name}' in ${WORKSPACE_CONFIG_FILE} has no valid type (one of ${CONNECTION_TYPES.join(', ')}); fix ${WORKSPACE_CONFIG_FILE} first`,
    );
  }
  const table = snake(name);
  let strategy: string;
  let config: ConnectorInputText['config'];
  let comment: string;
  let sample: ScaffoldFile | undefined;
  switch (CONNECTORS[type].category) {
    case 'database':
      strategy = 'incremental';
      config = [
        ['table', table],
        ['cursor_field', 'updated_at'],
        ['primary_key', 'id'],
      ];
      comment = `Rows of table ${table} changed since the last run (updated_at > last high-water mark), upserted by id.`;
      notes.push(
        `the extract reads table '${table}' (columns id, name, updated_at) through '${connection.name}' (${type}); point ingestion_config.table and logic/transform.sql at your real table`,
      );
      break;
    case 'api':
      strategy = 'api_poll';
      config = [['endpoint', `/${name}`]];
      comment = `Polls GET {base_url}/${name} on every run.`;
      notes.push(
        `the extract polls endpoint '/${name}' of '${connection.name}' (http), expected to return records with id, name, updated_at; adjust ingestion_config.endpoint and the SQL to the real API`,
      );
      break;
    case 'streaming':
      strategy = 'stream';
      config = [['topic', name]];
      comment = `Consumes topic ${name} continuously.`;
      notes.push(
        `the extract consumes topic '${name}' of '${connection.name}' (${type}), expected to carry records with id, name, updated_at; adjust ingestion_config.topic and the SQL to the real events`,
      );
      break;
    default: {
      const file = `${name}.csv`;
      if (type === 'file') {
        strategy = 'full_refresh';
        config = [
          ['path', file],
          ['format', 'csv'],
        ];
        comment = `Reads ${file} under the connection path in full on every run.`;
        const path = sampleDataPath(connection.config['path'], file);
        if (path === undefined) {
          notes.push(
            `put a CSV file with the columns ${SOURCE_SAMPLE.header.join(', ')} at ${String(connection.config['path'])}/${file}: connection '${connection.name}' reads outside the workspace`,
          );
        } else if (view.exists(path)) {
          notes.push(
            `${path} already exists and is read as it is; it must have the columns ${SOURCE_SAMPLE.header.join(', ')} (or adapt logic/transform.sql and output.yaml)`,
          );
        } else {
          sample = { path, content: toCsv(SOURCE_SAMPLE.header, SOURCE_SAMPLE.rows) };
          notes.push(`${path} holds sample rows for a first run; replace it with the real extract`);
        }
      } else {
        strategy = 'file_watch';
        config = [
          ['path', `${name}/`],
          ['format', 'csv'],
        ];
        comment = `Picks up each new CSV file under ${name}/ of the bucket or server.`;
        notes.push(
          `the extract watches '${name}/' of '${connection.name}' (${type}) for CSV files with the columns ${SOURCE_SAMPLE.header.join(', ')}; adjust ingestion_config.path and the SQL to the real files`,
        );
      }
    }
  }
  if (!(CONNECTORS[type].strategies as readonly string[]).includes(strategy)) {
    return fail(`internal: strategy ${strategy} is not supported by connection type ${type}`);
  }
  return {
    connection,
    input: { id: inputId, connection: connection.name, strategy, config, comment },
    sample,
    newConnection,
  };
}

function qualityChecks(archetype: Archetype, output: readonly ScaffoldColumn[]): CheckText[] {
  const keys = output.filter((c) => c.primaryKey).map((c) => c.name);
  const nonKey = output.filter((c) => !c.primaryKey);
  const completeCol = nonKey.find((c) => c.role !== 'measure') ?? nonKey[0] ?? output[0];
  const checks: CheckText[] = [];
  if (completeCol) {
    checks.push({
      name: `${completeCol.name}_complete`.slice(0, 63),
      type: 'completeness',
      description: `At least 99% of rows have ${completeCol.name}.`,
      column: completeCol.name,
      threshold: 0.99,
    });
  }
  checks.push({
    name: 'unique_key',
    type: 'uniqueness',
    description: `No two rows share ${keys.join(' + ')}.`,
    columns: keys,
  });
  checks.push({
    name: 'not_empty',
    type: 'volume',
    description: 'A run that produces no rows is not promoted.',
    minRows: 1,
  });
  const count =
    archetype === 'aggregate'
      ? nonKey.find((c) => c.type === 'integer' && c.role === 'measure' && /_count$/.test(c.name))
      : undefined;
  if (count)
    checks.push({
      name: `${count.name}_not_negative`.slice(0, 63),
      type: 'range',
      description: `${count.name} is a count: never below zero.`,
      column: count.name,
      min: 0,
    });
  return checks;
}

function endpoints(
  archetype: Archetype,
  name: string,
  output: readonly ScaffoldColumn[],
  grain: string,
): EndpointText[] {
  const keys = output.filter((c) => c.primaryKey).map((c) => c.name);
  if (archetype === 'source')
    return [{ type: 'analytics', description: 'Ad-hoc analysis of the extract in the lake.' }];
  const lookup: EndpointText = {
    type: 'lookup',
    description: `Point lookups by ${keys.join(' and ')}.`,
    indexColumns: keys,
  };
  if (archetype === 'aggregate')
    return [lookup, { type: 'analytics', description: `Dashboards and ad-hoc analysis (${grain}).` }];
  const include = [
    ...keys,
    ...output
      .filter((c) => !c.primaryKey)
      .slice(0, 4)
      .map((c) => c.name),
  ];
  return [
    lookup,
    {
      type: 'realtime',
      description: `Sub-10 ms reads of the latest values by ${keys.join(' and ')} for the consuming application.`,
      keyTemplate: [name, ...keys.map((k) => `{${k}}`)].join(':'),
      ttl: '24h',
      includeColumns: include,
    },
  ];
}

/** Builds every file of a new product. Checks the name, the archetype and the options first. */
export function scaffoldProduct(request: ScaffoldRequest, view: WorkspaceView): ScaffoldOutcome {
  const nameError = checkProductName(request.name);
  if (nameError) return fail(nameError);
  const archetype = checkArchetype(request.archetype);
  if (!(ARCHETYPES as readonly string[]).includes(archetype)) return fail(archetype);
  const ctx: Context = { request, archetype: archetype as Archetype, view, notes: [] };
  const { name } = request;

  const clash = view.products.find((p) => p.name === name);
  if (clash)
    return fail(
      `a product named '${name}' already exists in ${clash.folder}/ (metadata.name in product.yaml); product names are unique in a workspace: choose another name`,
    );
  if (ctx.archetype === 'source' && request.inputs && request.inputs.length > 0) {
    return fail(
      '--input applies to aggregate and consumer products; a source product reads an external system through a connection (use --connection)',
    );
  }
  if (ctx.archetype !== 'source' && request.connection !== undefined) {
    return fail(
      `--connection applies to source products; a${ctx.archetype === 'aggregate' ? 'n' : ''} ${ctx.archetype} product reads other products (use --input)`,
    );
  }

  const upstream = resolveUpstream(ctx);
  if (!Array.isArray(upstream)) return upstream;
  const domain = resolveDomain(ctx, upstream);
  if (typeof domain !== 'string') return domain;
  const owner = resolveOwner(ctx, upstream, domain);
  if (typeof owner !== 'string') return owner;

  const folder = request.folder.replace(/\/+$/, '');
  const at = (rel: string) => (folder === '' || folder === '.' ? rel : `${folder}/${rel}`);
  const created: ScaffoldFile[] = [];
  const changed: ChangedFile[] = [];

  let logic: SampleLogic;
  let inputsText: string;
  let description: string;
  let source: SourcePlan | undefined;
  if (ctx.archetype === 'source') {
    const plan = planSource(ctx);
    if (!('input' in plan)) return plan;
    source = plan;
    logic = sourceLogic(name, plan.input.id, plan.connection.name);
    inputsText = connectorInputsYaml(plan.input);
    description = `Records of ${name} extracted through connection ${plan.connection.name} (${plan.connection.type ?? 'file'}) and typed to the output contract, one row per id.`;
  } else if (upstream.length === 0) {
    logic = ctx.archetype === 'aggregate' ? standaloneAggregateLogic(name) : standaloneConsumerLogic(name);
    inputsText = productInputsYaml([]);
    description = `${ctx.archetype === 'aggregate' ? 'Aggregate' : 'Consumer-aligned'} product computed from inline sample rows until its inputs are declared: ${logic.grain}.`;
    ctx.notes.push(
      'the product has no inputs yet (inputs: []): logic/transform.sql explains how to add one; `hekima validate` warns about it until you do',
    );
  } else {
    const plan = planQuery(
      upstream.map((p): PlanInput => ({ id: p.name, columns: p.columns })),
      ctx.archetype === 'aggregate' ? 'aggregate' : 'consumer',
    );
    const header = sqlComment([
      `${name}: ${ctx.archetype === 'aggregate' ? 'aggregate' : 'consumer-aligned'} product, ${plan.grain}.`,
      `Inputs are tables named by their id (${upstream.map((p) => p.name).join(', ')}); ids with hyphens are quoted.`,
      'Generated from the inputs’ output.yaml: adapt the joins and measures to the business question,',
      'and keep output.yaml and tests/fixtures/expected_output.csv in step with the SELECT list.',
    ]);
    logic = {
      sql: `${header}\n${plan.sql}\n`,
      output: plan.output,
      fixtures: plan.fixtures,
      grain: plan.grain,
    };
    ctx.notes.push(...plan.notes);
    inputsText = productInputsYaml(upstream.map((p) => ({ id: p.name, version: inputVersion(p) })));
    description =
      ctx.archetype === 'aggregate'
        ? `Aggregate of ${prose(upstream.map((p) => p.name))}: ${plan.grain}.`
        : `Consumer-aligned feed of ${prose(upstream.map((p) => p.name))} for one use case: ${plan.grain}.`;
  }

  const { level, reason } = classify(upstream);
  const grainNote = `The output contract: ${logic.grain}. It lists exactly the columns of the SELECT in logic/transform.sql.`;
  created.push(
    {
      path: at(MANIFEST_FILES.DataProduct),
      content: productYaml({
        name,
        domain,
        owner,
        description,
        tags: [ctx.archetype],
        classification: level,
        classificationReason: reason,
      }),
    },
    { path: at(MANIFEST_FILES.Inputs), content: inputsText },
    { path: at(MANIFEST_FILES.Output), content: outputYaml(logic.output, grainNote) },
    {
      path: at(MANIFEST_FILES.Serving),
      content: servingYaml(endpoints(ctx.archetype, name, logic.output, logic.grain)),
    },
    { path: at(MANIFEST_FILES.Quality), content: qualityYaml(qualityChecks(ctx.archetype, logic.output)) },
    {
      path: at(MANIFEST_FILES.Compute),
      content: computeYaml(
        ctx.archetype === 'source' ? { type: 'cron', expression: '0 6 * * *' } : { type: 'event' },
        upstream.length > 0
          ? 'Runs when every input has published new data (data.available).'
          : 'Runs when every input has published new data; with no inputs yet, run it by hand.',
      ),
    },
    { path: at('logic/transform.sql'), content: logic.sql },
  );
  for (const [id, table] of logic.fixtures)
    created.push({ path: at(`tests/fixtures/${id}.csv`), content: fixtureCsv(table) });
  const expectedOutput: ExpectedOutputRun = {
    path: at('tests/fixtures/expected_output.csv'),
    logicFile: at('logic/transform.sql'),
    sql: logic.sql,
    inputs: [...logic.fixtures].map(([id, table]) => {
      const columns = upstream.find((p) => p.name === id)?.columns;
      return { id, table, ...(columns ? { columns } : {}) };
    }),
    output: logic.output,
  };

  if (source) {
    if (source.sample) created.push(source.sample);
    if (source.newConnection) {
      const conn = source.newConnection;
      const what = `connection '${conn.name}' (type file, reading CSV files under data/)`;
      if (view.configText === undefined) {
        created.push({ path: WORKSPACE_CONFIG_FILE, content: newWorkspaceConfig(conn, view.newConfigTenant) });
        ctx.notes.push(
          `${WORKSPACE_CONFIG_FILE} was created at the workspace root with ${what}${tenantNote(view, ' and')}`,
        );
      } else {
        const edit = addConnection(view.configText, conn);
        if (!edit.ok) return fail(edit.error);
        changed.push({ path: WORKSPACE_CONFIG_FILE, content: edit.text, summary: `added ${what}` });
      }
    }
  }
  if (view.configText === undefined && view.newConfigTenant && !created.some((f) => f.path === WORKSPACE_CONFIG_FILE)) {
    created.push({ path: WORKSPACE_CONFIG_FILE, content: newWorkspaceConfig(undefined, view.newConfigTenant) });
    ctx.notes.push(`${WORKSPACE_CONFIG_FILE} was created at the workspace root${tenantNote(view, ' with')}`);
  }
  return { ok: true, result: { archetype: ctx.archetype, created, expectedOutput, changed, notes: ctx.notes } };
}

const tenantNote = (view: WorkspaceView, joiner: string): string =>
  view.newConfigTenant
    ? `${joiner} tenant '${view.newConfigTenant}' (the folder's name; edit \`tenant:\` to change it)`
    : '';
