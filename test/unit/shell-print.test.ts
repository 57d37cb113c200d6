// The shell's printing glue that needs no Electron (src-main/electron/security.ts), and the .deb's maintainer.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { MAX_PRINT_BYTES, pdfFromRenderer, printFileName, printWindowOptions } from '../../src-main/electron/security';

describe('the hidden print window cannot reach Node either', () => {
  const o = printWindowOptions();
  it.each([
    ['contextIsolation', true], ['sandbox', true], ['nodeIntegration', false], ['nodeIntegrationInWorker', false],
    ['webSecurity', true], ['allowRunningInsecureContent', false], ['webviewTag', false],
  ] as const)('%s is %s', (key, value) => {
    expect(o.webPreferences[key]).toBe(value);
  });
  it('is hidden, has no preload and its own session (the app CSP hook stays off the PDF viewer)', () => {
    expect(o.show).toBe(false);
    expect('preload' in o.webPreferences).toBe(false);
    expect(o.webPreferences.partition).toBe('izisales-print');
    expect(o.webPreferences.partition.startsWith('persist:')).toBe(false);
  });
});

describe('what the renderer hands over for printing', () => {
  it('accepts a PDF and nothing else', () => {
    const pdf = Buffer.from('%PDF-1.3\n...');
    expect(pdfFromRenderer(pdf.toString('base64'))).toEqual(pdf);
    expect(pdfFromRenderer(Buffer.from('<html>').toString('base64'))).toBeNull();
    expect(pdfFromRenderer(42)).toBeNull();
    expect(pdfFromRenderer('')).toBeNull();
    expect(pdfFromRenderer('A'.repeat(Math.ceil((MAX_PRINT_BYTES * 4) / 3) + 8))).toBeNull();
  });
  it('reduces the file name to a safe one inside the temporary folder', () => {
    expect(printFileName('20601234565-03-B001-00000001.pdf')).toBe('20601234565-03-B001-00000001.pdf');
    expect(printFileName('../../etc/passwd')).toBe('_.._etc_passwd.pdf');
    expect(printFileName('..\\..\\x.pdf')).toBe('_.._x.pdf');
    expect(printFileName(undefined)).toBe('documento.pdf');
    expect(printFileName('')).toBe('documento.pdf');
  });
});

describe('electron-builder.yml for the .deb', () => {
  it('names a real maintainer with a contact address and recommends CUPS for printing', () => {
    const yml = fs.readFileSync('electron-builder.yml', 'utf8');
    expect(/^\s+maintainer:\s*"?iziSales <soporte@izisales\.pe>"?\s*$/m.test(yml)).toBe(true);
    expect(yml).toMatch(/recommends:\n\s+- cups-client/);
  });
});
