import { loadModule, parseSync, scanSync } from 'libpg-query';
await loadModule();
const q = process.argv[2];
try {
  console.log(
    JSON.stringify(scanSync(q).tokens.map((t) => [t.start, t.end, t.text, t.tokenName, t.keywordName, t.keywordKind])),
  );
} catch (e) {
  console.log('SCANERR', e.message);
}
try {
  console.log(JSON.stringify(parseSync(q)));
} catch (e) {
  console.log(e.message, JSON.stringify(e.sqlDetails));
}
