import { seedActionSteps } from './action-steps.js';
import { seedCoalition } from './coalition.js';
import type { SeedContext } from './context.js';
import { seedConversations } from './conversations.js';

export type { SeedContext } from './context.js';
export { CHANNELS, PEOPLE, seedSlackWorkspace } from './workspace.js';

/**
 * The coalition's history, in the order it happened. The people and channels are already in the emulated
 * workspace (seedSlackWorkspace); each step writes through the app's services at moments before the start.
 * Check-ins and proposals join this list as steps of their own.
 */
export const SEED_STEPS: readonly { name: string; run(context: SeedContext): Promise<void> | void }[] = [
  { name: 'setup and work groups', run: seedCoalition },
  { name: 'action steps', run: seedActionSteps },
  { name: 'conversations', run: seedConversations },
];

export async function seedHistory(context: SeedContext): Promise<void> {
  for (const step of SEED_STEPS) await step.run(context);
}
