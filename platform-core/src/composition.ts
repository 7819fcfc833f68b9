import { resolve as resolvePath } from 'node:path';
import { YamlDocumentParser } from './adapters/yaml/yaml-document-parser.js';
import { PgSqlAnalyzer } from './adapters/sql/pg-sql-analyzer.js';
import { NodeWorkspaceFiles } from './adapters/fs/node-workspace-files.js';
import { resolveTarget, type ResolvedTarget } from './adapters/fs/workspace-root.js';
import { ALL_RULES } from './application/validate/rules/index.js';
import type { ValidationDeps } from './application/validate/validation-session.js';
import type { DocumentParser } from './ports/source-document.js';
import type { SqlAnalyzer } from './ports/sql-analyzer.js';
import type { WorkspaceFiles } from './ports/workspace-files.js';
import type { Rule } from './application/validate/rule.js';

export interface PlatformOverrides {
  readonly parser?: DocumentParser;
  readonly sql?: SqlAnalyzer;
  readonly rules?: readonly Rule[];
  readonly files?: (root: string) => WorkspaceFiles;
}

export interface Platform {
  /** Everything the validator needs for a workspace rooted at `root`. */
  validationDeps(root: string): ValidationDeps;
  readonly parser: DocumentParser;
  readonly sql: SqlAnalyzer;
  readonly rules: readonly Rule[];
  /** Resolves a command-line path to its workspace root and scope (absolute or relative to cwd). */
  resolveTarget(path: string, cwd: string): ResolvedTarget | { error: string };
}

/** The composition root: the only place adapters are constructed. */
export function createPlatform(overrides: PlatformOverrides = {}): Platform {
  const parser = overrides.parser ?? new YamlDocumentParser();
  const sql = overrides.sql ?? new PgSqlAnalyzer();
  const rules = overrides.rules ?? ALL_RULES;
  const files = overrides.files ?? ((root: string) => new NodeWorkspaceFiles(root));
  return {
    parser,
    sql,
    rules,
    validationDeps: (root) => ({ files: files(root), parser, sql, rules }),
    resolveTarget: (path, cwd) => resolveTarget(resolvePath(cwd, path)),
  };
}
