import type { Logger } from '../logger.js';

/**
 * Runs `work` on each item on its own: an item that throws (Slack or the database refused something of
 * it) is logged with its reason and what it was, and the others go on. Returns how many failed.
 *
 * This is how every scheduled job walks its workspaces, channels, rounds, steps and messages, so one poison
 * item never stops the rest.
 */
export async function eachAlone<T>(
  items: Iterable<T>,
  work: (item: T) => Promise<void>,
  log: Logger,
  describe: (item: T) => Record<string, unknown>,
  what: string,
): Promise<number> {
  let failed = 0;
  for (const item of items) {
    try {
      await work(item);
    } catch (error) {
      failed++;
      log.error({ err: error, ...describe(item) }, `${what} failed; the others go on`);
    }
  }
  return failed;
}
