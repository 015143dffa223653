import type { AllMiddlewareArgs } from '@slack/bolt';
import { listOpenStepsOf } from '../db/action-steps.js';
import { listAwaitingConfirmation, listAwaitingVote } from '../db/proposals.js';
import { listActiveWorkGroups } from '../db/work-groups.js';
import { todayFor } from '../services/action-steps.js';
import { awayUntil, openCheckinsFor } from '../services/checkins.js';
import { figures } from '../services/follow-through.js';
import { indicatorsWithGroups } from '../services/indicators.js';
import { maySetUp } from '../services/roles.js';
import type { SlackDirectory } from '../services/slack-directory.js';
import { summarizeWorkGroups } from '../services/work-groups.js';
import { headline } from '../views/digest.js';
import { homeView } from '../views/home.js';
import type { ListenerDeps } from './deps.js';
import type { InFlight } from './in-flight.js';
import { type Pacer, realTime } from './pacer.js';

/**
 * Renders and publishes one person's App Home. Every caller goes through HomePublisher (`deps.homes`), when
 * the person opens it and after a change that shows there, so every publish keeps to the rate tier.
 */
async function publishHome(
  deps: ListenerDeps,
  client: AllMiddlewareArgs['client'],
  directory: SlackDirectory,
  teamId: string,
  userId: string,
): Promise<void> {
  const permission = await maySetUp(deps.db, directory, deps.adminIds, teamId, userId, deps.clock());
  const { roles } = permission;
  const workGroups = roles.isBackbone ? await summarizeWorkGroups(deps.db, teamId) : [];
  const backboneHeadline = roles.isBackbone
    ? headline(await figures(deps.db, teamId, deps.clock()))
    : undefined;
  const indicators = roles.isBackbone
    ? (await indicatorsWithGroups(deps.db, teamId))
        .filter((i) => i.indicator.status === 'active')
        .map((i) => i.indicator.name)
    : [];
  const now = deps.clock();
  const [steps, groups, today, checkins, away, awaitingVote, awaitingConfirmation] = await Promise.all([
    listOpenStepsOf(deps.db, teamId, userId),
    listActiveWorkGroups(deps.db, teamId),
    todayFor(deps.db, teamId, userId, now),
    openCheckinsFor(deps.db, teamId, userId),
    awayUntil(deps.db, teamId, userId, now),
    listAwaitingVote(deps.db, teamId, userId, now),
    listAwaitingConfirmation(deps.db, teamId, userId, now),
  ]);
  await client.views.publish({
    user_id: userId,
    view: homeView({
      roles,
      maySetUp: permission.allowed,
      workGroups,
      steps,
      today,
      groupNames: new Map(groups.map((g) => [g.id, g.name])),
      checkins: checkins.filter((c) => c.opens_at !== null && c.opens_at.getTime() <= now.getTime()),
      awayUntil: away,
      awaitingVote,
      awaitingConfirmation,
      backboneHeadline,
      indicators,
    }),
  });
}

/**
 * views.publish is in Slack's Tier 4: 100+ calls a minute per workspace, with generous bursts. Kept here to
 * a bucket of 100 that refills at 100 a minute.
 */
const HOME_BURST = 100;
const HOME_PER_MINUTE = 100;

/**
 * Republishes App Homes whose content changed, within views.publish's rate tier: one person's home asked
 * for twice before it goes is published once (rendered when it goes, so with both changes), and a
 * workspace's publishes wait, in order, for the bucket. Each waiting publish is held in flight, until `stop`.
 */
export class HomePublisher {
  readonly #waiting = new Set<string>();
  readonly #buckets = new Map<string, { tokens: number; at: number; queue: Promise<void> }>();
  #stopping = false;
  #dropped = 0;
  #stopped: () => void = () => {};
  readonly #stop = new Promise<void>((resolve) => {
    this.#stopped = resolve;
  });

  constructor(
    private readonly inFlight: InFlight,
    private readonly pacer: Pacer = realTime,
  ) {}

  request(
    deps: ListenerDeps,
    client: AllMiddlewareArgs['client'],
    directory: SlackDirectory,
    teamId: string,
    userId: string,
  ): void {
    const key = `${teamId}:${userId}`;
    if (this.#waiting.has(key)) return;
    this.#waiting.add(key);
    const bucket = this.#buckets.get(teamId) ?? {
      tokens: HOME_BURST,
      at: this.pacer.now(),
      queue: Promise.resolve(),
    };
    this.#buckets.set(teamId, bucket);
    const run = bucket.queue
      .then(async () => {
        const refill = () => {
          const now = this.pacer.now();
          bucket.tokens = Math.min(
            HOME_BURST,
            bucket.tokens + ((now - bucket.at) * HOME_PER_MINUTE) / 60_000,
          );
          bucket.at = now;
        };
        refill();
        if (bucket.tokens < 1 && !this.#stopping) {
          await Promise.race([this.pacer.wait(((1 - bucket.tokens) * 60_000) / HOME_PER_MINUTE), this.#stop]);
          refill();
        }
        this.#waiting.delete(key);
        if (this.#stopping) {
          this.#dropped++;
          return;
        }
        bucket.tokens -= 1;
        await publishHome(deps, client, directory, teamId, userId);
      })
      .catch((error: unknown) =>
        deps.log.warn({ err: error, teamId, userId }, 'could not publish an App Home'),
      );
    bucket.queue = run;
    void this.inFlight.track(run);
  }

  /**
   * For a shutdown: publishes not yet begun are dropped rather than waited for (at 100 a minute, a storm's
   * could hold a stop for minutes), since a home is rendered afresh whenever its person opens it. Returns how
   * many were dropped, once they are (publishes under way finish; those asked for after are dropped too).
   */
  async stop(): Promise<number> {
    this.#stopping = true;
    this.#stopped();
    await Promise.all([...this.#buckets.values()].map((bucket) => bucket.queue));
    return this.#dropped;
  }
}
