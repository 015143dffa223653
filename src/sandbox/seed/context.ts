import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { SlackDirectory } from '../../services/slack-directory.js';
import type { FakeSlack } from '../emulator/fake-slack.js';

/** What each part of the seed writes through: the app's services and database, and the emulated workspace. */
export interface SeedContext {
  db: Db;
  fake: FakeSlack;
  client: WebClient;
  directory: SlackDirectory;
  teamId: string;
  log: Logger;
  /** The sandbox's start; history is written at moments before it. */
  now: Date;
  /** Runs one of the app's scheduled jobs (by name) at `at`, as the scheduler would have then. */
  runJob(name: string, at: Date): Promise<void>;
}

/**
 * One thing that happened before the start. The seed runs every event in the order of `at`, with the sandbox
 * clock set to it, so what the app sends then (a check-in summary, a proposal's outcome) carries that time.
 */
export interface SeedEvent {
  at: Date;
  run(): Promise<void> | void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `days` before (negative) or after the start, at `hourUtc` o'clock UTC: a working hour across the coalition. */
export function dayAt(context: Pick<SeedContext, 'now'>, days: number, hourUtc = 15): Date {
  const at = new Date(context.now.getTime() + days * DAY_MS);
  at.setUTCHours(hourUtc, 0, 0, 0);
  return at;
}

/** `minutes` after `at`. */
export function later(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}
