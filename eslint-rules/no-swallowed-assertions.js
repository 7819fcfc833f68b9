// ESLint rule for test code: an assertion must be able to fail the test.
//
// An `expect(...)` whose AssertionError can be caught on its way to the test runner passes even
// when it is wrong (`toBe(1)` changed to `toBe(999)` still passes). Reported shapes:
//   - an assertion in a callback of a call whose promise is chained with `.catch(...)` or a
//     two-argument `.then(ok, onRejected)`, or handed to `Promise.allSettled`;
//   - an assertion inside a `try` block that has a `catch` clause;
//   - an assertion inside a `catch` clause or a `.catch(...)` handler (it runs only when
//     something throws, so the test passes when nothing does).
// The fix is always the same: capture the value or the error (`rejectionOf` in
// test/support/outcome.ts) and assert after, outside anything that can catch.

const isExpect = (node) => {
  let callee = node.callee;
  while (callee.type === 'MemberExpression') callee = callee.object;
  return callee.type === 'Identifier' && callee.name === 'expect';
};

/** `x.catch(...)`, `x.then(a, b)`: a call that handles its receiver's rejection. */
const handlesRejection = (call) =>
  call.type === 'CallExpression' &&
  call.callee.type === 'MemberExpression' &&
  !call.callee.computed &&
  ((call.callee.property.name === 'catch' && call.arguments.length > 0) ||
    (call.callee.property.name === 'then' && call.arguments.length > 1));

const isAllSettled = (call) =>
  call.type === 'CallExpression' &&
  call.callee.type === 'MemberExpression' &&
  call.callee.object.type === 'Identifier' &&
  call.callee.object.name === 'Promise' &&
  call.callee.property.name === 'allSettled';

/** The member-call chain `node` heads, e.g. `run(fn)` → `run(fn).then(...)` → `.catch(...)`. */
function chainAbove(node) {
  const chain = [];
  let current = node;
  while (
    current.parent?.type === 'MemberExpression' &&
    current.parent.object === current &&
    current.parent.parent?.type === 'CallExpression' &&
    current.parent.parent.callee === current.parent
  ) {
    current = current.parent.parent;
    chain.push(current);
  }
  return chain;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Assertions whose failure can be caught cannot fail a test.' },
    schema: [],
    messages: {
      swallowedPromise:
        'This assertion runs inside a promise whose rejection is handled by `{{how}}`: its failure is caught and the test passes. Capture the value (or the error, with rejectionOf) and assert outside.',
      insideTry:
        'This assertion is inside a `try` with a `catch`: its failure can be caught. Capture the value (or the error, with rejectionOf) and assert after the try.',
      insideCatch:
        'This assertion runs only when something throws, so the test passes when nothing does. Capture the error (rejectionOf) and assert it unconditionally.',
    },
  },
  create(context) {
    return {
      CallExpression(node) {
        if (!isExpect(node)) return;
        let child = node;
        for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
          if (parent.type === 'TryStatement' && parent.block === child && parent.handler) {
            context.report({ node, messageId: 'insideTry' });
            return;
          }
          if (parent.type === 'CatchClause') {
            context.report({ node, messageId: 'insideCatch' });
            return;
          }
          if (parent.type !== 'CallExpression' || !parent.arguments.includes(child)) continue;
          // `child` is an argument of `parent`: a callback (or a value) handed to a call.
          if (handlesRejection(parent)) {
            const handler = parent.callee.property.name === 'catch' ? parent.arguments[0] : parent.arguments[1];
            if (handler === child) {
              context.report({ node, messageId: 'insideCatch' });
              return;
            }
          }
          if (isAllSettled(parent)) {
            context.report({ node, messageId: 'swallowedPromise', data: { how: 'Promise.allSettled' } });
            return;
          }
          const handled = chainAbove(parent).find(handlesRejection);
          if (handled) {
            const how = handled.callee.property.name === 'catch' ? '.catch(...)' : '.then(ok, onRejected)';
            context.report({ node, messageId: 'swallowedPromise', data: { how } });
            return;
          }
        }
      },
    };
  },
};
