import { it } from 'vitest';
import { PgSqlAnalyzer } from './pg-sql-analyzer.js';
const K: Record<string, string[]> = { raw_orders: ['order_id','customer_id','amount'], 'raw-orders': ['order_id','customer_id','amount'], customers: ['customer_id','name'] };
it('probe', async () => {
  const a = new PgSqlAnalyzer(); await a.ready();
  const qs = [
    "select o.order_id, count(*) filter (where amount > 1) as n, case when amount > 0 then 'p' else 'n' end as sign, (array[1,2])[1] arr, case when true then 1 end from raw_orders o group by 1",
    "select percentile_cont(0.5) within group (order by amount) as med, amount is not distinct from 1 from raw_orders",
    "select order_id from raw_orders union all select order_id from customers",
    "select amount from raw_orders where amount in (1,2) order by amount limit 10 offset 2",
    "select \"Amount\" from raw_orders",
    "select count(distinct customer_id), customers.name from raw_orders join customers on raw_orders.customer_id = customers.customer_id group by customers.name having count(*) > 1",
    "select o.* from raw_orders o where o.amount > (select avg(amount) from raw_orders)",
    "select x from (select 1 x) union select y from (select 2 y) q",
  ];
  for (const q of qs) console.log(q, '\n  =>', JSON.stringify(a.analyze(q, (t) => K[t])));
});
