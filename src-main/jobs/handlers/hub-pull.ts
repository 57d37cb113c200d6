// hub.pull: the hub's catalog, users, customers and settings (replication/pull.ts), applied batch by batch in one
// transaction each. Failures as hub.push's (hub-push.ts hubFailureOutcome): the till keeps selling on what it has.
import type { SecretStore } from '../../secrets';
import { releaseHubJobKey } from '../../replication/link';
import { pullAll } from '../../replication/pull';
import type { HandlerSpec } from '../runner';
import { hubFailureOutcome } from './hub-push';

export function hubPullSpec(secrets: Pick<SecretStore, 'decrypt'>): HandlerSpec {
  return {
    async run(ctx) {
      const { db, clock } = ctx;
      try {
        const r = await pullAll({ db, secrets, now: () => clock.now() });
        return { type: 'succeeded', result: { applied: r.applied, skipped: r.skipped.length, lastSeq: r.lastSeq }, apply: () => releaseHubJobKey(db, ctx.job.id) };
      } catch (e) {
        return hubFailureOutcome(ctx, e);
      }
    },
  };
}
