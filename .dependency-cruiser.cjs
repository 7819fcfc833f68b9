// The import layers of docs/architecture.md, checked by dependency-cruiser in `npm run lint`.
// It resolves every import (static, dynamic `import()`, type-only, re-exports through index.ts)
// to the file it reaches, so a rule is about where code lives, not how an import is spelled.
// Test files (*.test.ts and test/) wire real adapters on purpose and are not subject to layers.
const SRC = '^platform-core/src/';
const NOT_TEST = '\\.test\\.ts$';
/** npm packages the pure layers may use: no I/O in any of them. */
const PURE_PACKAGES = ['@sinclair/typebox', 'semver', 'fastest-levenshtein', 'croner'];
const pkg = (names) => `node_modules/(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'domain/ holds pure types and rules: it imports only domain/ and a few pure packages (no I/O, no node: modules).',
      severity: 'error',
      from: { path: `${SRC}domain/`, pathNot: NOT_TEST },
      to: {
        pathNot: [`${SRC}domain/`, pkg(PURE_PACKAGES)],
      },
    },
    {
      name: 'ports-speak-domain',
      comment: 'ports/ are interfaces in domain types: they import only domain/ and ports/.',
      severity: 'error',
      from: { path: `${SRC}ports/`, pathNot: NOT_TEST },
      to: { pathNot: [`${SRC}(domain|ports)/`] },
    },
    {
      name: 'application-uses-ports',
      comment:
        'application/ reaches databases, files, engines and parsers through ports: it imports domain/, ports/, application/, pure packages and node:path/node:crypto/node:url only.',
      severity: 'error',
      from: { path: `${SRC}application/`, pathNot: NOT_TEST },
      to: {
        pathNot: [`${SRC}(domain|ports|application)/`, pkg(PURE_PACKAGES), '^(node:)?(path|crypto|url)$'],
      },
    },
    {
      name: 'adapters-below-the-cli',
      comment: 'adapters/ implement ports; they never import the CLI, the composition root or a front-end.',
      severity: 'error',
      from: { path: `${SRC}adapters/`, pathNot: NOT_TEST },
      to: { path: [`${SRC}cli/`, `${SRC}composition\\.ts$`] },
    },
    {
      name: 'only-composition-builds-adapters',
      comment: 'Outside adapters/, only composition.ts (and the CLI through it) constructs adapters.',
      severity: 'error',
      // index.ts is the package's public surface: it re-exports some adapters for front-ends.
      from: { path: SRC, pathNot: [`${SRC}(adapters|cli)/`, `${SRC}(composition|index)\\.ts$`, NOT_TEST] },
      to: { path: `${SRC}adapters/` },
    },
    {
      name: 'core-never-imports-front-ends',
      comment: 'platform-core and grammars never import a front-end (language-server, mcp-server, vscode-extension).',
      severity: 'error',
      from: { path: '^(platform-core|grammars)/' },
      to: { path: '^(language-server|mcp-server|vscode-extension)/' },
    },
    {
      name: 'grammars-below-platform-core',
      comment: 'grammars/ is a dependency of platform-core, never the other way round.',
      severity: 'error',
      from: { path: '^grammars/', pathNot: NOT_TEST },
      to: { path: '^platform-core/' },
    },
    {
      name: 'front-ends-use-the-public-surface',
      comment:
        "Front-ends import @hekima/platform-core's public surface (its index) only: never its src/ or dist/ files directly.",
      severity: 'error',
      from: { path: '^(language-server|mcp-server|vscode-extension)/' },
      to: {
        path: '^(platform-core|node_modules/@hekima/platform-core)/',
        pathNot: '^(platform-core|node_modules/@hekima/platform-core)/(src|dist)/index\\.(ts|js|d\\.ts)$',
      },
    },
    {
      name: 'no-circular-layers',
      comment: 'A cycle between layers means one of them reaches up.',
      severity: 'error',
      from: { path: `${SRC}(domain|ports)/` },
      to: { circular: true, path: `${SRC}(application|adapters|cli)/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Our own builds; packages in node_modules are kept (an import of one is what the rules judge).
    exclude: { path: '^(platform-core|grammars|language-server|mcp-server|vscode-extension)/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
