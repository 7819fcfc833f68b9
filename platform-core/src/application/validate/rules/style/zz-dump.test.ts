import { it } from 'vitest';
import { createPlatform, validateWorkspace } from '@hekima/platform-core';

it('dump', async () => {
  const dir = process.env['DUMP_DIR']!;
  const tier = (process.env['DUMP_TIER'] ?? 'full') as 'full';
  const r = await validateWorkspace(createPlatform().validationDeps(dir), { tier, scope: '' });
  const all = [...r.errors, ...r.warnings, ...r.infos];
  const lines = all.map((f) => `${f.severity.padEnd(7)} ${f.code} ${f.file}:${f.range.start.line}:${f.range.start.column} ${f.path}\n    ${f.message}\n    hint: ${f.hint.replace(/\n/g, '\n          ')}${f.fix ? `\n    fix: ${f.fix.title} -> ${JSON.stringify(f.fix.edits.map((e) => [e.range.start, e.newText]))}` : ''}`);
  console.log(`=== ${dir} (${tier})\n` + lines.join('\n'));
  const exp = all.filter((f) => f.severity !== 'info').map((f) => `    { "code": "${f.code}", "severity": "${f.severity}", "file": "${f.file}", "line": ${f.range.start.line}, "path": "${f.path}" }`);
  console.log('EXPECTED\n' + exp.join(',\n'));
});
