import type { Logger } from './logger.js';

/**
 * Stops the process once on SIGTERM or SIGINT: runs `stop`, then exits 0, or 1 when stopping failed.
 * A second signal while stopping is ignored.
 */
export function stopOnSignals(log: Logger, what: string, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, what);
    try {
      await stop();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'unclean stop');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void onSignal('SIGTERM'));
  process.once('SIGINT', () => void onSignal('SIGINT'));
}
