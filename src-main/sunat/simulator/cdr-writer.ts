// Builds the signed CDR zip the simulator returns, shaped like SUNAT's ApplicationResponse.
import { zipInMemory } from '../../files/zipfile';
import { sunatMessage } from '../error-texts';
import { c14nText, signCanonicalTemplate, type CanonicalTemplate, type SimulatorIdentity } from './xmlsig';

export const SIMULATOR_RUC = '20131312955';
/**
 * The responder's name in every CDR the simulator signs, where SUNAT writes "SUNAT": the CDR reader recognises it
 * (sunat/cdr.ts `simulated`), so an acceptance by the simulator is marked so for ever. Not a cbc:Note: any note makes
 * a CDR "accepted with observations".
 */
export const SIMULATOR_RESPONDER = 'SIMULADOR iziSales (sin validez tributaria)';

const DOC_NAMES: Record<string, [string, string]> = {
  '01': ['La Factura', 'aceptada'],
  '03': ['La Boleta', 'aceptada'],
  '07': ['La Nota de Credito', 'aceptada'],
  '08': ['La Nota de Debito', 'aceptada'],
  RC: ['El Resumen diario', 'aceptado'],
  RA: ['La Comunicacion de baja', 'aceptada'],
  RR: ['El Resumen de reversiones', 'aceptado'],
};

export interface CdrInput {
  ruc: string;
  type: string;
  docId: string;
  /** "6-20123456789", or "" when the document has no identified customer. */
  recipient: string;
  responseCode: string;
  observations: string[];
  now?: Date;
}

function limaParts(now: Date): { date: string; time: string } {
  // Peru is UTC−5 all year (no daylight saving), so a fixed offset is exact.
  const lima = new Date(now.getTime() - 5 * 3600_000).toISOString();
  return { date: lima.slice(0, 10), time: lima.slice(11, 19) };
}

export function cdrDescription(input: CdrInput): string {
  if (input.responseCode !== '0') return sunatMessage(input.responseCode);
  const [name, verb] = DOC_NAMES[input.type] ?? ['El comprobante', 'aceptado'];
  return `${name} numero ${input.docId}, ha sido ${verb}`;
}

const NS: Array<[string, string]> = [
  ['ar', 'urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2'],
  ['cac', 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'],
  ['cbc', 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'],
  ['ds', 'http://www.w3.org/2000/09/xmldsig#'],
  ['ext', 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2'],
];

/** The CDR as a canonical template (see signCanonicalTemplate): every text escaped the C14N way, nothing self-closed. */
export function cdrTemplate(input: CdrInput): CanonicalTemplate {
  const now = input.now ?? new Date();
  const { date, time } = limaParts(now);
  const t = c14nText;
  const notes = input.observations.map((c) => `<cbc:Note>${t(`${c} - ${sunatMessage(c)}`)}</cbc:Note>`).join('');
  const recipient = input.recipient
    ? `<cac:RecipientParty><cac:PartyIdentification><cbc:ID>${t(input.recipient)}</cbc:ID></cac:PartyIdentification></cac:RecipientParty>`
    : '';
  return {
    namespaces: NS,
    rootName: 'ar:ApplicationResponse',
    before: '<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>',
    after:
      `</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>` +
      `<cbc:UBLVersionID>2.0</cbc:UBLVersionID><cbc:CustomizationID>1.0</cbc:CustomizationID>` +
      `<cbc:ID>${now.getTime()}</cbc:ID><cbc:IssueDate>${date}</cbc:IssueDate><cbc:IssueTime>${time}</cbc:IssueTime>` +
      `<cbc:ResponseDate>${date}</cbc:ResponseDate><cbc:ResponseTime>${time}</cbc:ResponseTime>` +
      notes +
      `<cac:Signature><cbc:ID>SignSUNAT</cbc:ID><cac:SignatoryParty><cac:PartyIdentification><cbc:ID>${SIMULATOR_RUC}</cbc:ID>` +
      `</cac:PartyIdentification><cac:PartyName><cbc:Name>${t(SIMULATOR_RESPONDER)}</cbc:Name></cac:PartyName></cac:SignatoryParty>` +
      `<cac:DigitalSignatureAttachment><cac:ExternalReference><cbc:URI>#SignSUNAT</cbc:URI></cac:ExternalReference>` +
      `</cac:DigitalSignatureAttachment></cac:Signature>` +
      `<cac:SenderParty><cac:PartyIdentification><cbc:ID>${SIMULATOR_RUC}</cbc:ID></cac:PartyIdentification></cac:SenderParty>` +
      `<cac:ReceiverParty><cac:PartyIdentification><cbc:ID>${t(input.ruc)}</cbc:ID></cac:PartyIdentification></cac:ReceiverParty>` +
      `<cac:DocumentResponse><cac:Response><cbc:ReferenceID>${t(input.docId)}</cbc:ReferenceID>` +
      `<cbc:ResponseCode>${t(input.responseCode)}</cbc:ResponseCode>` +
      `<cbc:Description>${t(cdrDescription(input))}</cbc:Description></cac:Response>` +
      `<cac:DocumentReference><cbc:ID>${t(input.docId)}</cbc:ID></cac:DocumentReference>${recipient}` +
      `</cac:DocumentResponse>`,
  };
}

/** The signed CDR XML. */
export function signedCdrXml(input: CdrInput, id: SimulatorIdentity): string {
  return signCanonicalTemplate(cdrTemplate(input), id, 'SignSUNAT');
}

/** R-RUC-TT-SERIE-NUMERO.zip with the signed R-….xml inside, and an empty folder entry like SUNAT's. */
export function buildCdrZip(input: CdrInput, id: SimulatorIdentity, baseName: string): { fileName: string; zip: Uint8Array } {
  const signed = signedCdrXml(input, id);
  const mtime = new Date();
  const zip = zipInMemory([
    { name: 'dummy/', data: new Uint8Array(0), level: 0, mtime },
    { name: `R-${baseName}.xml`, data: Buffer.from(signed, 'utf8'), level: 6, mtime },
  ]);
  return { fileName: `R-${baseName}.zip`, zip };
}
