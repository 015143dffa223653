import type { RunCoordinator } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { claimSlot, finishSlot } from '../db/scheduler-runs.js';

/**
 * node-cron asks this before each slot it fires (key = task name + slot time). Every instance asks; the
 * first to insert the slot's row runs it, so a slot runs once however many instances are up.
 */
export function postgresRunCoordinator(db: Db, instanceId: string, clock: Clock): RunCoordinator {
  return {
    shouldRun: (key) => claimSlot(db, key, instanceId, clock()),
    onComplete: (key) => finishSlot(db, key, clock()),
  };
}
