// Exact decimal arithmetic on bigint: value = units / 10^scale. Never binary floats for money.

const POW10: bigint[] = [];
function pow10(n: number): bigint {
  let p = POW10[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    POW10[n] = p;
  }
  return p;
}

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

export class Dec {
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  static readonly ZERO = new Dec(0n, 0);

  /** Parses "12", "-3.50", "0.0000000001". Throws on anything else (no exponents, no commas). */
  static of(value: string | number | bigint | Dec): Dec {
    if (value instanceof Dec) return value;
    if (typeof value === 'bigint') return new Dec(value, 0);
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) throw new Error(`Dec.of needs an integer or a string, not ${value}`);
      return new Dec(BigInt(value), 0);
    }
    const m = DECIMAL_RE.exec(value.trim());
    if (!m) throw new Error(`not a decimal number: "${value}"`);
    const frac = m[3] ?? '';
    const units = BigInt(m[2] + frac) * (m[1] === '-' ? -1n : 1n);
    return new Dec(units, frac.length);
  }

  static isValid(value: string): boolean {
    return DECIMAL_RE.test(value.trim());
  }

  static fromCents(cents: number | bigint): Dec {
    return new Dec(BigInt(cents), 2);
  }

  private align(other: Dec): [bigint, bigint, number] {
    if (this.scale === other.scale) return [this.units, other.units, this.scale];
    if (this.scale > other.scale) return [this.units, other.units * pow10(this.scale - other.scale), this.scale];
    return [this.units * pow10(other.scale - this.scale), other.units, other.scale];
  }

  plus(o: Dec | string | number): Dec {
    const [a, b, s] = this.align(Dec.of(o));
    return new Dec(a + b, s);
  }

  minus(o: Dec | string | number): Dec {
    const [a, b, s] = this.align(Dec.of(o));
    return new Dec(a - b, s);
  }

  times(o: Dec | string | number): Dec {
    const d = Dec.of(o);
    return new Dec(this.units * d.units, this.scale + d.scale);
  }

  /** Division rounded half-up (away from zero) to `scale` decimals. */
  div(o: Dec | string | number, scale: number): Dec {
    const d = Dec.of(o);
    if (d.units === 0n) throw new Error('division by zero');
    // this/d = (a/10^sa) / (b/10^sb); want result * 10^scale
    let num = this.units * pow10(scale + d.scale);
    let den = d.units * pow10(this.scale);
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    return new Dec(roundHalfUp(num, den), scale);
  }

  /** Rounds half-up (away from zero) to `scale` decimals. */
  round(scale: number): Dec {
    if (scale >= this.scale) return new Dec(this.units * pow10(scale - this.scale), scale);
    return new Dec(roundHalfUp(this.units, pow10(this.scale - scale)), scale);
  }

  neg(): Dec {
    return new Dec(-this.units, this.scale);
  }

  abs(): Dec {
    return this.units < 0n ? this.neg() : this;
  }

  cmp(o: Dec | string | number): number {
    const [a, b] = this.align(Dec.of(o));
    return a < b ? -1 : a > b ? 1 : 0;
  }

  eq(o: Dec | string | number): boolean {
    return this.cmp(o) === 0;
  }
  gt(o: Dec | string | number): boolean {
    return this.cmp(o) > 0;
  }
  gte(o: Dec | string | number): boolean {
    return this.cmp(o) >= 0;
  }
  lt(o: Dec | string | number): boolean {
    return this.cmp(o) < 0;
  }
  lte(o: Dec | string | number): boolean {
    return this.cmp(o) <= 0;
  }
  isZero(): boolean {
    return this.units === 0n;
  }
  isNegative(): boolean {
    return this.units < 0n;
  }

  /** Integer céntimos of a value already rounded to 2 decimals (throws otherwise). */
  toCents(): number {
    const r = this.round(2);
    if (!r.eq(this)) throw new Error(`${this.toString()} is not a whole number of céntimos`);
    return Number(r.units);
  }

  /** Fixed notation with exactly `scale` decimals (rounding half-up), or the natural scale. */
  toFixed(scale?: number): string {
    const v = scale === undefined ? this : this.round(scale);
    const neg = v.units < 0n;
    const digits = (neg ? -v.units : v.units).toString().padStart(v.scale + 1, '0');
    const int = digits.slice(0, digits.length - v.scale);
    const frac = digits.slice(digits.length - v.scale);
    return (neg ? '-' : '') + int + (v.scale > 0 ? '.' + frac : '');
  }

  /** Natural notation without trailing zeros ("3.5", "2"). */
  toString(): string {
    const s = this.toFixed();
    return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  }
}

function roundHalfUp(num: bigint, den: bigint): bigint {
  // den > 0
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= den) return num < 0n ? q - 1n : q + 1n;
  return q;
}

export function sum(values: Dec[]): Dec {
  return values.reduce((a, b) => a.plus(b), Dec.ZERO);
}

/** "S/ 1,234.50" as used in Peru. */
export function formatSoles(value: Dec | string): string {
  const s = Dec.of(value).toFixed(2);
  const neg = s.startsWith('-');
  const [int, frac] = (neg ? s.slice(1) : s).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}S/ ${grouped}.${frac}`;
}
