import { ALL_RULES, ruleByCode } from '../../application/validate/rules/index.js';
import { nearest } from '../../domain/nearest.js';
import { EXIT, painter, UsageError, type CliIO } from '../output.js';

export function runExplain(io: CliIO, code: string | undefined, options: { json?: boolean }): number {
  if (code === undefined) {
    if (options.json) {
      io.stdout.write(
        JSON.stringify(
          ALL_RULES.map(({ code: c, severity, title, family, tier }) => ({ code: c, severity, title, family, tier })),
          null,
          2,
        ) + '\n',
      );
      return EXIT.ok;
    }
    io.stdout.write(
      ALL_RULES.map((r) => `${r.code.padEnd(9)} ${r.severity.padEnd(8)} ${r.tier.padEnd(7)} ${r.title}`).join('\n') +
        '\n',
    );
    return EXIT.ok;
  }
  const rule = ruleByCode(code);
  if (!rule) {
    const near = nearest(
      code.toUpperCase(),
      ALL_RULES.map((r) => r.code),
    );
    throw new UsageError(
      `unknown rule code '${code}'.${near ? ` Did you mean ${near}?` : ''} Run \`hekima explain\` to list every code.`,
    );
  }
  if (options.json) {
    io.stdout.write(
      JSON.stringify(
        {
          code: rule.code,
          severity: rule.severity,
          title: rule.title,
          family: rule.family,
          tier: rule.tier,
          ...rule.explain,
        },
        null,
        2,
      ) + '\n',
    );
    return EXIT.ok;
  }
  const paint = painter(io);
  const indent = (t: string) =>
    t
      .split('\n')
      .map((l) => '    ' + l)
      .join('\n');
  io.stdout.write(
    [
      `${paint('bold', rule.code)}  ${rule.title}`,
      `  severity: ${rule.severity}   family: ${rule.family}   runs: ${rule.tier === 'fast' ? 'always (also with --fast)' : rule.tier === 'full' ? 'full validation (default, --strict)' : 'only with --strict'}`,
      '',
      `  Why`,
      indent(rule.explain.why),
      '',
      `  ${paint('red', 'Bad')}`,
      indent(rule.explain.bad),
      '',
      `  ${paint('green', 'Good')}`,
      indent(rule.explain.good),
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
