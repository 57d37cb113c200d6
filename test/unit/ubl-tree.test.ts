import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { C14nCanonicalization } from 'xml-crypto';
import { XmlElement } from '../../src-main/sunat/ubl/tree';
import { canonicalizeTree } from '../../src-main/sunat/signer';

const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
const root = () => XmlElement.root('urn:test:Invoice', 'Invoice', { 'xmlns:cbc': CBC });
const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml').documentElement!;

describe('the UBL tree (ubl/tree.ts)', () => {
  it.each([
    ['plain text', 'PRODUCTO 1', 'PEN'],
    ['markup characters', 'A & B <C> "D" \'E\'', 'a&b<c>"d"'],
    ['Spanish letters and symbols', 'AÑO ÑANDÚ ¿qué? ¡sí! 25° €', 'ü'],
    ['a character outside the BMP', 'bolsa 🛍️', 'x'],
  ])('writes %s so that a parser reads back the same values, and canonicalizes like xml-crypto', (_name, text, attr) => {
    const r = root();
    r.ele('cbc:Note', { languageLocaleID: attr }).txt(text);
    r.ele('cbc:Empty');
    const xml = r.serialize();
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:test:Invoice" xmlns:cbc=')).toBe(true);
    expect(xml).toContain('<cbc:Empty/>');
    const parsed = parse(xml);
    const note = parsed.getElementsByTagNameNS(CBC, 'Note').item(0)!;
    expect(note.textContent).toBe(text);
    expect(note.getAttribute('languageLocaleID')).toBe(attr);
    const expected = new C14nCanonicalization().process(parsed as unknown as Node, { ancestorNamespaces: [] });
    expect(canonicalizeTree(r)).toBe(expected);
  });

  it('keeps tabs, line breaks and carriage returns in attributes and text through a parser', () => {
    const r = root();
    r.ele('cbc:Note', { a: 'x\ty\nz\r' }).txt('línea 1\r\nlínea 2');
    const note = parse(r.serialize()).getElementsByTagNameNS(CBC, 'Note').item(0)!;
    expect(note.getAttribute('a')).toBe('x\ty\nz\r');
    expect(note.textContent).toBe('línea 1\r\nlínea 2');
    // The canonicalizer leaves these to the parsing path (parsers normalise them).
    expect(canonicalizeTree(r)).toBeNull();
  });

  it.each([
    ['a control character in text', (r: XmlElement) => r.ele('cbc:Note').txt('a\u0001b'), /carácter que XML no admite/],
    ['a lone surrogate in an attribute', (r: XmlElement) => r.ele('cbc:Note', { a: 'x\uD800' }), /carácter que XML no admite/],
    ['an element without a prefix', (r: XmlElement) => r.ele('Note'), /prefijo declarado/],
    ['an element with an undeclared prefix', (r: XmlElement) => r.ele('cac:Party'), /prefijo declarado/],
    ['a prefixed attribute', (r: XmlElement) => r.ele('cbc:Note', { 'xml:lang': 'es' }), /no puede llevar prefijo/],
  ])('refuses %s at build time', (_name, add, message) => {
    expect(() => add(root())).toThrow(message);
  });
});
