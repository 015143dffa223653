import type { Cron } from 'croner';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { postgresRunCoordinator, slotKey } from '../scheduler/coordinator.js';
import { cronOf } from '../scheduler/index.js';
import type { Job } from '../scheduler/jobs.js';
import type { SandboxClock } from './clock.js';

const MINUTE_MS = 60_000;
/** How often real time is checked for slots that fell due without a jump. */
const TICK_MS = 20_000;

/**
 * The app's scheduled jobs on the sandbox clock. The real scheduler is not started here: it waits for the
 * wall clock, so a jump of a day would run each job once instead of at every slot it passed, and a nudge
 * due at nine would be missed. Instead every minute slot between the last run and the new time is visited in order, the
 * clock is set to it, and each job whose cron line fires then runs through the same run coordinator the real
 * scheduler uses. Real time passing is caught up the same way by a ticker.
 */
export class SandboxScheduler {
  readonly #jobs: { job: Job; cron: Cron }[];
  readonly #coordinator;
  readonly #clock: SandboxClock;
  readonly #log: Logger;
  #doneUpTo: Date;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(db: Db, jobs: readonly Job[], clock: SandboxClock, log: Logger) {
    this.#clock = clock;
    this.#log = log;
    this.#jobs = jobs.map((job) => ({ job, cron: cronOf(job.cron) }));
    this.#coordinator = postgresRunCoordinator(db, 'sandbox', clock.now);
    this.#doneUpTo = floorToMinute(clock.now());
  }

  /** Starts catching up with real time as it passes. */
  start(): void {
    this.#timer = setInterval(() => void this.catchUp().catch(() => {}), TICK_MS);
    this.#timer.unref();
  }

  /** Moves the clock forward by `minutes`, running every job slot passed on the way; resolves when done. */
  advance(minutes: number): Promise<void> {
    return this.#queue(async () => {
      const target = new Date(this.#clock.now().getTime() + minutes * MINUTE_MS);
      await this.#runUpTo(target);
      this.#clock.moveTo(target);
    });
  }

  /**
   * Moves the clock to `target` and on to the next slot at which the job `then` runs, so what became due
   * at the target (a check-in opening, a vote's deadline) has been done when the jump ends.
   */
  advanceTo(target: Date, then: string): Promise<void> {
    return this.#queue(async () => {
      const cron = this.#jobs.find(({ job }) => job.name === then)?.cron;
      if (!cron) throw new Error(`no scheduled job is called ${then}`);
      // The job's first slot at or after the target.
      const end = cron.nextRun(new Date(target.getTime() - 1)) ?? target;
      await this.#runUpTo(end);
      this.#clock.moveTo(end);
    });
  }

  /** Runs every job once at the current time, whatever its cron line says: a catch-up at start. */
  runEveryJobNow(): Promise<void> {
    return this.#queue(async () => {
      const now = this.#clock.now();
      for (const { job } of this.#jobs) await this.#run(job, now);
    });
  }

  /** Runs the slots that real time has reached since the last run. */
  catchUp(): Promise<void> {
    return this.#queue(() => this.#runUpTo(this.#clock.now()));
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  #queue(work: () => Promise<void>): Promise<void> {
    const next = this.#running.then(work);
    this.#running = next.catch(() => {});
    return next;
  }

  async #runUpTo(target: Date): Promise<void> {
    for (let at = this.#doneUpTo.getTime() + MINUTE_MS; at <= target.getTime(); at += MINUTE_MS) {
      const slot = new Date(at);
      const due = this.#jobs.filter(({ cron }) => cron.match(slot));
      if (due.length === 0) continue;
      this.#clock.moveTo(slot);
      for (const { job } of due) await this.#run(job, slot);
      this.#doneUpTo = slot;
    }
    // A target already passed (a deadline that is overdue) must not send the next run back over done slots.
    const reached = floorToMinute(target);
    if (reached > this.#doneUpTo) this.#doneUpTo = reached;
  }

  async #run(job: Job, slot: Date): Promise<void> {
    const key = slotKey(job.name, slot);
    if (!(await this.#coordinator.shouldRun(key))) return;
    try {
      await job.run(slot);
    } catch (error) {
      this.#log.error({ err: error, job: job.name }, 'scheduled job failed');
    }
    await this.#coordinator.onComplete(key);
  }
}

function floorToMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
}
