import { nearest } from '../../../../domain/nearest.js';
import { readLogic } from '../../logic-context.js';
import { defineRule } from '../../rule.js';
import { logicFix, logicTarget } from './logic-support.js';
import { scanPython } from './python-scan.js';

const SIGNATURE = 'def transform(inputs: dict[str, list[dict]]) -> list[dict]:';
const HINT = `Define the entrypoint at the top level of the module (not indented):\n\n${SIGNATURE}\n    ...\n\n\`inputs\` maps each input id to its rows, a list of dicts (one per row), whether or not pandas is installed; the rows it returns (a list of dicts, or a pandas DataFrame) become the output. For pandas, build a DataFrame yourself: pandas.DataFrame(inputs["<id>"]).`;

export const log009PythonTransform = defineRule({
  code: 'LOG-009',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'A Python entrypoint defines transform(inputs)',
  explain: {
    why: 'The python runtime imports the entrypoint module and calls its top-level transform function with a dict that maps each input id to its rows: a list of dicts, one per row (values as JSON gives them: numbers, strings, booleans, None; dates and timestamps as ISO 8601 strings). That holds whether or not pandas is installed; logic that wants a DataFrame builds one with pandas.DataFrame(inputs[id]), and then needs pandas in the interpreter (a run without it fails with python_module_missing naming the package). The rows it returns (a list of dicts, or a pandas DataFrame) become the output. A module without that function cannot run. `def transform(` and `async def transform(` count, as does a top-level import or assignment of the name; a transform defined inside a class or another function does not. The check reads the file line by line (no Python interpreter is involved), so it stays silent when the file ends inside an open string or bracket.',
    bad: 'def transfrom(inputs):\n    return inputs["raw-orders"]',
    good: `${SIGNATURE}\n    return [row for row in inputs["raw-orders"] if row["amount"] > 0]`,
  },
  check(ctx) {
    const logic = readLogic(ctx.unit);
    if (!logic || logic.language !== 'python') return;
    const scan = scanPython(logic.text);
    if (scan.topLevelTransform || scan.uncertain) return;
    const nested = scan.defs.find((d) => d.name === 'transform');
    if (nested) {
      ctx.report(
        logicTarget(logic, nested.start, nested.end),
        `${logic.path} defines transform inside a class or function, not at the top level of the module`,
        {
          hint: `Move transform out of its enclosing block so the runtime can import it. ${HINT}`,
        },
      );
      return;
    }
    const topLevel = scan.defs.filter((d) => !d.inScope);
    const nearName = nearest(
      'transform',
      topLevel.map((d) => d.name),
    );
    const near = nearName === undefined ? undefined : topLevel.find((d) => d.name === nearName);
    if (near) {
      ctx.report(
        logicTarget(logic, near.start, near.end),
        `${logic.path} does not define a top-level function transform; it defines '${near.name}'`,
        {
          hint: `Did you mean transform? Rename '${near.name}'. ${HINT}`,
          fix: logicFix(logic, near.start, near.end, 'transform', `Rename '${near.name}' to transform`),
        },
      );
      return;
    }
    const firstLineEnd = logic.text.indexOf('\n');
    const end = firstLineEnd < 0 ? logic.text.length : firstLineEnd;
    const defined =
      topLevel.length > 0
        ? ` (it defines ${topLevel
            .slice(0, 5)
            .map((d) => d.name)
            .join(', ')})`
        : '';
    ctx.report(logicTarget(logic, 0, end), `${logic.path} does not define a top-level function transform${defined}`, {
      hint: HINT,
    });
  },
});
