// 007: PIN lockout (issue 15, sessions): wrong PINs in a row per user and until when the user must wait before the
// next try. Kept in the database so closing the app does not wipe the count; a right PIN or a manager clears them.
export const sql = `
ALTER TABLE users ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN pin_locked_until TEXT;
`;
