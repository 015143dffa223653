import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { claimSlot, finishSlot } from '../db/scheduler-runs.js';

/** Decides, before each slot a job fires, whether this instance runs it, and hears when the run is over. */
export interface RunCoordinator {
  /** True for exactly one of the instances that ask about a key. */
  shouldRun(key: string): Promise<boolean>;
  onComplete(key: string): Promise<void>;
}

/** A slot's key: the job's name and the slot's instant, e.g. 'nudges:2026-11-24T15:00:00.000Z'. */
export function slotKey(jobName: string, slot: Date): string {
  return `${jobName}:${slot.toISOString()}`;
}

/**
 * The scheduler asks this before each slot it fires. Every instance asks; the first to insert the slot's
 * row runs it, so a slot runs once however many instances are up.
 */
export function postgresRunCoordinator(db: Db, instanceId: string, clock: Clock): RunCoordinator {
  return {
    shouldRun: (key) => claimSlot(db, key, instanceId, clock()),
    onComplete: (key) => finishSlot(db, key, clock()),
  };
}
