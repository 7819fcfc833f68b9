import { it } from 'vitest';
import { createPlatform, validateWorkspace } from '@hekima/platform-core';

it('dump', async () => {
  const dirs = (process.env['LDUMP_DIRS'] ?? '').split(',').filter(Boolean);
  const out: string[] = [];
  for (const dir of dirs) {
    const r = await validateWorkspace(createPlatform().validationDeps(dir), { tier: 'full', scope: '' });
    const all = [...r.errors, ...r.warnings, ...r.infos];
    const lines = all.map((f) => `${f.severity.padEnd(7)} ${f.code} ${f.file}:${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column} ${f.path}\n    ${f.message}\n    hint: ${f.hint.replace(/\n/g, '\n          ')}${f.fix ? `\n    fix: ${f.fix.title} -> ${JSON.stringify(f.fix.edits.map((e) => [e.range.start, e.range.end, e.newText]))}` : ''}`);
    out.push(`=== ${dir}\n` + lines.join('\n'));
  }
  console.log(out.join('\n'));
});
