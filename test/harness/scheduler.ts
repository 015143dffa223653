import { postgresRunCoordinator, slotKey } from '../../src/scheduler/coordinator.js';
import { type Job, jobs } from '../../src/scheduler/jobs.js';
import { WorkspaceClients } from '../../src/slack/workspace-clients.js';
import type { TestApp } from './app.js';

/**
 * The app's scheduled jobs, wired to this test app's database and Slack as a server wires them: the one
 * client, or in OAuth mode each workspace's own.
 */
export function jobsOf(t: TestApp): Job[] {
  const { installations } = t.concert;
  const clients = installations
    ? new WorkspaceClients((teamId) => installations.bot(teamId), { slackApiUrl: t.fake.url })
    : undefined;
  return jobs({
    db: t.db,
    client: t.concert.app.client,
    botUserId: () => t.concert.botUserId,
    ...(clients ? { clients } : {}),
    log: t.log,
  });
}

/** One of the app's scheduled jobs, wired to this test app's database and Slack. */
export function jobFor(t: TestApp, name: string): Job {
  const job = jobsOf(t).find((j) => j.name === name);
  if (!job) throw new Error(`no job called ${name}`);
  return job;
}

/**
 * Fires one scheduled job's slot at `at` the way the scheduler does on an instance: the run coordinator is asked
 * first, and the job runs only if this instance won the slot. Returns whether it ran.
 */
export async function fireSlot(
  t: TestApp,
  name: string,
  at: Date,
  instanceId = 'test-instance',
): Promise<boolean> {
  const job = jobFor(t, name);
  t.clock.set(at);
  const coordinator = postgresRunCoordinator(t.db, instanceId, t.clock.now);
  const key = slotKey(name, at);
  if (!(await coordinator.shouldRun(key))) return false;
  await job.run(t.clock.now());
  await coordinator.onComplete(key);
  return true;
}
