import type { Classification } from '../../domain/classification.js';
import type { WorkspaceLinks } from '../../domain/paths/confined-path.js';
import type { ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import { CONNECTION_TYPES } from '../../domain/manifest/schemas/workspace-config.js';
import {
  inputList,
  isObject,
  outputColumns,
  productClassification,
  productMetadata,
  productName,
  str,
  type ColumnView,
  type InputView,
  type ManifestFile,
  type ProductUnit,
} from './product-unit.js';

export interface ProductSummary {
  readonly unit: ProductUnit;
  readonly name: string | null;
  readonly domain: string | undefined;
  readonly version: string | undefined;
  readonly classification: Classification | undefined;
  readonly columns: ReadonlyMap<string, ColumnView>;
  /** Inputs of type data_product. */
  readonly upstream: readonly InputView[];
}

export interface ConnectionView {
  readonly index: number;
  readonly name: string;
  readonly type: ConnectionType | undefined;
  readonly config: Record<string, unknown>;
}

export interface WorkspaceConfigView {
  readonly file: ManifestFile | undefined;
  readonly tenant: string | undefined;
  /** Declared team names, or undefined when hekima.yaml declares none. */
  readonly teams: ReadonlySet<string> | undefined;
  readonly connections: ReadonlyMap<string, ConnectionView>;
}

export function readWorkspaceConfig(file: ManifestFile | undefined): WorkspaceConfigView {
  const value = file?.doc.value;
  const obj = isObject(value) ? value : {};
  const teamsRaw = obj['teams'];
  let teams: Set<string> | undefined;
  if (Array.isArray(teamsRaw)) {
    teams = new Set();
    for (const t of teamsRaw) {
      const name = typeof t === 'string' ? t : isObject(t) ? str(t['name']) : undefined;
      if (name) teams.add(name);
    }
  }
  const connections = new Map<string, ConnectionView>();
  const list = obj['connections'];
  if (Array.isArray(list)) {
    list.forEach((raw: unknown, index) => {
      if (!isObject(raw) || typeof raw['name'] !== 'string' || connections.has(raw['name'])) return;
      const type = (CONNECTION_TYPES as readonly string[]).includes(String(raw['type']))
        ? (raw['type'] as ConnectionType)
        : undefined;
      connections.set(raw['name'], {
        index,
        name: raw['name'],
        type,
        config: isObject(raw['config']) ? raw['config'] : {},
      });
    });
  }
  return { file, tenant: str(obj['tenant']), teams, connections };
}

/**
 * Summaries by unit: a unit is immutable (a change makes a new one), so an index rebuilt after
 * one file changed reuses every other product's summary instead of re-reading its manifests.
 */
const summaryCache = new WeakMap<ProductUnit, ProductSummary>();

function summarize(unit: ProductUnit): ProductSummary {
  const cached = summaryCache.get(unit);
  if (cached) return cached;
  const meta = productMetadata(unit);
  const columns = new Map<string, ColumnView>();
  for (const c of outputColumns(unit)) if (!columns.has(c.name)) columns.set(c.name, c);
  const summary: ProductSummary = {
    unit,
    name: productName(unit),
    domain: str(meta?.['domain']),
    version: str(meta?.['version']),
    classification: productClassification(unit),
    columns,
    upstream: inputList(unit).filter((i) => i.type === 'data_product'),
  };
  summaryCache.set(unit, summary);
  return summary;
}

/** An immutable view of every product of the workspace, rebuilt after each change. */
export class WorkspaceIndex {
  readonly summaries: readonly ProductSummary[];
  private readonly byName = new Map<string, ProductSummary[]>();
  private readonly byUnit = new Map<ProductUnit, ProductSummary>();

  constructor(
    units: Iterable<ProductUnit>,
    readonly config: WorkspaceConfigView,
    /** The workspace's symbolic links (paths through them are checked by WSP-005 and CON-005). */
    readonly links: WorkspaceLinks = new Map(),
  ) {
    const summaries: ProductSummary[] = [];
    for (const unit of units) {
      const summary = summarize(unit);
      summaries.push(summary);
      this.byUnit.set(unit, summary);
      if (summary.name !== null) {
        const list = this.byName.get(summary.name);
        if (list) list.push(summary);
        else this.byName.set(summary.name, [summary]);
      }
    }
    summaries.sort((a, b) => (a.unit.folder < b.unit.folder ? -1 : a.unit.folder > b.unit.folder ? 1 : 0));
    this.summaries = summaries;
  }

  /** The product with this metadata.name (the first by folder when several share it). */
  product(name: string): ProductSummary | undefined {
    return this.byName.get(name)?.[0];
  }

  productsNamed(name: string): readonly ProductSummary[] {
    return this.byName.get(name) ?? [];
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  summaryOf(unit: ProductUnit): ProductSummary | undefined {
    return this.byUnit.get(unit);
  }
}

export interface InputResolution {
  /** Every product with the input's name, sorted by folder (may include the reader itself). */
  readonly candidates: readonly ProductSummary[];
  /** The product the input reads, when it can be told. */
  readonly target: ProductSummary | undefined;
  /** The id names the reader itself and no other product. */
  readonly self: boolean;
  /** Products of that name exist in two or more domains. */
  readonly ambiguous: boolean;
}

export const byFolder = (a: ProductSummary, b: ProductSummary): number =>
  a.unit.folder < b.unit.folder ? -1 : a.unit.folder > b.unit.folder ? 1 : 0;

/**
 * Resolves a data_product input id. A product never reads itself; when several other products
 * carry the name, the one in the reader's domain is used if there is exactly one, otherwise
 * the input is left unresolved (DEP-004 / DEP-007 report why).
 */
export function resolveInput(index: WorkspaceIndex, reader: ProductSummary | undefined, id: string): InputResolution {
  const named = index.productsNamed(id);
  const candidates = named.length > 1 ? [...named].sort(byFolder) : named;
  const others = reader ? candidates.filter((c) => c !== reader) : candidates;
  let target: ProductSummary | undefined;
  if (others.length === 1) target = others[0];
  else if (others.length > 1 && reader?.domain !== undefined) {
    const same = others.filter((c) => c.domain === reader.domain);
    if (same.length === 1) target = same[0];
  }
  const domains = new Set<string>();
  for (const c of candidates) if (c.domain !== undefined) domains.add(c.domain);
  return { candidates, target, self: others.length === 0 && candidates.length > 0, ambiguous: domains.size > 1 };
}
