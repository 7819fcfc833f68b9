import { createHash } from 'node:crypto';
import { compareFindings, type Finding, type Fix } from '../../domain/finding.js';
import {
  KIND_OF_FILE,
  MANIFEST_FILES,
  MANIFEST_KINDS,
  WORKSPACE_CONFIG_FILE,
  type ManifestKind,
} from '../../domain/manifest/kinds.js';
import type { DocumentParser } from '../../ports/source-document.js';
import type { SqlAnalyzer } from '../../ports/sql-analyzer.js';
import type { CheckExpressions } from '../../ports/check-expressions.js';
import type { WorkspaceFiles } from '../../ports/workspace-files.js';
import type { JsonSchemaValidator } from '../../ports/json-schema-validator.js';
import type { PathPatterns } from '../../ports/path-patterns.js';
import type { WorkspaceLinks } from '../../domain/paths/confined-path.js';
import { checkFile } from './file-check.js';
import { analyzeSql, readLogic, type SqlLogic } from './logic-context.js';
import { joinPath, productName, type ManifestFile, type ProductUnit } from './product-unit.js';
import type { ProductRule, Rule, RuleTier, Target, WorkspaceRule } from './rule.js';
import { SchemaChecker } from './schema-check.js';
import { missingManifestFindings } from './missing-manifests.js';
import { oversizedFinding } from './oversized-files.js';
import { DEFAULT_MAX_FILE_BYTES, maxFileBytesOf } from '../../domain/manifest/file-limits.js';
import { readWorkspaceConfig, WorkspaceIndex } from './workspace-index.js';

export interface ValidationDeps {
  readonly files: WorkspaceFiles;
  readonly parser: DocumentParser;
  readonly sql: SqlAnalyzer;
  readonly expressions: CheckExpressions;
  readonly rules: readonly Rule[];
  /** The manifests' JSON Schemas (Ajv in `adapters/ajv`). */
  readonly schemas: JsonSchemaValidator;
  /** File-name patterns of `file` inputs (CON-006 checks their syntax); absent: not checked. */
  readonly patterns?: PathPatterns;
}

export interface ProductFindings {
  readonly folder: string;
  readonly name: string | null;
  readonly findings: readonly Finding[];
}

export interface ValidationReport {
  /** Every finding, sorted by file and position. */
  readonly findings: readonly Finding[];
  readonly products: readonly ProductFindings[];
  /** Findings about the workspace itself (hekima.yaml, stray manifests). */
  readonly workspace: readonly Finding[];
}

export interface ChangeResult {
  /** The products whose findings may have changed, with their current findings. */
  readonly affected: readonly ProductFindings[];
  /** Current workspace-level findings. */
  readonly workspace: readonly Finding[];
}

const TIER_ORDER: Record<RuleTier, number> = { fast: 0, full: 1, strict: 2 };
const TEXT_FILE = /\.(ya?ml|sql|py)$/;

function hash(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

/**
 * The incremental validator. It keeps every parsed file and every product's findings, and
 * after a change recomputes only what depends on it. The CLI, the language server, the MCP
 * server and deploy all validate through it.
 */
export class ValidationSession {
  private readonly texts = new Map<string, string>();
  /** Files over the size limit, never read (MAN-007): path → bytes. */
  private readonly oversized = new Map<string, number>();
  /** hekima.yaml's `limits.max_file_bytes` (file-limits.ts). */
  private maxBytes = DEFAULT_MAX_FILE_BYTES;
  private readonly allFiles = new Set<string>();
  private readonly parsed = new Map<string, ManifestFile>();
  private readonly fileFindings = new Map<string, { hash: string; findings: Finding[] }>();
  private readonly productCache = new Map<string, { fingerprint: string; findings: Finding[] }>();
  private readonly sqlCache = new Map<string, { fingerprint: string; logic: SqlLogic | null }>();
  private readonly results = new Map<string, { own: Finding[]; wsKey: string; all: Finding[] }>();
  private consumers: Map<string, Set<string>> | undefined;
  private workspaceResults: { byFolder: Map<string, Finding[]>; workspace: Finding[] } | undefined;
  private units = new Map<string, ProductUnit>();
  private productFolders = new Set<string>();
  private index: WorkspaceIndex | undefined;
  private links: WorkspaceLinks = new Map();
  private readonly schema: SchemaChecker;
  private readonly productRules: ProductRule[];
  private readonly workspaceRules: WorkspaceRule[];

  private constructor(
    private readonly deps: ValidationDeps,
    readonly tier: RuleTier,
  ) {
    this.schema = new SchemaChecker(deps.schemas);
    const active = deps.rules.filter((r) => TIER_ORDER[r.tier] <= TIER_ORDER[tier]);
    this.productRules = active.filter((r): r is ProductRule => r.scope === 'product');
    this.workspaceRules = active.filter((r): r is WorkspaceRule => r.scope === 'workspace');
  }

  static async open(deps: ValidationDeps, tier: RuleTier = 'full', signal?: AbortSignal): Promise<ValidationSession> {
    const session = new ValidationSession(deps, tier);
    deps.parser.warmUp?.();
    await deps.sql.ready();
    const files = await deps.files.list(signal);
    for (const f of files) session.allFiles.add(f);
    session.links = deps.files.links?.() ?? new Map();
    const wanted = files.filter((f) => TEXT_FILE.test(f));
    // hekima.yaml first, held to the default limit: it sets the limit of every other file.
    if (wanted.includes(WORKSPACE_CONFIG_FILE)) await session.load(WORKSPACE_CONFIG_FILE);
    await Promise.all(wanted.filter((f) => f !== WORKSPACE_CONFIG_FILE).map((f) => session.load(f)));
    signal?.throwIfAborted();
    const sqlTexts = [...session.texts].flatMap(([path, text]) => (path.endsWith('.sql') ? [text] : []));
    await Promise.all([session.parseAll(signal), deps.sql.prepare?.(sqlTexts)]);
    session.rebuildUnits();
    return session;
  }

  /**
   * Reads a file unless it is larger than the limit: measured first, never read whole when too
   * large (it is then reported by MAN-007 and treated as unreadable).
   */
  private async load(path: string): Promise<void> {
    const limit = this.limitOf(path);
    const bytes = await this.deps.files.size(path);
    const text = bytes === undefined || bytes > limit ? undefined : await this.deps.files.read(path);
    this.setText(path, text, bytes);
  }

  private limitOf(path: string): number {
    return path === WORKSPACE_CONFIG_FILE ? DEFAULT_MAX_FILE_BYTES : this.maxBytes;
  }

  /** Records a file's text, or that it is over the limit (`bytes` measured on disk, else the text's). */
  private setText(path: string, text: string | undefined, bytes?: number): void {
    const size = text === undefined ? bytes : Buffer.byteLength(text);
    if (size !== undefined && size > this.limitOf(path)) {
      this.oversized.set(path, size);
      this.texts.delete(path);
      text = undefined;
    } else {
      this.oversized.delete(path);
      if (text === undefined) this.texts.delete(path);
      else this.texts.set(path, text);
    }
    if (path === WORKSPACE_CONFIG_FILE)
      this.maxBytes = text === undefined ? DEFAULT_MAX_FILE_BYTES : maxFileBytesOf(this.deps.parser.parse(text).value);
  }

  /** Parses every manifest up front, on all cores when the parser can. */
  private async parseAll(signal?: AbortSignal): Promise<void> {
    const paths = [...this.texts.keys()].filter(
      (p) => p === WORKSPACE_CONFIG_FILE || KIND_OF_FILE[basename(p)] !== undefined,
    );
    if (!this.deps.parser.parseMany) return;
    const texts = paths.map((p) => this.texts.get(p) ?? '');
    const docs = await this.deps.parser.parseMany(texts, signal);
    paths.forEach((path, i) => {
      const doc = docs[i];
      if (doc) this.parsed.set(path, { file: path, hash: hash(texts[i] ?? ''), doc });
    });
  }

  /** Folders of every product, sorted. */
  products(): string[] {
    return [...this.units.keys()].sort();
  }

  /** The product folder a workspace file belongs to, if any. */
  productOf(path: string): string | undefined {
    let dir = dirname(path);
    for (;;) {
      if (this.productFolders.has(dir)) return dir;
      if (dir === '.') return undefined;
      dir = dirname(dir);
    }
  }

  /** Validates everything (using what is cached) and returns the whole report. */
  validateAll(signal?: AbortSignal): ValidationReport {
    const { perProduct, workspace } = this.compute(new Set(this.units.keys()), signal);
    const products = [...perProduct.values()].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
    const findings = [...products.flatMap((p) => p.findings), ...workspace].sort(compareFindings);
    return { findings, products, workspace };
  }

  /**
   * Sets the current text of a file (unsaved editor content included); `undefined` deletes it.
   * Re-validates only what depends on the change and returns the findings of every product
   * whose findings may have changed.
   */
  update(path: string, text: string | undefined, signal?: AbortSignal): ChangeResult {
    return this.change(path, text === undefined ? undefined : { text }, signal);
  }

  /** `update`, with a file known only by its size when it is over the limit. */
  private change(
    path: string,
    content: { readonly text?: string; readonly bytes?: number } | undefined,
    signal?: AbortSignal,
  ): ChangeResult {
    const existed = this.allFiles.has(path);
    const hadText = this.texts.has(path);
    const ownerBefore = this.productOf(path);
    const nameBefore = ownerBefore === undefined ? null : productName(this.units.get(ownerBefore)!);
    if (content === undefined) {
      this.allFiles.delete(path);
      this.setText(path, undefined);
    } else {
      this.allFiles.add(path);
      if (TEXT_FILE.test(path)) this.setText(path, content.text, content.bytes);
    }
    const foldersBefore = new Set(this.units.keys());
    // Adding or removing a product.yaml changes which folders are products.
    const foldersChange = basename(path) === 'product.yaml' && existed !== (content !== undefined);
    let dirty: Set<string>;
    if (path === WORKSPACE_CONFIG_FILE) {
      this.index = undefined;
      dirty = new Set(this.units.keys());
    } else if (foldersChange) {
      this.rebuildUnits();
      dirty = new Set(this.units.keys());
    } else {
      this.refreshUnitOf(path);
      const owner = this.productOf(path);
      dirty = new Set(owner === undefined ? [] : [owner]);
      if (owner !== undefined && /(^|\/)(product|output)\.yaml$/.test(path)) {
        // Consumers read the upstream's name, version, classification and columns.
        const names = new Set([nameBefore, productName(this.units.get(owner)!)]);
        for (const name of names) if (name) for (const c of this.consumersOf(name)) dirty.add(c);
      }
    }
    // Workspace rules read manifests and which files exist, never the logic's text: a logic file
    // edited in place leaves their findings as they were.
    const textOnly = existed && hadText && content?.text !== undefined && /\.(sql|py)$/.test(path);
    const { perProduct, workspace } = this.compute(dirty, signal, textOnly);
    const affected = [...perProduct.values()];
    for (const folder of foldersBefore) {
      if (!this.units.has(folder)) {
        this.results.delete(folder);
        affected.push({ folder, name: null, findings: [] });
      }
    }
    return { affected, workspace };
  }

  /** Re-reads a file from disk (e.g. when an editor closes it without saving). */
  async revert(path: string): Promise<ChangeResult> {
    const bytes = await this.deps.files.size(path);
    if (bytes === undefined) return this.change(path, undefined);
    if (bytes > this.limitOf(path)) return this.change(path, { bytes });
    return this.change(path, { text: (await this.deps.files.read(path)) ?? '' });
  }

  /** The current text of a workspace file, if known. */
  textOf(path: string): string | undefined {
    return this.texts.get(path);
  }

  /** The current workspace index (products, columns, connections). */
  workspaceIndex(): WorkspaceIndex {
    return this.ensureIndex();
  }

  /** The current findings of one product (validating it if needed). */
  findingsOf(folder: string): readonly Finding[] | undefined {
    if (!this.units.has(folder)) return undefined;
    if (!this.results.has(folder)) this.compute(new Set([folder]));
    return this.results.get(folder)?.all;
  }

  /**
   * Recomputes the file and product findings of the dirty products, runs the workspace rules,
   * and returns the products whose findings were recomputed or whose workspace findings changed.
   */
  private compute(
    dirty: ReadonlySet<string>,
    signal?: AbortSignal,
    reuseWorkspaceRules = false,
  ): { perProduct: Map<string, ProductFindings>; workspace: Finding[] } {
    const index = this.ensureIndex();
    const configFindings = this.fileFindingsOf(WORKSPACE_CONFIG_FILE, 'Workspace', null);
    const ws = reuseWorkspaceRules && this.workspaceResults ? this.workspaceResults : this.runWorkspaceRules(index);
    this.workspaceResults = ws;
    const perProduct = new Map<string, ProductFindings>();
    for (const [folder, unit] of this.units) {
      signal?.throwIfAborted();
      const wsFindings = ws.byFolder.get(folder) ?? [];
      const wsKey = keyOf(wsFindings);
      const previous = this.results.get(folder);
      if (!dirty.has(folder) && previous && previous.wsKey === wsKey) continue;
      const name = productName(unit);
      let own = previous?.own;
      if (dirty.has(folder) || !own) {
        own = [];
        for (const kind of MANIFEST_KINDS) {
          const file = unit.manifests[kind];
          if (file) own.push(...this.fileFindingsOf(file.file, kind, { name, folder }));
        }
        own.push(...this.oversizedIn(folder, name));
        own.push(
          ...missingManifestFindings(unit, name).filter((f) => !this.oversized.has(f.fix?.edits[0]?.file ?? '')),
        );
        if (this.tier !== 'fast') own.push(...this.productRuleFindings(unit, index));
      }
      const all = [...own, ...wsFindings].sort(compareFindings);
      this.results.set(folder, { own, wsKey, all });
      perProduct.set(folder, { folder, name, findings: all });
    }
    if (dirty.size === this.units.size) {
      for (const [folder, r] of this.results)
        if (!perProduct.has(folder) && this.units.has(folder))
          perProduct.set(folder, { folder, name: productName(this.units.get(folder)!), findings: r.all });
    }
    const outside = [...this.oversized]
      .filter(([path]) => this.productOf(path) === undefined)
      .map(([path, bytes]) => oversizedFinding(path, bytes, this.limitOf(path), null));
    return { perProduct, workspace: [...configFindings, ...outside, ...ws.workspace].sort(compareFindings) };
  }

  /** MAN-007 findings of a product's files over the limit. */
  private oversizedIn(folder: string, name: string | null): Finding[] {
    return [...this.oversized]
      .filter(([path]) => this.productOf(path) === folder)
      .map(([path, bytes]) => oversizedFinding(path, bytes, this.limitOf(path), { name, folder }));
  }

  /** Folders of the products that read a product name (inputs or referential checks). */
  private consumersOf(name: string): ReadonlySet<string> {
    if (!this.consumers) {
      const map = new Map<string, Set<string>>();
      for (const [folder, unit] of this.units) {
        for (const ref of referencedProducts(unit)) {
          const set = map.get(ref);
          if (set) set.add(folder);
          else map.set(ref, new Set([folder]));
        }
      }
      this.consumers = map;
    }
    return this.consumers.get(name) ?? new Set();
  }

  private ensureIndex(): WorkspaceIndex {
    if (!this.index)
      this.index = new WorkspaceIndex(
        this.units.values(),
        readWorkspaceConfig(this.manifestFile(WORKSPACE_CONFIG_FILE)),
        this.links,
      );
    return this.index;
  }

  private manifestFile(path: string): ManifestFile | undefined {
    const text = this.texts.get(path);
    if (text === undefined) return undefined;
    const cached = this.parsed.get(path);
    if (cached && cached.doc.text === text) return cached;
    const h = hash(text);
    if (cached && cached.hash === h) return cached;
    const file: ManifestFile = { file: path, hash: h, doc: this.deps.parser.parse(text) };
    this.parsed.set(path, file);
    return file;
  }

  private fileFindingsOf(path: string, kind: ManifestKind | 'Workspace', product: Finding['product']): Finding[] {
    const file = this.manifestFile(path);
    if (!file) return [];
    const cached = this.fileFindings.get(path);
    if (cached && cached.hash === file.hash && sameProduct(cached.findings, product)) return cached.findings;
    const findings = checkFile(file, kind, product, this.schema);
    this.fileFindings.set(path, { hash: file.hash, findings });
    return findings;
  }

  private rebuildUnits(): void {
    this.productFolders = new Set([...this.allFiles].filter((f) => basename(f) === 'product.yaml').map(dirname));
    const byFolder = new Map<string, string[]>();
    for (const folder of this.productFolders) byFolder.set(folder, []);
    for (const f of this.allFiles) {
      const owner = this.productOf(f);
      if (owner !== undefined) byFolder.get(owner)?.push(f);
    }
    const units = new Map<string, ProductUnit>();
    for (const [folder, files] of byFolder) units.set(folder, this.buildUnit(folder, files));
    this.units = units;
    this.index = undefined;
    this.consumers = undefined;
    for (const folder of this.productCache.keys()) if (!units.has(folder)) this.productCache.delete(folder);
    for (const folder of this.sqlCache.keys()) if (!units.has(folder)) this.sqlCache.delete(folder);
  }

  private refreshUnitOf(path: string): void {
    if (path === WORKSPACE_CONFIG_FILE) {
      this.index = undefined;
      return;
    }
    const owner = this.productOf(path);
    if (owner === undefined) return;
    const prefix = owner === '.' ? '' : owner + '/';
    const files = [...(this.units.get(owner)?.files ?? [])]
      .map((f) => joinPath(owner, f))
      .filter((f) => this.allFiles.has(f));
    if (this.allFiles.has(path) && !files.includes(path) && path.startsWith(prefix)) files.push(path);
    this.units.set(owner, this.buildUnit(owner, files));
    this.index = undefined;
    this.consumers = undefined;
  }

  private buildUnit(folder: string, files: string[]): ProductUnit {
    const prefix = folder === '.' ? '' : folder + '/';
    const manifests: Partial<Record<ManifestKind, ManifestFile>> = {};
    const texts = new Map<string, { file: string; text: string; hash: string }>();
    const rel = new Set<string>();
    for (const f of files) {
      const r = f.slice(prefix.length);
      rel.add(r);
      const kind = KIND_OF_FILE[r];
      if (kind) {
        const m = this.manifestFile(f);
        if (m) manifests[kind] = m;
      } else if (/\.(sql|py)$/.test(r)) {
        const text = this.texts.get(f);
        if (text !== undefined) texts.set(r, { file: f, text, hash: hash(text) });
      }
    }
    return { folder, manifests, files: rel, texts };
  }

  private productRuleFindings(unit: ProductUnit, index: WorkspaceIndex): Finding[] {
    const fingerprint = this.fingerprint(unit, index);
    const cached = this.productCache.get(unit.folder);
    if (cached && cached.fingerprint === fingerprint) return cached.findings;
    const findings: Finding[] = [];
    const product = { name: productName(unit), folder: unit.folder };
    for (const rule of this.productRules) {
      rule.check({
        unit,
        index,
        sql: this.deps.sql,
        expressions: this.deps.expressions,
        ...(this.deps.patterns ? { patterns: this.deps.patterns } : {}),
        sqlLogic: () => this.sqlLogicFor(unit, index, fingerprint),
        report: (target, message, options) => findings.push(makeFinding(rule, unit, product, target, message, options)),
        replaceFix: (kind, path, newText, title) => replaceFix(unit, kind, path, newText, title),
      });
    }
    this.productCache.set(unit.folder, { fingerprint, findings });
    return findings;
  }

  /**
   * A product's SQL logic with its analysis (tables, columns, lineage), or undefined when its
   * logic is not SQL or absent; computed once until the product or what it reads changes.
   */
  sqlLogicOf(folder: string): SqlLogic | undefined {
    const unit = this.units.get(folder);
    if (!unit) return undefined;
    const index = this.ensureIndex();
    return this.sqlLogicFor(unit, index, this.fingerprint(unit, index));
  }

  /** The product unit of a folder (its manifests and files). */
  unitOf(folder: string): ProductUnit | undefined {
    return this.units.get(folder);
  }

  private sqlLogicFor(unit: ProductUnit, index: WorkspaceIndex, fingerprint: string): SqlLogic | undefined {
    const cached = this.sqlCache.get(unit.folder);
    if (cached && cached.fingerprint === fingerprint) return cached.logic ?? undefined;
    const logic = readLogic(unit);
    const sqlLogic = logic && logic.language === 'sql' ? analyzeSql(unit, logic, index, this.deps.sql) : null;
    this.sqlCache.set(unit.folder, { fingerprint, logic: sqlLogic });
    return sqlLogic ?? undefined;
  }

  /** Everything a product's rule findings depend on. */
  private fingerprint(unit: ProductUnit, index: WorkspaceIndex): string {
    const parts: string[] = [this.tier, index.config.file?.hash ?? '-'];
    for (const kind of MANIFEST_KINDS) parts.push(unit.manifests[kind]?.hash ?? '-');
    for (const [rel, t] of unit.texts) parts.push(rel, t.hash);
    parts.push([...unit.files].sort().join('|'));
    for (const name of referencedProducts(unit)) {
      const upstream = index.productsNamed(name);
      parts.push(
        name,
        ...upstream.map(
          (u) => `${u.unit.folder}:${u.unit.manifests.DataProduct?.hash}:${u.unit.manifests.Output?.hash}`,
        ),
      );
    }
    return hash(parts.join('\n'));
  }

  private runWorkspaceRules(index: WorkspaceIndex): { byFolder: Map<string, Finding[]>; workspace: Finding[] } {
    const byFolder = new Map<string, Finding[]>();
    const workspace: Finding[] = [];
    if (this.tier === 'fast') return { byFolder, workspace };
    for (const rule of this.workspaceRules) {
      rule.check({
        index,
        report: (unit, target, message, options) => {
          const finding = makeFinding(
            rule,
            unit,
            { name: productName(unit), folder: unit.folder },
            target,
            message,
            options,
          );
          const list = byFolder.get(unit.folder);
          if (list) list.push(finding);
          else byFolder.set(unit.folder, [finding]);
        },
        reportWorkspace: (target, message, options) => {
          const file = index.config.file;
          if (!file) return;
          workspace.push({
            code: rule.code,
            severity: options.severity ?? rule.severity,
            product: null,
            file: file.file,
            path: target.path,
            range: file.doc.rangeOf(target.path, target.part ?? 'value'),
            message,
            hint: options.hint,
            ...(options.fix ? { fix: options.fix } : {}),
          });
        },
        replaceFix: (unit, kind, path, newText, title) => replaceFix(unit, kind, path, newText, title),
      });
    }
    return { byFolder, workspace };
  }
}

/** Names of other products a product's rules read (inputs and referential checks). */
function referencedProducts(unit: ProductUnit): string[] {
  const names = new Set<string>();
  const inputs = (unit.manifests.Inputs?.doc.value as { inputs?: unknown } | undefined)?.inputs;
  if (Array.isArray(inputs)) for (const i of inputs) if (typeof i?.id === 'string') names.add(i.id);
  const checks = (unit.manifests.Quality?.doc.value as { checks?: unknown } | undefined)?.checks;
  if (Array.isArray(checks)) {
    for (const c of checks) {
      const ref = c?.config?.reference_product;
      if (typeof ref === 'string') names.add(ref);
    }
  }
  return [...names].sort();
}

function makeFinding(
  rule: Rule,
  unit: ProductUnit,
  product: Finding['product'],
  target: Target,
  message: string,
  options: { hint: string; severity?: Finding['severity']; fix?: Fix },
): Finding {
  let file: string;
  let path: string;
  let range: Finding['range'];
  if ('kind' in target) {
    const manifest = unit.manifests[target.kind];
    file = manifest?.file ?? joinPath(unit.folder, MANIFEST_FILES[target.kind]);
    path = target.path;
    range = manifest
      ? manifest.doc.rangeOf(target.path, target.part ?? 'value')
      : { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  } else {
    file = target.file;
    path = target.path ?? '';
    range = target.range;
  }
  return {
    code: rule.code,
    severity: options.severity ?? rule.severity,
    product,
    file,
    path,
    range,
    message,
    hint: options.hint,
    ...(options.fix ? { fix: options.fix } : {}),
  };
}

function replaceFix(
  unit: ProductUnit,
  kind: ManifestKind,
  path: string,
  newText: string,
  title: string,
): Fix | undefined {
  const manifest = unit.manifests[kind];
  const span = manifest?.doc.scalarSpan(path);
  if (!manifest || !span || span.block) return undefined;
  return { title, edits: [{ file: manifest.file, range: manifest.doc.rangeAt(span.start, span.end), newText }] };
}

function keyOf(findings: readonly Finding[]): string {
  return findings
    .map(
      (f) =>
        `${f.code}|${f.file}|${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}|${f.severity}|${f.message}`,
    )
    .join('\n');
}

function sameProduct(findings: readonly Finding[], product: Finding['product']): boolean {
  const first = findings[0];
  if (!first) return true;
  return first.product?.name === product?.name && first.product?.folder === product?.folder;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
