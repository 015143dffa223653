import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The `retryReason` a replay from the journal carries. A kept event is one whose handling did not finish,
 * so a replay is applied even when its delivery was recorded (the database failed after the record was
 * written and before it could be removed); event listeners are idempotent, so one applied twice is no harm.
 */
export const JOURNAL_REPLAY = 'concert_journal';

/** One Events API delivery kept on disk until Concert has applied it. */
export interface JournalEntry {
  body: Record<string, unknown>;
  retryNum: number | undefined;
  retryReason: string | undefined;
  /** Failed tries to apply it so far. */
  attempts: number;
  /** When it arrived (ms since the epoch): replays go in this order, as Slack's event IDs have none. */
  receivedAt: number;
  /** Breaks ties between entries of the same millisecond, in the order this process took them. */
  sequence: number;
}

function fileName(body: Record<string, unknown>): string {
  const safe = (value: unknown) => String(value).replace(/[^A-Za-z0-9_-]/g, '_');
  return `${safe(body.team_id)}.${safe(body.event_id)}.json`;
}

/**
 * A directory of Events API deliveries not yet applied, one file each, written and flushed to disk before
 * Slack is told the event arrived. Slack redelivers an event it got no 200 for only three times within a few
 * minutes (Slack, "Events API: Error handling"), so an event acknowledged during a longer database outage
 * would be gone for good; kept here it is applied once the database answers again, however long that takes,
 * and across a restart. Files are named by workspace and event ID, so a redelivery overwrites its original.
 */
export class EventJournal {
  constructor(readonly dir: string) {}

  /** Writes the entry and flushes it; resolves only once it would survive a crash. Returns its name. */
  async keep(entry: JournalEntry): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const name = fileName(entry.body);
    const temporary = join(this.dir, `.${name}.${process.pid}.tmp`);
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(JSON.stringify(entry));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(this.dir, name));
    return name;
  }

  /** The entries waiting, by name, in no particular order. */
  async names(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async read(name: string): Promise<JournalEntry> {
    return JSON.parse(await readFile(join(this.dir, name), 'utf8')) as JournalEntry;
  }

  /** The event was applied: forget it. */
  async done(name: string): Promise<void> {
    await rm(join(this.dir, name), { force: true });
  }

  /** Gives up on an entry: moved aside to `failed/`, where a person can read it. */
  async giveUp(name: string): Promise<void> {
    await mkdir(join(this.dir, 'failed'), { recursive: true });
    await rename(join(this.dir, name), join(this.dir, 'failed', name));
  }
}
