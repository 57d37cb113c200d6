// The query style of docs/ARCHITECTURE.md ("Data", "Query style"), as lint holds it: the rule `izisales/queries`.
// Hand-written SQL is prepared through the Db wrapper's cache (db.prepare), never on the raw better-sqlite3
// connection, and never inside a loop; everything else is Kysely (db.q with db.first/all/run), which the wrapper
// runs through the same cache.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `raw.prepare` stays: the wrapper that owns the cache, and the migrations (run before the wrapper exists). */
export const RAW_PREPARE_ALLOWED = [/^src-main\/db\/connection\.ts$/, /^src-main\/db\/migrations\//];

/** Array methods whose callback runs once per element: a `.prepare(` inside one is a prepare in a loop. */
export const ITERATING_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'reduce', 'some', 'every', 'find', 'findIndex']);

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const DOC = 'docs/ARCHITECTURE.md, "Data" → "Query style"';

const isFunction = (n) => n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression';
const propertyName = (m) => (m.computed ? (m.property.type === 'Literal' ? m.property.value : null) : m.property.name);

/** `X.prepare(...)`: the object X, or null for any other call. */
function prepareTarget(call) {
  const callee = call.callee;
  return callee.type === 'MemberExpression' && propertyName(callee) === 'prepare' ? callee.object : null;
}

/** `raw` or `<anything>.raw`: the better-sqlite3 connection under the Db wrapper. */
function isRawConnection(n) {
  return (n.type === 'Identifier' && n.name === 'raw') || (n.type === 'MemberExpression' && propertyName(n) === 'raw');
}

/** Whether `child`, directly under `parent`, runs once per iteration of a loop `parent` is. */
function repeats(parent, child) {
  switch (parent.type) {
    case 'ForStatement':
      return child === parent.body || child === parent.test || child === parent.update;
    case 'ForInStatement':
    case 'ForOfStatement':
      return child === parent.body;
    case 'WhileStatement':
    case 'DoWhileStatement':
      return true;
    case 'CallExpression':
      return isFunction(child) && parent.arguments.includes(child) && parent.callee.type === 'MemberExpression' &&
        ITERATING_METHODS.has(propertyName(parent.callee));
    default:
      return false;
  }
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Hand-written SQL is prepared through db.prepare (cached), once, outside any loop.' },
    schema: [],
    messages: {
      raw: 'Prepare hand-written SQL with db.prepare (prepared once per connection and cached), not on the raw connection; off the hot paths use Kysely: db.q with db.first/all/run ({{doc}}).',
      loop: 'A statement prepared inside a loop: prepare it once before the loop and reuse it ({{doc}}).',
    },
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    if (!file.startsWith('src-main/')) return {};
    const rawAllowed = RAW_PREPARE_ALLOWED.some((re) => re.test(file));
    return {
      CallExpression(node) {
        const target = prepareTarget(node);
        if (!target) return;
        if (!rawAllowed && isRawConnection(target)) context.report({ node, messageId: 'raw', data: { doc: DOC } });
        const chain = [...context.sourceCode.getAncestors(node), node];
        for (let i = chain.length - 1; i > 0; i--) {
          if (repeats(chain[i - 1], chain[i])) {
            context.report({ node, messageId: 'loop', data: { doc: DOC } });
            return;
          }
        }
      },
    };
  },
};

export default { meta: { name: 'izisales-queries' }, rules: { queries: rule } };
