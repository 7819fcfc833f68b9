// Tokenizes with the engine VS Code uses (vscode-textmate + vscode-oniguruma), for the tests.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';

const require = createRequire(import.meta.url);
const syntaxes = fileURLToPath(new URL('../../syntaxes/', import.meta.url));

const GRAMMAR_FILES: Record<string, string> = {
  'source.yaml': fileURLToPath(new URL('./fixtures/yaml-host.tmLanguage.json', import.meta.url)),
  'source.akili-sql': `${syntaxes}akili-sql.tmLanguage.json`,
  'source.akili-expect': `${syntaxes}akili-expect.tmLanguage.json`,
  'akili-manifest.injection': `${syntaxes}akili-manifest.injection.tmLanguage.json`,
};

export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly scopes: readonly string[];
}

let registry: vsctm.Registry | undefined;

async function getRegistry(): Promise<vsctm.Registry> {
  if (registry) return registry;
  const wasm = await readFile(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      const path = GRAMMAR_FILES[scopeName];
      return path ? vsctm.parseRawGrammar(await readFile(path, 'utf8'), path) : null;
    },
    getInjections: (scopeName: string) => (scopeName === 'source.yaml' ? ['akili-manifest.injection'] : undefined),
  });
  return registry;
}

/** Tokens of each line of a text, as VS Code would compute them with the grammar of `scopeName`. */
export async function tokenize(scopeName: string, text: string): Promise<Token[][]> {
  const grammar = await (await getRegistry()).loadGrammar(scopeName);
  if (!grammar) throw new Error(`no grammar for ${scopeName}`);
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({
      text: line.slice(t.startIndex, t.endIndex),
      start: t.startIndex,
      end: t.endIndex,
      scopes: t.scopes,
    }));
  });
}

/** The scopes of the `occurrence`-th token whose text is `text` (after trimming) on a line. */
export function scopesOf(line: readonly Token[] | undefined, text: string, occurrence = 0): readonly string[] {
  const found = (line ?? []).filter((t) => t.text.trim() === text)[occurrence];
  if (!found)
    throw new Error(
      `no token '${text}' (#${occurrence}) in: ${(line ?? []).map((t) => JSON.stringify(t.text)).join(' ')}`,
    );
  return found.scopes;
}

/** The line of `lines` whose text contains `marker`, as tokens. */
export function lineWith(lines: Token[][], source: string, marker: string): Token[] {
  const index = source.split('\n').findIndex((l) => l.includes(marker));
  const line = lines[index];
  if (index < 0 || !line) throw new Error(`no line with ${marker}`);
  return line;
}
