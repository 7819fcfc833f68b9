import { defineRule } from '../../rule.js';
import { excerpt, externalReads, logicTarget, sqlLogicOf, type ExternalRead } from './logic-support.js';

const DECLARE =
  'Declare the data as an input instead — a connector input in inputs.yaml (type: connector, connector_ref: a file or database connection of hekima.yaml, ingestion_config.path) — and read it as a table by its input id.';

function describe(read: ExternalRead): { message: string; hint: string } {
  switch (read.kind) {
    case 'function':
      return {
        message: `the SQL reads outside its inputs with ${excerpt(read.text)}`,
        hint: `Table functions such as ${read.what} read files, URLs or other databases, which the runtime sandbox blocks. ${DECLARE}`,
      };
    case 'path':
      return {
        message: `table '${read.what}' is a file path: the SQL would read the file directly, not an input`,
        hint: `The runtime sandbox blocks file access. ${DECLARE}`,
      };
    case 'literal':
      return {
        message: `FROM '${read.what}' reads a file directly: the SQL can read only its inputs`,
        hint: `The runtime sandbox blocks file access. ${DECLARE}`,
      };
    case 'statement':
      return read.what === 'COPY'
        ? {
            message: `${excerpt(read.text)}: a COPY statement reads or writes files`,
            hint: `The platform reads the inputs and writes the output itself: keep only the SELECT whose result becomes the output. ${DECLARE}`,
          }
        : read.what === 'ATTACH' || read.what === 'DETACH'
          ? {
              message: `${excerpt(read.text)}: the SQL attaches an external database`,
              hint: `The runtime sandbox blocks other databases. ${DECLARE}`,
            }
          : read.what === 'EXPORT' || read.what === 'IMPORT'
            ? {
                message: `${excerpt(read.text)}: an ${read.what} DATABASE statement reads or writes files`,
                hint: `The platform reads the inputs and writes the output itself: remove the statement.`,
              }
            : {
                message: `${excerpt(read.text)}: the SQL loads a DuckDB extension`,
                hint: 'Extensions are not available in the runtime sandbox, and the logic needs none to read its inputs: remove the statement. To read files or remote data, declare a connector input.',
              };
  }
}

export const log011ExternalRead = defineRule({
  code: 'LOG-011',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'The SQL reads nothing but its inputs',
  explain: {
    why: "A product reads only what inputs.yaml declares: that is what the scheduler waits for, what lineage and classification are computed from, and all the runtime sandbox lets through. DuckDB can also read files and URLs (read_csv, read_parquet, read_json, glob, FROM 'file.csv'), attach databases (ATTACH) and load extensions (INSTALL, LOAD); none of it works in the sandbox, and all of it bypasses the contract. Declare external data as a connector input instead.",
    bad: 'SELECT o.order_id, c.name\nFROM "raw-orders" o\nJOIN read_csv(\'data/customers.csv\') c ON c.customer_id = o.customer_id',
    good: '# inputs.yaml: raw-customers, type: connector, connector_ref: shop-files\nSELECT o.order_id, c.name\nFROM "raw-orders" o\nJOIN raw_customers c ON c.customer_id = o.customer_id',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    if (!logic) return;
    for (const read of externalReads(logic).reads) {
      const { message, hint } = describe(read);
      ctx.report(logicTarget(logic, read.start, read.end), message, { hint });
    }
  },
});
