import { it } from 'vitest';
import { createPlatform, validateWorkspace } from '@hekima/platform-core';

it('dump', async () => {
  for (const dir of (process.env['LOG_DUMP_DIRS'] ?? '').split(',').filter(Boolean)) {
    const tier = (process.env['DUMP_TIER'] ?? 'full') as 'full';
    const r = await validateWorkspace(createPlatform().validationDeps(dir), { tier, scope: '' });
    const all = [...r.errors, ...r.warnings];
    const lines = all.map((f) => `${f.severity.padEnd(7)} ${f.code} ${f.file}:${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column} ${f.path}\n    ${f.message}\n    hint: ${f.hint.replace(/\n/g, '\n          ')}${f.fix ? `\n    fix: ${f.fix.title} -> ${JSON.stringify(f.fix.edits.map((e) => [e.range.start, e.range.end, e.newText]))}` : ''}`);
    const exp = all.map((f) => `    { "code": "${f.code}", "severity": "${f.severity}", "file": "${f.file}", "line": ${f.range.start.line}, "path": "${f.path}" }`);
    console.log(`=== ${dir}\n` + lines.join('\n') + '\nEXPECTED\n' + exp.join(',\n'));
  }
});
