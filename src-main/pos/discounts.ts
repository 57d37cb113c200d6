// Discounts, price overrides and their approval (issue 15 item 5). What a line is charged below the catalog — its
// discount, its share of a global discount and a lowered price together (src-shared/sale-lines.ts belowListPercent) —
// is held against the seller's limit: a setting per role, none for an admin. Above it, a supervisor or an admin
// approves at the counter with their own user and PIN (up to their own limit); the approval goes with that one sale
// and is recorded in the sale's transaction with who approved, for whom, how much and why.
import crypto from 'node:crypto';
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import type { Role } from '../../src-shared/contract';
import { Dec } from '../../src-shared/decimal';
import { getSetting } from '../db/settings';
import { audit } from '../db/audit';
import { forbidden, ruleError } from '../errors';
import { ApiError } from '../../src-shared/contract';
import { loginWithPin } from './sessions';

/** Percent below the catalog a role may sell at without an approval. */
export function discountLimit(db: Db, role: Role): Dec {
  if (role === 'admin') return Dec.of(100);
  return Dec.of(getSetting(db, role === 'supervisor' ? 'supervisorDiscountLimitPercent' : 'cashierDiscountLimitPercent'));
}

/** An approval as the checkout takes it (`sales.approve` answers its token). */
export interface Approval {
  approverId: number;
  approverName: string;
  /** The cashier it was given to: it cannot be used by another user's session. */
  forUserId: number;
  reason: string;
  /** Up to this far below the catalog (percent). */
  percent: Dec;
  expiresAt: number;
}

const APPROVAL_TTL_MS = 30 * 60_000;

/**
 * Approvals waiting for their sale, by token. In memory on purpose: an approval is for the cart on the screen now,
 * and a restart (or 30 minutes) means asking again; what is kept is the record written with the sale.
 */
export class Approvals {
  private byToken = new Map<string, Approval>();

  /** The supervisor's user and PIN are checked here; a wrong PIN is refused as a login is. */
  grant(db: Db, now: Date, cashier: Pick<User, 'id' | 'name'>, input: { username: string; pin: string; reason: string; percent: string }): { token: string; approval: Approval } {
    // The same PIN check as a login, lockout included: a supervisor's PIN cannot be guessed at the counter either.
    // Refused as 'forbidden': the cashier's own session is fine ('unauthorized' would send the screen to the login).
    let approver: User;
    try {
      approver = loginWithPin(db, now, input.username, input.pin);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      audit(db, now, cashier.id, 'discount.approval_refused', 'user', input.username, { why: 'wrong_pin' });
      throw forbidden(e.message.replace(/^Usuario o PIN incorrecto/, 'Usuario o PIN del supervisor incorrecto'));
    }
    if (approver.role === 'cashier') throw forbidden(`${approver.name} es cajero: autoriza un supervisor o un administrador.`);
    const percent = Dec.of(input.percent);
    const limit = discountLimit(db, approver.role);
    if (percent.gt(limit)) {
      throw ruleError(`${approver.name} puede autorizar hasta ${limit.toString()}% bajo el precio de lista; este descuento es de ${percentLabel(percent)}. Pida la autorización de un administrador.`);
    }
    this.sweep(now);
    const token = crypto.randomBytes(18).toString('base64url');
    const approval: Approval = {
      approverId: approver.id, approverName: approver.name, forUserId: cashier.id, reason: input.reason.trim(), percent,
      expiresAt: now.getTime() + APPROVAL_TTL_MS,
    };
    this.byToken.set(token, approval);
    audit(db, now, approver.id, 'discount.approved', 'user', cashier.id, { percent: percent.toString(), reason: approval.reason, for: cashier.name });
    return { token, approval };
  }

  /** The approval a checkout names, if it is still good for this user; the checkout refuses without it when needed. */
  find(token: string | undefined, userId: number, now: Date): Approval | undefined {
    if (!token) return undefined;
    const a = this.byToken.get(token);
    if (!a || a.forUserId !== userId || a.expiresAt <= now.getTime()) return undefined;
    return a;
  }

  /** An approval serves one sale. */
  spend(token: string | undefined): void {
    if (token) this.byToken.delete(token);
  }

  private sweep(now: Date): void {
    for (const [t, a] of this.byToken) if (a.expiresAt <= now.getTime()) this.byToken.delete(t);
  }
}

export function percentLabel(p: Dec): string {
  return `${p.round(2).toString().replace('.', ',')}%`;
}
