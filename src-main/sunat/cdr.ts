// Reads SUNAT's CDR (ApplicationResponse), from the zip SUNAT returns or from the bare XML.
import { unzipSync } from 'fflate';
import { DOMParser, type Element } from '@xmldom/xmldom';

const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';

export interface CdrNote {
  code: string;
  text: string;
}

export interface Cdr {
  responseCode: string;
  description: string;
  /** cac:DocumentResponse/cac:Response/cbc:ReferenceID, e.g. "F001-1". */
  referenceId: string;
  /** cac:DocumentResponse/cac:DocumentReference/cbc:ID. */
  documentReferenceId: string;
  /** The customer, as SUNAT writes it ("6-20587896411"). */
  recipientId: string;
  /** cac:ReceiverParty: the issuer RUC the CDR was written for. */
  receiverId: string;
  notes: CdrNote[];
  issueDate: string;
  /** cac:Signature/cac:SignatoryParty's name: "SUNAT" from SUNAT, the simulator's own name from the simulator. */
  responderName: string;
  /** Written by iziSales' SUNAT simulator (its responder name), never by SUNAT: an acceptance without validity. */
  simulated: boolean;
  xml: string;
  /** Name of the XML entry when read from a zip. */
  fileName?: string;
}

export class CdrError extends Error {}

/** How the simulator names itself in its CDRs (simulator/cdr-writer.ts SIMULATOR_RESPONDER). */
const SIMULATOR_MARK = /\bSIMULADOR iziSales\b/;

/** Decodes XML bytes honouring a BOM or the declaration's encoding (SUNAT sends UTF-8 and ISO-8859-1). */
export function decodeXmlBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // The declaration is ASCII in every encoding SUNAT uses, so latin1 is safe to sniff it.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const m = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  const label = (m?.[1] ?? 'utf-8').toLowerCase();
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The one XML in a SUNAT zip; folders and empty entries (SUNAT's `dummy`) are skipped. */
export function xmlEntryFromZip(zip: Uint8Array): { name: string; bytes: Uint8Array } {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (e) {
    throw new CdrError(`el ZIP del CDR está dañado: ${(e as Error).message}`);
  }
  const files = Object.entries(entries).filter(([name, data]) => !name.endsWith('/') && data.length > 0);
  const xml = files.find(([name]) => /\.xml$/i.test(name)) ?? files[0];
  if (!xml) throw new CdrError('el ZIP del CDR no contiene ningún XML');
  return { name: xml[0], bytes: xml[1] };
}

function children(parent: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) {
      const el = n as Element;
      if (el.localName === local && el.namespaceURI === ns) out.push(el);
    }
  }
  return out;
}

function child(parent: Element | undefined, ns: string, local: string): Element | undefined {
  return parent ? children(parent, ns, local)[0] : undefined;
}

function text(el: Element | undefined): string {
  return (el?.textContent ?? '').trim();
}

/** A party's id whether SUNAT wrote PartyIdentification/ID or PartyLegalEntity/CompanyID (OSE style). */
function partyId(party: Element | undefined): string {
  const byIdentification = text(child(child(party, CAC, 'PartyIdentification'), CBC, 'ID'));
  if (byIdentification) return byIdentification;
  const legal = child(child(party, CAC, 'PartyLegalEntity'), CBC, 'CompanyID');
  return text(legal);
}

export function parseNote(note: string): CdrNote {
  const m = /^\s*(\d{1,4})\s*-\s*([\s\S]*)$/.exec(note);
  return m ? { code: m[1].padStart(4, '0'), text: m[2].trim() } : { code: '', text: note.trim() };
}

export function readCdrXml(xml: string): Cdr {
  let root: Element | null;
  const errors: string[] = [];
  try {
    const doc = new DOMParser({ onError: (level, msg) => void (level !== 'warning' && errors.push(msg)) }).parseFromString(
      xml,
      'text/xml',
    );
    root = doc.documentElement;
  } catch (e) {
    throw new CdrError(`el CDR no es un XML legible: ${(e as Error).message}`);
  }
  if (!root || errors.length > 0) throw new CdrError(`el CDR no es un XML legible: ${errors[0] ?? 'sin raíz'}`);
  if (root.localName !== 'ApplicationResponse') throw new CdrError(`el XML no es un CDR (raíz ${root.localName})`);
  const docResponse = child(root, CAC, 'DocumentResponse');
  const response = child(docResponse, CAC, 'Response');
  const responseCode = text(child(response, CBC, 'ResponseCode'));
  if (!responseCode) throw new CdrError('el CDR no trae cbc:ResponseCode');
  const notes = children(root, CBC, 'Note').map((n) => parseNote(n.textContent ?? ''));
  const responderName = text(child(child(child(child(root, CAC, 'Signature'), CAC, 'SignatoryParty'), CAC, 'PartyName'), CBC, 'Name'));
  return {
    responseCode,
    description: text(child(response, CBC, 'Description')),
    referenceId: text(child(response, CBC, 'ReferenceID')),
    documentReferenceId: text(child(child(docResponse, CAC, 'DocumentReference'), CBC, 'ID')),
    recipientId: partyId(child(docResponse, CAC, 'RecipientParty')),
    receiverId: partyId(child(root, CAC, 'ReceiverParty')),
    notes,
    issueDate: text(child(root, CBC, 'IssueDate')),
    responderName,
    simulated: SIMULATOR_MARK.test(responderName),
    xml,
  };
}

/** Reads a CDR from a zip (as SUNAT returns it) or from XML bytes. Throws CdrError when it cannot. */
export function readCdr(bytes: Uint8Array): Cdr {
  if (isZip(bytes)) {
    const entry = xmlEntryFromZip(bytes);
    return { ...readCdrXml(decodeXmlBytes(entry.bytes)), fileName: entry.name };
  }
  return readCdrXml(decodeXmlBytes(bytes));
}

/** "F001-00000001" and "F001-1" are the same document; series compare case-insensitively. */
function sameDocId(a: string, b: string): boolean {
  const pa = /^([A-Za-z0-9]+(?:-\d{8})?)-0*(\d+)$/.exec(a.trim());
  const pb = /^([A-Za-z0-9]+(?:-\d{8})?)-0*(\d+)$/.exec(b.trim());
  if (!pa || !pb) return a.trim().toUpperCase() === b.trim().toUpperCase();
  return pa[1].toUpperCase() === pb[1].toUpperCase() && pa[2] === pb[2];
}

/**
 * Does this CDR answer for the expected document? Accepts "F001-1" or the full "RUC-TT-F001-1"
 * (then the CDR's receiver, when present, must be that RUC).
 */
export function checkCdrRefersTo(cdr: Cdr, expectedDocId: string): boolean {
  let ruc: string | null = null;
  let id = expectedDocId.trim();
  const full = /^(\d{11})-([0-9A-Z]{2})-(.+)$/i.exec(id);
  if (full) {
    ruc = full[1];
    id = full[3];
  }
  if (ruc && cdr.receiverId && cdr.receiverId.replace(/^\d-/, '') !== ruc) return false;
  const refs = [cdr.referenceId, cdr.documentReferenceId].filter((r) => r !== '');
  return refs.length > 0 && refs.every((r) => sameDocId(r, id));
}
