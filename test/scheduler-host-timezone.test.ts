import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { type Scheduler, startScheduler } from '../src/scheduler/index.js';
import type { Job } from '../src/scheduler/jobs.js';
import { createTestDatabase, type TestDatabase } from './harness/database.js';

// Failure kind: cron jobs are skipped, or spin, in the hour the clocks change. Concert schedules every job
// in UTC, but the host's own zone still matters: here the host is in New York (a VPS or laptop set to
// local time). Set before anything reads the clock; Node applies a changed TZ at once.
// The spring change runs every slot; the autumn one (below) does not. In node-cron 4.6.0 the runner reads
// "now" through Date#setMilliseconds(0), a local-time setter, which in the repeated local hour gives an
// instant one hour early. (Concert has since replaced node-cron with its own timers over croner's UTC slots.)
process.env.TZ = 'America/New_York';
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

/**
 * Moves the fake clock and its timers on by `ms`, then waits (in real time) until no run is in progress.
 * A timer that fires inside the step runs its slot against the database, which is real I/O on PostgreSQL:
 * the clock must not move on meanwhile, so a step should end where a slot's timer fires.
 */
async function advance(scheduler: Scheduler, ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await scheduler.idle();
}

/** Timers armed with no delay during the last runAcross: a scheduler that spins arms thousands. */
let immediateTimers = 0;

async function runAcross(startIso: string, minutes: number) {
  const runs: Record<string, string[]> = { minute: [], quarter: [] };
  const jobs: Job[] = [
    { name: 'minute', cron: '* * * * *', run: async (now) => void runs.minute?.push(now.toISOString()) },
    { name: 'quarter', cron: '*/15 * * * *', run: async (now) => void runs.quarter?.push(now.toISOString()) },
  ];
  vi.useFakeTimers({
    now: new Date(startIso),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  const fakeSetTimeout = globalThis.setTimeout;
  let immediate = 0;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    if (!ms || ms <= 0) immediate++;
    return fakeSetTimeout(fn, ms);
  }) as typeof setTimeout;
  const scheduler = startScheduler(database.db, jobs, () => new Date(), pino({ level: 'silent' }));
  // Steps of 15 s from hh:mm:30 end on every minute, where the slots' timers fire; each slot's database work
  // (real I/O on PostgreSQL) ends before the clock moves on, as it would take milliseconds, not seconds.
  for (let i = 0; i < minutes * 4; i++) await advance(scheduler, 15_000);
  await scheduler.stop();
  globalThis.setTimeout = fakeSetTimeout;
  vi.useRealTimers();
  console.log('timers armed with no delay (a heartbeat firing at once):', immediate);
  immediateTimers = immediate;
  return runs;
}

describe(`the scheduler on a host in ${process.env.TZ ?? 'the default zone'}`, () => {
  it('runs every slot once across the autumn change (2027-11-07 06:00Z)', async () => {
    // 05:55:30Z to 07:05:30Z: New York's 01:00–02:00 happens twice, the second time from 06:00Z to 07:00Z.
    const runs = await runAcross('2027-11-07T05:55:30Z', 70);
    const minutes = new Set(runs.minute?.map((r) => r.slice(0, 16)));
    console.log(
      'autumn: minute runs',
      runs.minute?.length,
      'distinct',
      minutes.size,
      'quarter runs',
      runs.quarter?.length,
      'first',
      runs.minute?.[0],
      'last',
      runs.minute?.at(-1),
      'quarters',
      runs.quarter,
    );
    // Actual: 10 of 70 minute slots run (05:56–05:59 and 07:00–07:05), none from 06:00Z to 06:59Z; of the
    // quarter-hour slots only 07:00 runs. Meanwhile the scheduler re-arms its timers with no delay for that
    // whole hour (a busy loop; this test is slow for that reason). With the host in UTC every slot runs.
    expect(minutes.size).toBeGreaterThanOrEqual(69);
    expect(runs.minute?.length).toBe(minutes.size);
    expect(runs.quarter?.length).toBe(5);
    expect(immediateTimers).toBe(0);
  }, 300_000);

  it('runs every slot once across the spring change (2028-03-12 07:00Z)', async () => {
    // 06:55:30Z to 08:05:30Z: New York's 02:00–03:00 never happens; 07:00Z is 03:00 EDT.
    expect(new Date('2028-03-12T07:00:00Z').getHours()).toBe(3);
    const runs = await runAcross('2028-03-12T06:55:30Z', 70);
    expectEverySlotOnce(runs, '2028-03-12T06:56', '2028-03-12T08:05');
  }, 300_000);
});

/** Every minute slot from `first` to `last` ran once, and every quarter hour between them once. */
function expectEverySlotOnce(runs: Record<string, string[]>, first: string, last: string) {
  const expected: string[] = [];
  for (let at = Date.parse(`${first}Z`); at <= Date.parse(`${last}Z`); at += 60_000)
    expected.push(new Date(at).toISOString());
  expect(runs.minute).toEqual(expected);
  expect(runs.quarter).toEqual(expected.filter((at) => Number(at.slice(14, 16)) % 15 === 0));
  expect(immediateTimers).toBe(0);
}

// The same on hosts east of UTC and in the southern hemisphere, where Lord Howe's clocks move half an hour.
// Each run is later than the one before: the embedded Postgres's own timers spin when its clock goes back.
const hosts: { zone: string; changes: { name: string; start: string; first: string; last: string }[] }[] = [
  {
    zone: 'Europe/Berlin',
    changes: [
      // 02:00 CET goes on to 03:00 CEST at 01:00Z.
      { name: 'forward', start: '2028-03-26T00:25:30Z', first: '2028-03-26T00:26', last: '2028-03-26T01:35' },
      // 03:00 CEST goes back to 02:00 CET at 01:00Z.
      { name: 'back', start: '2028-10-29T00:25:30Z', first: '2028-10-29T00:26', last: '2028-10-29T01:35' },
    ],
  },
  {
    zone: 'Australia/Lord_Howe',
    changes: [
      // 02:00 (UTC+11) goes back to 01:30 (UTC+10:30) at 15:00Z.
      { name: 'back', start: '2029-03-31T14:25:30Z', first: '2029-03-31T14:26', last: '2029-03-31T15:35' },
      // 02:00 (UTC+10:30) goes on to 02:30 (UTC+11) at 15:30Z.
      { name: 'forward', start: '2029-10-06T14:55:30Z', first: '2029-10-06T14:56', last: '2029-10-06T16:05' },
    ],
  },
];

for (const host of hosts) {
  describe(`the scheduler on a host in ${host.zone}`, () => {
    beforeAll(() => {
      process.env.TZ = host.zone;
    });
    afterAll(() => {
      process.env.TZ = 'America/New_York';
    });

    for (const change of host.changes) {
      it(`runs every slot once when the host’s clocks go ${change.name}`, async () => {
        // The host's own clock shows some local time twice, or skips some, in these 70 minutes.
        const shown = new Set<number>();
        for (let at = Date.parse(change.start); at < Date.parse(change.start) + 70 * 60_000; at += 60_000)
          shown.add(new Date(at).getHours() * 60 + new Date(at).getMinutes());
        if (change.name === 'back') expect(shown.size).toBeLessThan(70);
        else expect(Math.max(...shown) - Math.min(...shown)).toBeGreaterThan(70);
        expectEverySlotOnce(await runAcross(change.start, 70), change.first, change.last);
      }, 300_000);
    }
  });
}

describe('the scheduler’s timers', () => {
  const slotsRun = async (job: string) =>
    (
      await database.db
        .selectFrom('scheduler_runs')
        .select('slot_key')
        .where('slot_key', 'like', `${job}:%`)
        .orderBy('slot_key')
        .execute()
    ).map((r) => r.slot_key.slice(job.length + 1));

  function logged() {
    const lines: { level: number; msg: string; skippedFrom?: string; runs?: string }[] = [];
    const log = createLogger('warn', { write: (line: string) => void lines.push(JSON.parse(line)) });
    return { log, lines };
  }

  it('runs a slot whose timer fires late, once, and the latest of several a late timer passed', async () => {
    vi.useFakeTimers({
      now: new Date('2029-12-01T10:00:30Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    // The clock the scheduler reads runs ahead of its timers: as if each timer fired that much late.
    let late = 0;
    const clock: Clock = () => new Date(Date.now() + late);
    const { log, lines } = logged();
    const job: Job = { name: 'late', cron: '* * * * *', run: async () => {} };
    const scheduler = startScheduler(database.db, [job], clock, log);
    await advance(scheduler, 29_000);
    late = 5_000;
    await advance(scheduler, 1_000);
    expect(await slotsRun('late')).toEqual(['2029-12-01T10:01:00.000Z']);
    // The next timer (for 10:02) fires at 10:01:55, when the clock already says 10:04:05: 10:04 runs, once.
    late = 130_000;
    await advance(scheduler, 55_000);
    await scheduler.stop();
    // Stopped, it runs nothing more.
    await advance(scheduler, 5 * 60_000);
    vi.useRealTimers();
    expect(await slotsRun('late')).toEqual(['2029-12-01T10:01:00.000Z', '2029-12-01T10:04:00.000Z']);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        job: 'late',
        skippedFrom: '2029-12-01T10:02:00.000Z',
        runs: '2029-12-01T10:04:00.000Z',
      }),
    ]);
  });

  it('never overlaps a job with itself: slots that come during a long run are run once, by the latest', async () => {
    vi.useFakeTimers({
      now: new Date('2029-12-02T10:00:30Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    let running = 0;
    let most = 0;
    let release: () => void = () => {};
    const runs: string[] = [];
    const slow: Job = {
      name: 'slow',
      cron: '* * * * *',
      run: async (now) => {
        running++;
        most = Math.max(most, running);
        runs.push(now.toISOString().slice(11, 19));
        // The run at 10:01 takes until the test lets it go.
        if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
        running--;
      },
    };
    const { log, lines } = logged();
    const scheduler = startScheduler(database.db, [slow], () => new Date(), log);
    await vi.advanceTimersByTimeAsync(30_000); // to 10:01, whose run starts once its slot is claimed
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(140_000); // to 10:03:20, the 10:01 run still going
    release();
    await scheduler.idle(); // the 10:03 slot runs at 10:03:20, for the 10:02 one too
    await advance(scheduler, 40_000); // to 10:04, its slot's timer
    await advance(scheduler, 20_000); // to 10:04:20
    await scheduler.stop();
    vi.useRealTimers();
    expect(most).toBe(1);
    expect(runs).toEqual(['10:01:00', '10:03:20', '10:04:00']);
    expect(await slotsRun('slow')).toEqual([
      '2029-12-02T10:01:00.000Z',
      '2029-12-02T10:03:00.000Z',
      '2029-12-02T10:04:00.000Z',
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        job: 'slow',
        skippedFrom: '2029-12-02T10:02:00.000Z',
        runs: '2029-12-02T10:03:00.000Z',
      }),
    ]);
  });

  it('runs each slot once across two instances, and nothing once stopped', async () => {
    vi.useFakeTimers({
      now: new Date('2029-12-03T10:00:30Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    const runs: string[] = [];
    const job: Job = {
      name: 'shared',
      cron: '*/2 * * * *',
      run: async (now) => void runs.push(now.toISOString()),
    };
    const { log } = logged();
    const clock: Clock = () => new Date();
    const instances = [
      startScheduler(database.db, [job], clock, log),
      startScheduler(database.db, [job], clock, log),
    ];
    const both = { idle: () => Promise.all(instances.map((s) => s.idle())).then(() => {}) } as Scheduler;
    for (let i = 0; i < 20; i++) await advance(both, 30_000); // to 10:10:30, in steps that end on the minute
    await Promise.all(instances.map((s) => s.stop()));
    await advance(both, 5 * 60_000);
    vi.useRealTimers();
    const slots = ['10:02', '10:04', '10:06', '10:08', '10:10'].map((hm) => `2029-12-03T${hm}:00.000Z`);
    expect(await slotsRun('shared')).toEqual(slots);
    expect(runs).toEqual(slots);
  });
});
