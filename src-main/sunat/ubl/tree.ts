// A UBL document as a small tree of its own: elements named with a prefix the root declares, attributes without a
// prefix, and text — all a UBL document holds. The builders (ubl/*.ts) add to it, the signer canonicalizes it
// without parsing text (signer.ts, TreeNode) and serialize() writes it. It replaced xmlbuilder2, whose general DOM
// (namespace algorithms, live node lists) took about half of a document's build + sign time (`npm run bench --
// documents`); anything outside this small shape is refused at build time instead of being written wrong.
import type { TreeNode } from '../signer';

// XML 1.0's Char production: no C0 controls but tab, line feed and carriage return; no U+FFFE/U+FFFF; no lone surrogates.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR_ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;',
};
const escapeText = (s: string) => (/[&<>\r]/.test(s) ? s.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]) : s);
const escapeAttr = (s: string) => (/[&<>"\t\n\r]/.test(s) ? s.replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]) : s);

function checkChars(what: string, value: string): string {
  if (NOT_XML_CHAR.test(value)) throw new Error(`${what} tiene un carácter que XML no admite: ${JSON.stringify(value)}`);
  return value;
}

interface Attr { name: string; prefix: string | null; localName: string; value: string }

/** The `length` + `item(i)` view the canonicalizer reads, over a plain array. */
class ListView<T> {
  constructor(private readonly items: T[]) {}
  get length(): number {
    return this.items.length;
  }
  item(i: number): T | null {
    return this.items[i] ?? null;
  }
}

const NO_CHILDREN = new ListView<TreeNode>([]);

class XmlText implements TreeNode {
  readonly nodeType = 3;
  readonly childNodes: ListView<TreeNode> = NO_CHILDREN;
  constructor(readonly data: string) {}
}

export class XmlElement implements TreeNode {
  readonly nodeType = 1;
  private readonly attrs: Attr[] = [];
  private readonly kids: (XmlElement | XmlText)[] = [];
  readonly attributes: ListView<Attr> = new ListView<Attr>(this.attrs);
  readonly childNodes: ListView<TreeNode> = new ListView<TreeNode>(this.kids);

  private constructor(
    readonly prefix: string | null,
    readonly localName: string,
    readonly namespaceURI: string,
    /** Prefix → namespace, declared on the root and shared by every element below it. */
    private readonly scope: Map<string, string>,
  ) {}

  /** The root: in namespace `ns` (written as the default), declaring `xmlns:*` attributes for the prefixes below. */
  static root(ns: string, name: string, declarations: Record<string, string>): XmlElement {
    const scope = new Map<string, string>();
    const root = new XmlElement(null, checkChars('El nombre', name), ns, scope);
    for (const [attr, uri] of Object.entries(declarations)) {
      if (!attr.startsWith('xmlns:')) throw new Error(`La raíz solo declara prefijos (xmlns:…), no ${attr}.`);
      const prefix = attr.slice(6);
      scope.set(prefix, uri);
      root.attrs.push({ name: attr, prefix: 'xmlns', localName: prefix, value: checkChars(attr, uri) });
    }
    return root;
  }

  /** Adds a child element `prefix:name` (the prefix declared on the root) with optional attributes; returns it. */
  ele(qname: string, attrs?: Record<string, string>): XmlElement {
    const colon = qname.indexOf(':');
    const prefix = colon > 0 ? qname.slice(0, colon) : '';
    const uri = this.scope.get(prefix);
    if (!prefix || uri === undefined) throw new Error(`El elemento ${qname} no lleva un prefijo declarado en la raíz.`);
    const child = new XmlElement(prefix, checkChars('El nombre', qname.slice(colon + 1)), uri, this.scope);
    if (attrs) {
      for (const [name, value] of Object.entries(attrs)) {
        if (name.includes(':')) throw new Error(`El atributo ${name} no puede llevar prefijo.`);
        child.attrs.push({ name, prefix: null, localName: name, value: checkChars(`El atributo ${name}`, value) });
      }
    }
    this.kids.push(child);
    return child;
  }

  /** Adds text; returns this element. */
  txt(text: string): this {
    this.kids.push(new XmlText(checkChars(`El texto de ${this.prefix ?? ''}:${this.localName}`, text)));
    return this;
  }

  /** The document's text: XML declaration, no indentation, empty elements self-closed. */
  serialize(): string {
    const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
    this.write(out);
    return out.join('');
  }

  private write(out: string[]): void {
    const qname = this.prefix ? `${this.prefix}:${this.localName}` : this.localName;
    let open = `<${qname}`;
    if (!this.prefix) open += ` xmlns="${escapeAttr(this.namespaceURI)}"`;
    for (const a of this.attrs) open += ` ${a.name}="${escapeAttr(a.value)}"`;
    if (this.kids.length === 0) {
      out.push(`${open}/>`);
      return;
    }
    out.push(`${open}>`);
    for (const k of this.kids) {
      if (k instanceof XmlText) out.push(escapeText(k.data));
      else k.write(out);
    }
    out.push(`</${qname}>`);
  }
}
