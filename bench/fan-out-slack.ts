/**
 * The fan-out benchmark's Slack, in a process of its own (as Slack is), so that what the app's process does
 * (the embedded database runs in it) does not delay when posts are seen to arrive. Started by fan-out.ts with
 * the number of people; prints its URL, and answers a `report` message with what it kept.
 */
import { FakeSlack } from '../src/sandbox/emulator/fake-slack.js';
import { SLACK_ENFORCEMENT } from '../src/sandbox/emulator/rate-limits.js';

const users = Array.from({ length: Number(process.argv[2]) }, (_, i) => `UFAN${String(i).padStart(6, '0')}`);
const fake = await FakeSlack.start({ enforce: SLACK_ENFORCEMENT });
for (const id of users) fake.addUser({ id, name: id.toLowerCase() });
process.send?.({ url: fake.url });
process.on('message', async (message: { report?: boolean }) => {
  if (!message.report) return;
  const posts: Record<string, number> = {};
  for (const user of users)
    for (const posted of fake.messages(fake.dmChannelOf(user))) {
      const key = posted.metadata?.event_payload?.key;
      if (typeof key === 'string') posts[key] = (posts[key] ?? 0) + 1;
    }
  const counts = fake.enforcer?.counts;
  process.send?.({
    posts,
    counts,
    // The last kept post, as wall-clock ms, for the app's process to compare with when it queued.
    lastTakenAt: counts ? performance.timeOrigin + counts.lastTakenAt : 0,
  });
  await fake.stop();
  process.exit(0);
});
