// 014: what a debit note charged (issue 15). A debit note (08) is money the customer pays now at the counter, like a
// sale's payment: by which method, how much (its total), the cash handed over (for the change) and the card's or
// wallet's reference. The cash goes into the drawer of the session it was charged in (notes.session_id), so the X and
// Z count it. Credit notes keep charge_method null and charge_cents 0.
export const sql = `
ALTER TABLE notes ADD COLUMN charge_method TEXT CHECK (charge_method IN ('cash', 'card', 'yape', 'plin'));
ALTER TABLE notes ADD COLUMN charge_cents INTEGER NOT NULL DEFAULT 0 CHECK (charge_cents >= 0);
ALTER TABLE notes ADD COLUMN charge_tendered_cents INTEGER CHECK (charge_tendered_cents >= 0);
ALTER TABLE notes ADD COLUMN charge_reference TEXT;
`;
