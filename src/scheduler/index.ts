import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { postgresRunCoordinator } from './coordinator.js';
import type { Job } from './jobs.js';

export interface Scheduler {
  stop(): Promise<void>;
}

/** Wiring only: each job's cron line calls the job with the current time, once per slot across instances. */
export function startScheduler(db: Db, jobs: readonly Job[], clock: Clock, log: Logger): Scheduler {
  const instanceId = randomUUID();
  const runCoordinator = postgresRunCoordinator(db, instanceId, clock);
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        try {
          await job.run(clock());
        } catch (error) {
          log.error({ err: error, job: job.name }, 'scheduled job failed');
        }
      },
      { name: job.name, timezone: 'UTC', noOverlap: true, distributed: true, runCoordinator },
    ),
  );
  log.info({ jobs: jobs.map((j) => `${j.name} (${j.cron})`), instanceId }, 'scheduler started');
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}
