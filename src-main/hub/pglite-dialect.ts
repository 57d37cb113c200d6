// The embedded engine as a Kysely dialect: PGlite (PostgreSQL compiled to WebAssembly, one session) behind Kysely's
// own PostgresDialect, through a pool-like adapter whose single connection is handed out to one holder at a time.
// Why a queue: PGlite has one session, so a transaction (BEGIN … COMMIT sent by Kysely on its connection) must
// never interleave with another caller's statements; the next holder waits until the connection is released.
import { PostgresDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';

const COMMANDS = new Set(['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE', 'COMMIT', 'ROLLBACK']);

class PglitePool implements PostgresPool {
  #busy = false;
  #waiting: Array<() => void> = [];
  #client: PostgresPoolClient;

  constructor(private readonly pg: PGlite) {
    this.#client = {
      query: (async (sql: string, parameters: ReadonlyArray<unknown>) => {
        const r = await pg.query<Record<string, unknown>>(sql, [...parameters]);
        // PGlite answers "INSERT 0 3" style tags on some versions; Kysely wants the bare command word.
        const word = String((r as { command?: string }).command ?? '').split(' ')[0].toUpperCase();
        return {
          command: (COMMANDS.has(word) ? word : 'SELECT') as PostgresQueryResult<unknown>['command'],
          rowCount: r.affectedRows ?? r.rows.length,
          rows: r.rows,
        };
      }) as PostgresPoolClient['query'],
      release: () => this.#release(),
    };
  }

  connect(): Promise<PostgresPoolClient> {
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve(this.#client);
    }
    return new Promise((resolve) => this.#waiting.push(() => resolve(this.#client)));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next(); // stays busy: handed straight to the next holder
    else this.#busy = false;
  }

  async end(): Promise<void> {
    await this.pg.close();
  }
}

/** A Kysely dialect on an open PGlite; Kysely.destroy() closes it (flushing it to its directory). */
export function pgliteDialect(pg: PGlite): PostgresDialect {
  return new PostgresDialect({ pool: new PglitePool(pg) });
}
