import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/database.js';
import type { SlackDirectory } from '../../services/slack-directory.js';
import type { FakeSlack } from '../emulator/fake-slack.js';

/** What each part of the seed writes through: the app's services and database, and the emulated workspace. */
export interface SeedContext {
  db: Db;
  fake: FakeSlack;
  client: WebClient;
  directory: SlackDirectory;
  teamId: string;
  /** The sandbox's start; history is written at moments before it. */
  now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `days` before (negative) or after the start, at `hourUtc` o'clock UTC: a working hour across the coalition. */
export function dayAt(context: SeedContext, days: number, hourUtc = 15): Date {
  const at = new Date(context.now.getTime() + days * DAY_MS);
  at.setUTCHours(hourUtc, 0, 0, 0);
  return at;
}
