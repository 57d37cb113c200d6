// The hub's migrations, in order (append only; the number is the position). Each is a list of statements: PGlite
// runs one statement per query.
import * as m001 from './001_initial';
import * as m002 from './002_hub_people';

export interface HubMigration {
  version: number;
  name: string;
  statements: string[];
}

export const HUB_MIGRATIONS: HubMigration[] = [m001, m002].map((m, i) => ({ version: i + 1, name: m.name, statements: m.statements }));
