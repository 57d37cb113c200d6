// The layers of docs/ARCHITECTURE.md ("Layers"), as lint holds them: one table, read top to bottom like the drawing,
// and the rule `izisales/layers` that resolves every relative import of a src-main file to its layer and refuses an
// arrow the table does not allow. Change the drawing and this table together.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Top to bottom. A file may import its own layer and every layer below it, never one above. Paths are from the
 * repository root; `**` is any depth, `*` any name within one folder; the first pattern that matches wins.
 * src-shared is a target only: its own purity is kept by no-restricted-imports in eslint.config.js.
 */
export const LAYERS = [
  { layer: 'entry points', files: ['src-main/app.ts', 'src-main/runtime.ts', 'src-main/cli.ts', 'src-main/commands/**', 'src-main/serve.ts', 'src-main/renderer-build.ts', 'src-main/electron/**'] },
  // The entry points hand the Api the whole App (createApi(app)): the one module below them that may take it.
  { layer: 'Api', files: ['src-main/api.ts', 'src-main/admin-api.ts', 'src-main/printer-api.ts'], alsoImports: ['src-main/app.ts'] },
  { layer: 'pos', files: ['src-main/pos/**'] },
  { layer: 'services' }, // side by side, in the rooms of SERVICES below
  { layer: 'db', files: ['src-main/db/**'] },
  { layer: 'base', files: ['src-main/errors.ts', 'src-main/adapters.ts', 'src-main/paths.ts', 'src-main/secrets.ts', 'src-main/pin-hash.ts', 'src-main/events.ts', 'src-main/files/store.ts', 'src-main/files/zipfile.ts'] },
  { layer: 'src-shared', files: ['src-shared/**'] },
];

/**
 * The services sit side by side; one imports another only along these arrows (today's, acyclic). The queue is its
 * own room: checkout and the SUNAT batches enqueue in their own transaction without pulling in the runner.
 */
export const SERVICES = [
  { room: 'jobs/queue', files: ['src-main/jobs/queue.ts'], imports: [] },
  { room: 'jobs', files: ['src-main/jobs/**'], imports: ['jobs/queue', 'sunat', 'archive', 'reports', 'replication', 'documents'] },
  // The terminal's side of the hub (issue 16): enrolment, the outbox read as batches, push and pull. The runner's
  // hub.push / hub.pull handlers and the scheduler call it; it queues its own jobs through the queue's room.
  { room: 'replication', files: ['src-main/replication/**'], imports: ['jobs/queue'] },
  { room: 'sunat', files: ['src-main/sunat/**'], imports: ['jobs/queue'] },
  { room: 'reports', files: ['src-main/reports/**'], imports: ['documents'] },
  { room: 'documents', files: ['src-main/documents/**'], imports: [] },
  { room: 'archive', files: ['src-main/files/archive*.ts'], imports: [] },
  { room: 'logs', files: ['src-main/logs/**'], imports: [] },
  // The head-office service (issue 16): its own PostgreSQL, nothing of the terminal's SQLite side. It prints the daily
  // report of a store or the chain with the till's own renderer (documents: pdfkit and src-shared only), one layout.
  { room: 'hub', files: ['src-main/hub/**'], imports: ['documents'] },
];

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const APP = 'src-main/app.ts';
const DOC = 'docs/ARCHITECTURE.md, "Layers"; the table is in eslint.layers.js';

function globToRegExp(glob) {
  const body = glob.split('**').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*');
  return new RegExp(`^${body}$`);
}

// Flattened: [{ rank, name, room?, match, imports?, alsoImports? }], in table order (first match wins).
const PLACES = LAYERS.flatMap((l, rank) =>
  l.layer === 'services'
    ? SERVICES.map((r) => ({ rank, name: r.room, room: r.room, imports: r.imports, match: r.files.map(globToRegExp) }))
    : [{ rank, name: l.layer, alsoImports: l.alsoImports ?? [], match: l.files.map(globToRegExp) }],
);

function placeOf(file) {
  return PLACES.find((p) => p.match.some((re) => re.test(file)));
}

/** The repository path an import names, the way TypeScript (moduleResolution Bundler) would find it. */
function targetOf(fromFile, spec) {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec)).replace(/\.(c|m)?js$/, '');
  const candidates = /\.(ts|tsx|json)$/.test(base) ? [base] : [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base];
  return candidates.find((c) => placeOf(c)) ?? candidates[0];
}

function arrowProblem(from, to) {
  if (to.rank < from.rank) return 'up';
  if (to.rank > from.rank || from.name === to.name) return null;
  if (from.room && !from.imports.includes(to.room)) return 'sideways';
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports point down the layers of docs/ARCHITECTURE.md.' },
    schema: [],
    messages: {
      up: '{{from}} may not import {{to}} ({{target}}): imports point down the layers ({{doc}}).',
      sideways: 'The service {{from}} may not import the service {{to}} ({{target}}): between services only the arrows in SERVICES ({{doc}}).',
      app: '{{from}} may not import the composition root src-main/app.ts: take the narrow ports it uses, passed from app.ts ({{doc}}).',
      unlisted: '{{file}} is in no layer: add it to LAYERS or SERVICES ({{doc}}).',
    },
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    if (!file.startsWith('src-main/')) return {};
    const from = placeOf(file);

    function check(node, spec) {
      if (typeof spec !== 'string' || !spec.startsWith('.') || !from) return;
      const target = targetOf(file, spec);
      const to = placeOf(target);
      if (!to) return; // outside the table (resources/, a new file that reports itself)
      if (target === APP) {
        if (from.name === 'entry points' || from.alsoImports?.includes(APP)) return;
        context.report({ node, messageId: 'app', data: { from: from.name, doc: DOC } });
        return;
      }
      const problem = arrowProblem(from, to);
      if (!problem) return;
      context.report({ node, messageId: problem, data: { from: from.name, to: to.name, target, doc: DOC } });
    }
    const fromSource = (node) => check(node, node.source?.value);

    return {
      Program(node) {
        if (!from) context.report({ node, messageId: 'unlisted', data: { file, doc: DOC } });
      },
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
      TSImportType: (node) => check(node, node.source?.value ?? node.argument?.literal?.value),
      TSExternalModuleReference: (node) => check(node, node.expression.value),
    };
  },
};

export default { meta: { name: 'izisales-layers' }, rules: { layers: rule } };
