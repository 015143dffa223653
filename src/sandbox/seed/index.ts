import { seedActionSteps } from './action-steps.js';
import { seedCheckins } from './checkins.js';
import { seedCoalition } from './coalition.js';
import type { SeedContext, SeedEvent } from './context.js';
import { seedConversations } from './conversations.js';
import { seedIndicators } from './indicators.js';
import { seedProposals } from './proposals.js';

export type { SeedContext, SeedEvent } from './context.js';
export { CHANNELS, PEOPLE, seedSlackWorkspace } from './workspace.js';

/**
 * The coalition's history. The people and channels are already in the emulated workspace
 * (seedSlackWorkspace); each step tells what happened and when, through the app's services, and the steps'
 * events are then played together in the order they happened: a check-in three weeks ago sees the action
 * steps of that day, not those made since.
 */
export const SEED_STEPS: readonly { name: string; events(context: SeedContext): SeedEvent[] }[] = [
  { name: 'setup and work groups', events: seedCoalition },
  { name: 'shared indicators', events: seedIndicators },
  { name: 'action steps', events: seedActionSteps },
  { name: 'weekly check-ins', events: seedCheckins },
  { name: 'proposals', events: seedProposals },
  { name: 'conversations', events: seedConversations },
];

/**
 * Plays the history up to the start, moving the sandbox clock to each event first. Events at or after the
 * start have not happened yet (an answer planned for later in a round still open) and are left out.
 */
export async function seedHistory(context: SeedContext, moveClockTo: (at: Date) => void): Promise<void> {
  const events = SEED_STEPS.flatMap((step) => step.events(context))
    .filter((event) => event.at.getTime() < context.now.getTime())
    // Array.prototype.sort is stable: events at the same moment keep the steps' order.
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const event of events) {
    moveClockTo(event.at);
    await event.run();
  }
}

/** How far back the history goes: the clock starts there and plays forward to the start. */
export const HISTORY_DAYS = 29;
