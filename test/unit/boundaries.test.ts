import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The import-boundary rule is what keeps src-shared pure and Electron inside its shell: prove it bites.
const eslint = new ESLint();
async function messages(code: string, filePath: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ["import fs from 'node:fs';\nexport const x = fs;\n", 'src-shared/x.ts', /pure TypeScript/],
    ["import { app } from 'electron';\nexport const x = app;\n", 'src-shared/x.ts', /src-shared imports nothing/],
    ["import { app } from 'electron';\nexport const x = app;\n", 'src-main/pos/x.ts', /Only src-main\/electron/],
    ["import { openDatabase } from '../src-main/db/connection';\nexport const x = openDatabase;\n", 'src-renderer/x.ts', /contract in src-shared/],
  ])('refuses %j in %s', async (code, file, msg) => {
    expect((await messages(code, file)).some((m) => msg.test(m))).toBe(true);
  }, 60_000);

  it('allows electron inside src-main/electron', async () => {
    expect(await messages("import { app } from 'electron';\nexport const x = app;\n", 'src-main/electron/x.ts')).toEqual([]);
  }, 60_000);
});
