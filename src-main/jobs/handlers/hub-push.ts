// hub.push: the outbox to the hub (replication/push.ts). The hub unreachable, a 5xx or a dropped connection: the job
// waits for the network like a SUNAT send, without spending an attempt, and resends — nothing was deleted. A refusal
// (a revoked token, an answer that is not the protocol's) spends an attempt and stays visible in the monitor and in
// Administración → Central. One hub.push waits at a time (replication/link.ts queueHubJob); when a run leaves rows
// behind it queues the next one in the commit that records its end, and a pull follows every push.
import type { SecretStore } from '../../secrets';
import { HubFailure } from '../../replication/http';
import { queueHubJob, releaseHubJobKey } from '../../replication/link';
import { pushOutbox } from '../../replication/push';
import type { HandlerSpec, JobContext, JobOutcome } from '../runner';

/** How long a push waits after the hub could not be reached (the scheduler's minute comes on top). */
export const HUB_WAIT_MS = 30_000;

/** What a hub job's failure does to the job: wait for the network, or spend the attempt. */
export function hubFailureOutcome(ctx: JobContext, e: unknown): JobOutcome {
  const message = (e as Error).message;
  const release = () => releaseHubJobKey(ctx.db, ctx.job.id);
  if (e instanceof HubFailure && e.kind === 'network') return { type: 'waiting_network', error: message, elsewhere: { delayMs: HUB_WAIT_MS } };
  if (ctx.isLastAttempt) return { type: 'failed', error: message, apply: release };
  return { type: 'retry', error: message, delayMs: HUB_WAIT_MS };
}

export function hubPushSpec(secrets: Pick<SecretStore, 'decrypt'>): HandlerSpec {
  return {
    async run(ctx) {
      const { db, clock } = ctx;
      try {
        const r = await pushOutbox({ db, secrets, now: () => clock.now() });
        return {
          type: 'succeeded', result: r,
          apply: () => {
            releaseHubJobKey(db, ctx.job.id);
            if (r.more) queueHubJob(db, clock.now(), 'hub.push');
            queueHubJob(db, clock.now(), 'hub.pull');
          },
          wakes: true,
        };
      } catch (e) {
        return hubFailureOutcome(ctx, e);
      }
    },
  };
}
