// CSV as RFC 4180 writes it (quotes, "" escapes, CRLF) and as Excel in es-PE saves it (';' separator, UTF-8 BOM).

export interface CsvRecord {
  /** The physical line (1-based) where the record starts, for messages the user can find in the file. */
  line: number;
  fields: string[];
}

export interface ParsedCsv {
  separator: ',' | ';';
  records: CsvRecord[];
}

export class CsvError extends Error {}

/** Picks ';' when the first line has more semicolons than commas outside quotes (Excel with a comma decimal). */
export function detectSeparator(text: string): ',' | ';' {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

/** Parses the whole text; blank lines are skipped. Throws CsvError for a quote left open. */
export function parseCsv(input: string): ParsedCsv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const sep = detectSeparator(text);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (ch === sep) endField();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (quoted) throw new CsvError(`Hay comillas sin cerrar desde la línea ${recordLine}.`);
  if (field !== '' || fields.length > 0) endRecord();
  return { separator: sep, records };
}

/** One field, quoted only when it must be. */
export function csvField(value: string, sep: ',' | ';' = ','): string {
  return value.includes('"') || value.includes(sep) || value.includes('\n') || value.includes('\r') || value !== value.trim()
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/** Rows to CSV text with CRLF line ends and a BOM, so Excel reads the accents right. */
export function toCsv(rows: string[][], sep: ',' | ';' = ','): string {
  return '\ufeff' + rows.map((r) => r.map((v) => csvField(v, sep)).join(sep)).join('\r\n') + '\r\n';
}
