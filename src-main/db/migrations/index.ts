import { sql as m001 } from './001_initial';

/** Numbered migrations; PRAGMA user_version holds the last one applied. Append, never edit a released one. */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [{ version: 1, name: 'initial', sql: m001 }];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
