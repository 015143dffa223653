import { describe, expect, it } from 'vitest';
import { type Pacer, Turns } from '../src/listeners/pacer.js';

/** Time the test moves by hand: a wait ends when `advance` passes it. */
class HandTime implements Pacer {
  #now = 0;
  #waits: { at: number; resolve: () => void }[] = [];
  now = () => this.#now;
  wait = (ms: number) => new Promise<void>((resolve) => this.#waits.push({ at: this.#now + ms, resolve }));
  async advance(ms: number): Promise<void> {
    this.#now += ms;
    for (const w of this.#waits.filter((w) => w.at <= this.#now)) w.resolve();
    this.#waits = this.#waits.filter((w) => w.at > this.#now);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** One message's turns, a second apart, in `time`; a failing turn fails the test. */
const turnsIn = (time: Pacer) =>
  new Turns(
    time,
    1000,
    () => {},
    (error) => {
      throw error;
    },
  );

describe('turns for one Slack message (chat.update about once a second)', () => {
  it('gives a reserve made while a turn’s work runs the second after that work began', async () => {
    const time = new HandTime();
    const runs: string[] = [];
    const turns = turnsIn(time);
    let finish = () => {};
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // A refresh begins at 0 and is still reading when the vote closes.
    turns.enqueue('p', async () => {
      runs.push(`refresh at ${time.now()}`);
      await held;
      return true;
    });
    await settle();
    turns.reserve('p', async () => {
      runs.push(`final at ${time.now()}`);
    });
    await settle();
    expect(runs).toEqual(['refresh at 0']);
    await time.advance(999);
    expect(runs).toEqual(['refresh at 0']);
    await time.advance(1);
    expect(runs).toEqual(['refresh at 0', 'final at 1000']);
    finish();
    await settle();
  });

  it('gives the turn back when the work sent nothing', async () => {
    const time = new HandTime();
    const turns = turnsIn(time);
    turns.enqueue('p', async () => false);
    await settle();
    await settle();
    expect(turns.nextIn('p')).toBe(0);
    turns.enqueue('p', async () => true);
    await settle();
    await settle();
    expect(turns.nextIn('p')).toBe(1000);
  });
});
