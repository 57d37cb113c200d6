// The redaction layer every log line and every export goes through (DESIGN §6: the SOL and certificate passwords
// are never logged, exported or shown back). Known secret values are replaced wherever they appear; shapes that
// carry secrets (PEM private keys, password=…, tokens, WS-Security passwords) are masked even when unknown.
export const MASK = '***';

const PATTERNS: [RegExp, string | ((...m: string[]) => string)][] = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, '[CLAVE PRIVADA OMITIDA]'],
  // <wsse:Password …>secret</wsse:Password>
  [/(<(?:[\w-]+:)?Password\b[^>]*>)[^<]*(<\/(?:[\w-]+:)?Password>)/gi, (_m, open, close) => `${open}${MASK}${close}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, (_m, scheme) => `${scheme} ${MASK}`],
  // password=…, "solPassword": "…", token: …, clave=…, pin=… (the key kept, the value masked).
  [
    /((["']?)\b(?:[\w.-]*(?:password|passwd|secret|token|contrase(?:ñ|n)a|apikey|api_key)[\w.-]*|pwd|pin|clave)\2\s*[:=]\s*)(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;&}\]]+)/gi,
    (_m, head) => `${head}${MASK}`,
  ],
];

export class Redactor {
  private secrets = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** A value to mask wherever it appears (too-short values are ignored: masking "1" would wreck every line). */
  add(secret: string | null | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is masked whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
    for (const [re, to] of PATTERNS) out = out.replace(re, to as string);
    return out;
  }
}
