import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The layers of docs/ARCHITECTURE.md are held by lint (eslint.layers.js): prove an import against the drawing fails
// and one along it passes, on in-memory files at paths inside src-main (the real config, no subprocess).
const eslint = new ESLint();
async function problems(code: string, filePath: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
}
const walls = async (code: string, filePath: string) => (await problems(code, filePath)).filter((p) => p.ruleId === 'izisales/layers');
const use = (spec: string) => `import * as m from '${spec}';\nexport const x = m;\n`;

describe('lint keeps the walls of docs/ARCHITECTURE.md', () => {
  it.each([
    ['src-main/db/x.ts', '../pos/checkout', /db may not import pos/],
    ['src-main/sunat/x.ts', '../pos/checkout', /sunat may not import pos/],
    ['src-main/jobs/x.ts', '../api', /jobs may not import Api/],
    ['src-main/sunat/x.ts', '../jobs/runner', /service sunat may not import the service jobs/],
    ['src-main/pos/x.ts', '../app', /pos may not import the composition root/],
    ['src-main/db/x.ts', '../reports/daily', /db may not import reports/],
    ['src-main/documents/x.ts', '../reports/daily', /service documents may not import the service reports/],
  ])('refuses %s importing %s', async (file, spec, msg) => {
    const found = await walls(use(spec), file);
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(msg);
    expect(found[0].message).toMatch(/docs\/ARCHITECTURE\.md/);
  });

  it('counts type-only, re-exported and dynamic imports too', async () => {
    expect(await walls("import type { App } from '../app';\nexport type A = App;\n", 'src-main/logs/x.ts')).toHaveLength(1);
    expect(await walls("export { checkout } from '../pos/checkout';\n", 'src-main/db/x.ts')).toHaveLength(1);
    expect(await walls("export const load = () => import('../pos/checkout');\n", 'src-main/db/x.ts')).toHaveLength(1);
  });

  it.each([
    ['src-main/pos/x.ts', '../db/connection'],
    ['src-main/pos/x.ts', '../jobs/queue'],
    ['src-main/sunat/x.ts', '../jobs/queue'],
    ['src-main/jobs/x.ts', '../sunat/build'],
    ['src-main/jobs/x.ts', '../documents/escpos'],
    ['src-main/reports/x.ts', '../documents/report-pdf'],
    ['src-main/db/x.ts', '../errors'],
    ['src-main/api.ts', './app'],
    ['src-main/commands/x.ts', '../app'],
  ])('allows %s importing %s', async (file, spec) => {
    expect(await walls(use(spec), file)).toEqual([]);
  });

  it('still keeps src-shared pure', async () => {
    const found = await problems("import fs from 'node:fs';\nexport const x = fs;\n", 'src-shared/x.ts');
    expect(found.map((p) => p.message).join('\n')).toMatch(/pure TypeScript/);
  });

  it('refuses a src-main file that is in no layer', async () => {
    expect((await walls('export const x = 1;\n', 'src-main/x.ts'))[0]?.message).toMatch(/in no layer/);
  });

  it('a real file lints clean, and a copy of it with one import against the drawing does not', async () => {
    const file = 'src-main/db/audit.ts';
    const code = fs.readFileSync(file, 'utf8');
    expect(await walls(code, file)).toEqual([]);
    const found = await walls(`import { checkout as _c } from '../pos/checkout';\n${code}`, file);
    expect(found.map((p) => p.message)).toEqual([expect.stringMatching(/db may not import pos \(src-main\/pos\/checkout\.ts\)/)]);
  });
});
