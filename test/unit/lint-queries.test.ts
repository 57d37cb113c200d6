import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The query style of docs/ARCHITECTURE.md ("Data" → "Query style") is held by lint (eslint.queries.js): hand-written
// SQL is prepared through db.prepare, never on the raw connection and never inside a loop. Proven on in-memory files
// at paths inside src-main (the real config, no subprocess), and on the tree itself.
const eslint = new ESLint();
async function queries(code: string, filePath: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.filter((m) => m.ruleId === 'izisales/queries').map((m) => m.message);
}
const RAW = /not on the raw connection/;
const LOOP = /prepared inside a loop/;
const fn = (body: string) => `import type { Db } from '../db/connection';\nexport function f(db: Db, ids: number[]): void {\n${body}\n}\n`;

describe('lint keeps the query style of docs/ARCHITECTURE.md', () => {
  it.each([
    ['the Db wrapper\'s connection', "db.raw.prepare('SELECT 1').get();"],
    ['a connection taken out of it', "const raw = db.raw;\nraw.prepare('SELECT 1').get();"],
    ['a deeper one', "const app = { db };\napp.db.raw.prepare('SELECT 1').get();"],
  ])('refuses raw.prepare on %s', async (_what, body) => {
    const found = await queries(fn(body), 'src-main/pos/x.ts');
    expect(found).toEqual([expect.stringMatching(RAW)]);
    expect(found[0]).toMatch(/db\.prepare/);
    expect(found[0]).toMatch(/docs\/ARCHITECTURE\.md/);
  });

  it('lets the wrapper and the migrations use the raw connection', async () => {
    const code = "import Database from 'better-sqlite3';\nconst raw = new Database(':memory:');\nexport const s = raw.prepare('SELECT 1');\n";
    expect(await queries(code, 'src-main/db/connection.ts')).toEqual([]);
    expect(await queries(code, 'src-main/db/migrations/009_x.ts')).toEqual([]);
    expect(await queries(code, 'src-main/db/x.ts')).toEqual([expect.stringMatching(RAW)]);
  });

  it.each([
    ['for … of', "for (const id of ids) db.prepare('DELETE FROM jobs WHERE id = ?').run(id);"],
    ['for … in', "for (const k in ids) db.prepare('SELECT ?').get(k);"],
    ['a counted for', "for (let i = 0; i < ids.length; i++) {\n  db.prepare('SELECT ?').get(ids[i]);\n}"],
    ['a for test', "for (let i = 0; db.prepare('SELECT ? < 3 AS go').get(i); i++) ids.push(i);"],
    ['while', "let i = 0;\nwhile (i < 3) {\n  db.prepare('SELECT ?').get(i++);\n}"],
    ['do … while', "let i = 0;\ndo {\n  db.prepare('SELECT ?').get(i++);\n} while (i < 3);"],
    ['a forEach callback', "ids.forEach((id) => db.prepare('SELECT ?').get(id));"],
    ['a map callback', "ids.map(function (id) {\n  return db.prepare('SELECT ?').get(id);\n});"],
    ['a transaction inside a loop', "for (const id of ids) db.tx(() => db.prepare('SELECT ?').get(id));"],
  ])('refuses a statement prepared inside %s', async (_where, body) => {
    expect(await queries(fn(body), 'src-main/jobs/x.ts')).toEqual([expect.stringMatching(LOOP)]);
  });

  it('reports both when the raw connection prepares inside a loop', async () => {
    const found = await queries(fn("for (const id of ids) db.raw.prepare('SELECT ?').get(id);"), 'src-main/jobs/x.ts');
    expect(found).toEqual([expect.stringMatching(RAW), expect.stringMatching(LOOP)]);
  });

  it.each([
    ['prepared once before the loop', "const s = db.prepare('SELECT ?');\nfor (const id of ids) s.get(id);"],
    ['the loop\'s own source', "for (const r of db.prepare('SELECT id FROM jobs').all()) ids.push((r as { id: number }).id);"],
    ['a counted for\'s start', "for (let s = db.prepare('SELECT 1'), i = 0; i < ids.length; i++) s.get();"],
    ['Kysely in a loop (the wrapper caches its SQL)', "for (const id of ids) db.run(db.q.deleteFrom('jobs').where('id', '=', id));"],
    ['a callback that is no loop', "db.tx(() => db.prepare('SELECT 1').get());"],
  ])('allows %s', async (_what, body) => {
    expect(await queries(fn(body), 'src-main/jobs/x.ts')).toEqual([]);
  });

  it('looks only at src-main', async () => {
    expect(await queries(fn("for (const id of ids) db.raw.prepare('SELECT ?').get(id);"), 'test/integration/x.test.ts')).toEqual([]);
  });

  it('a real file lints clean, and a copy of it that prepares on the raw connection in its loop does not', async () => {
    const file = 'src-main/jobs/handlers/retry-failed.ts';
    const code = fs.readFileSync(file, 'utf8');
    expect(await queries(code, file)).toEqual([]);
    const anchor = '    for (const d of rows) {\n';
    expect(code).toContain(anchor);
    const bad = code.replace(anchor, `${anchor}      db.raw.prepare('UPDATE documents SET updated_at = ? WHERE id = ?').run(at, d.id);\n`);
    expect(await queries(bad, file)).toEqual([expect.stringMatching(RAW), expect.stringMatching(LOOP)]);
  });

  it('the tree lints clean', async () => {
    const results = await eslint.lintFiles(['src-main']);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'izisales/queries').map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(found).toEqual([]);
  });
});
