import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { postgresRunCoordinator, type RunCoordinator, slotKey } from './coordinator.js';
import type { Job } from './jobs.js';

export interface Scheduler {
  /** Stops arming timers and resolves once every run in progress has finished. */
  stop(): Promise<void>;
  /**
   * Resolves once no run is in progress: each job is waiting on its timer (or stopped). For a caller that
   * drives the timers itself (a test with fake timers), so that a run's database work, which takes real
   * time, ends before the clock is moved on.
   */
  idle(): Promise<void>;
}

/**
 * The longest a timer waits before the clock is read again (ms). Timers count elapsed time, the clock
 * counts wall time: after a suspended host or a corrected clock, the next slot is found within a minute.
 */
const LONGEST_WAIT_MS = 60_000;

/**
 * A job's cron line, read in UTC whatever the host's own time zone. A fixed offset of zero, not the zone
 * 'UTC': the same slots, without a time zone lookup per slot (ten times quicker in croner).
 */
export function cronOf(line: string): Cron {
  return new Cron(line, { utcOffset: 0, paused: true });
}

/**
 * Runs each job at every slot of its cron line (read in UTC), once per slot across instances: before a slot
 * runs, the Postgres run coordinator lets one instance claim it. The job gets the clock's time when it runs.
 *
 * Slots are computed in UTC with croner and waited for with one timer per job, re-armed after each run, so
 * the host's own zone and its changes of the clocks play no part. A timer that fires late (a busy event
 * loop) still runs its slot. A job never overlaps itself: a slot that comes while the job's previous run is
 * still going waits for it; when several slots went by meanwhile (or while the host slept), the latest runs
 * once and the others are logged as skipped, since every job does what is due at the time it runs.
 */
export function startScheduler(db: Db, jobs: readonly Job[], clock: Clock, log: Logger): Scheduler {
  const instanceId = randomUUID();
  const coordinator = postgresRunCoordinator(db, instanceId, clock);
  const loops = jobs.map((job) => new JobLoop(job, coordinator, clock, log));
  for (const loop of loops) loop.start();
  log.info({ jobs: jobs.map((j) => `${j.name} (${j.cron})`), instanceId }, 'scheduler started');
  return {
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
    async idle() {
      await Promise.all(loops.map((loop) => loop.idle()));
    },
  };
}

/** One job's slots, one after another. */
class JobLoop {
  readonly #job: Job;
  readonly #cron: Cron;
  readonly #coordinator: RunCoordinator;
  readonly #clock: Clock;
  readonly #log: Logger;
  /** The next slot to run: none before it has run, or been skipped for a later one. */
  #next: Date | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(job: Job, coordinator: RunCoordinator, clock: Clock, log: Logger) {
    this.#job = job;
    this.#cron = cronOf(job.cron);
    this.#coordinator = coordinator;
    this.#clock = clock;
    this.#log = log;
  }

  start(): void {
    this.#next = this.#cron.nextRun(this.#clock()) ?? undefined;
    this.#wait();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Resolves once the run in progress, and any run it led to at once, has finished. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.#running;
      await seen;
    } while (seen !== this.#running);
  }

  /**
   * Runs the next slot if it has come, else arms a timer to look again when it comes (or within a minute).
   * A slot that has come runs at once, so no timer is ever armed with no delay.
   */
  #wait(): void {
    this.#timer = undefined;
    if (this.#stopped || !this.#next) return;
    const wait = this.#next.getTime() - this.#clock().getTime();
    if (wait <= 0) this.#running = this.#runDue();
    else this.#timer = setTimeout(() => this.#wait(), Math.min(Math.ceil(wait), LONGEST_WAIT_MS));
  }

  /** Runs the latest slot that has come (the one waited for, unless later ones came too), then waits again. */
  async #runDue(): Promise<void> {
    const due = this.#next as Date;
    const now = this.#clock();
    // The latest slot not after now: croner's previous run before the next millisecond.
    const latest = this.#cron.previousRuns(1, new Date(now.getTime() + 1))[0] ?? due;
    const slot = latest > due ? latest : due;
    if (slot > due) {
      this.#log.warn(
        { job: this.#job.name, skippedFrom: due.toISOString(), runs: slot.toISOString() },
        'scheduled slots skipped: a later slot came before they could run, and runs once for them',
      );
    }
    await this.#runSlot(slot);
    this.#next = this.#cron.nextRun(slot) ?? undefined;
    this.#wait();
  }

  async #runSlot(slot: Date): Promise<void> {
    const key = slotKey(this.#job.name, slot);
    let claimed: boolean;
    try {
      claimed = await this.#coordinator.shouldRun(key);
    } catch (error) {
      this.#log.error({ err: error, job: this.#job.name, slot }, 'could not claim a scheduled slot; skipped');
      return;
    }
    if (!claimed) return;
    try {
      await this.#job.run(this.#clock());
    } catch (error) {
      this.#log.error({ err: error, job: this.#job.name }, 'scheduled job failed');
    } finally {
      await this.#coordinator
        .onComplete(key)
        .catch((error: unknown) =>
          this.#log.error({ err: error, job: this.#job.name, slot }, 'could not record a finished slot'),
        );
    }
  }
}
