import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pacer } from '../../src/listeners/pacer.js';
import { SIGNING_SECRET, TEAM_ID, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { SlackDriver } from '../harness/driver.js';
import { propose, setCore, voterIds } from '../harness/proposals.js';

// A stop (SIGTERM at a deploy) while App Homes wait for views.publish's rate tier: at 100 a minute, a storm's
// publishes could hold the stop for minutes, past any orchestrator's grace period. The stop drops those not
// begun, since a home is rendered afresh whenever its person opens it.

/** Time in which a wait for the tier never ends by itself: only a stop can end it. */
class TierNeverRefills implements Pacer {
  waits = 0;
  now = () => 0;
  wait = () => {
    this.waits++;
    return new Promise<void>(() => {});
  };
}

const time = new TierNeverRefills();
let t: TestApp;
let stopped = false;
beforeAll(async () => {
  // The live tally keeps no interval here, so only App Homes ever wait.
  t = await startCoalition({ pacer: time, liveTallyIntervalMs: 0 });
});
afterAll(async () => {
  if (!stopped) await t.stop();
});

describe('stopping while App Homes wait for the rate tier', () => {
  it('drops the publishes not begun, finishes the votes, and stops at once', async () => {
    const voters = voterIds(104, 'UW');
    await setCore(t, [PEOPLE.ben, ...voters]);
    await propose(t, PEOPLE.ben, 'Homes in waiting');
    await t.settled();
    t.fake.clearCalls();
    // Clicks that return at their answer, without waiting for the work after it (which now waits on the tier).
    const slack = new SlackDriver({
      appUrl: t.url,
      signingSecret: SIGNING_SECRET,
      fake: t.fake,
      teamId: TEAM_ID,
    });
    for (const voter of voters)
      await slack.clickButton(voter, 'Support', { in: 'message', channel: CHANNELS.core });
    const votes = () =>
      t.db
        .selectFrom('proposal_votes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    await expect.poll(votes, { timeout: 60_000 }).toBe(voters.length);
    // What was left of the tier's burst went; the next publish waits, and the ones after it wait behind it.
    await expect.poll(() => time.waits, { timeout: 60_000 }).toBe(1);
    const published = t.fake.callsTo('views.publish').length;
    expect(published).toBeGreaterThan(0);
    expect(published).toBeLessThan(voters.length);

    const stopping = t.stop().then(() => 'stopped');
    stopped = true;
    const guard = new Promise((resolve) =>
      setTimeout(() => resolve('still waiting after 10 s'), 10_000).unref(),
    );
    expect(await Promise.race([stopping, guard])).toBe('stopped');
    expect(t.fake.callsTo('views.publish')).toHaveLength(published);
  });
});
