import { App, type Receiver } from '@slack/bolt';
import { type BenchOptions, bench, describe } from 'vitest';
import { register as registerActions } from '../src/listeners/actions/index.js';
import { register as registerCommands } from '../src/listeners/commands/index.js';
import type { ListenerDeps } from '../src/listeners/deps.js';
import { register as registerEvents } from '../src/listeners/events/index.js';
import { Routes } from '../src/listeners/routes.js';
import { register as registerShortcuts } from '../src/listeners/shortcuts/index.js';
import { register as registerViews } from '../src/listeners/views/index.js';

/**
 * What Bolt spends finding a click's listener among Concert's (src/listeners/routes.ts), through
 * `app.processEvent`, nothing else running: Concert's listeners given to Bolt one listener per kind (as the
 * app does), and the same listeners each given to Bolt on its own (as before). Floor, in the same run: a
 * Bolt app with one listener. The click's action id is one nobody listens to, so no listener's own work is
 * measured, only the search.
 */

const TIMING: BenchOptions = {
  time: Number(process.env.BENCH_TIME ?? 2_000),
  iterations: Number(process.env.BENCH_ITERATIONS ?? 1_000),
  warmupIterations: 100,
  throws: true,
};
const receiver: Receiver = { init() {}, start: async () => {}, stop: async () => {} };
const newApp = () =>
  new App({
    receiver,
    token: 'xoxb-bench',
    botId: 'BCONCERT',
    botUserId: 'UCONCERT',
    logLevel: 'error' as never,
  });

function registerAll(routes: Routes): Routes {
  const deps = {} as ListenerDeps;
  registerCommands(routes, deps);
  registerActions(routes, deps);
  registerViews(routes, deps);
  registerEvents(routes, deps);
  registerShortcuts(routes, deps);
  return routes;
}

/** Concert's listeners, each registered with Bolt by itself. */
function eachOnItsOwn(app: App): Routes {
  const own = {
    action: (id: string | RegExp, listener: never) => app.action(id, listener),
    view: (id: string, listener: never) => app.view(id, listener),
    command: (name: string, listener: never) => app.command(name, listener),
    event: (type: string, listener: never) => app.event(type, listener),
    shortcut: (id: string, listener: never) => app.shortcut(id, listener),
  };
  return registerAll(own as unknown as Routes);
}

const routed = newApp();
registerAll(new Routes()).install(routed);
const separate = newApp();
eachOnItsOwn(separate);
const bare = newApp();
bare.action('bench_click', async ({ ack }) => ack());

const click = {
  body: {
    type: 'block_actions',
    team: { id: 'T0001' },
    user: { id: 'U0001' },
    api_app_id: 'A0001',
    trigger_id: 't',
    container: { type: 'message' },
    channel: { id: 'C0001' },
    actions: [{ action_id: 'bench_click', block_id: 'b', type: 'button', value: '1', action_ts: '1' }],
  },
  ack: async () => {},
};

describe(`finding a click's listener among Concert's ${registerAll(new Routes()).interactionIds().length} interactions, and its commands and events`, () => {
  bench('floor: a Bolt app with one listener', () => bare.processEvent(click), TIMING);
  bench('Concert’s listeners, one Bolt listener per kind (routes)', () => routed.processEvent(click), TIMING);
  bench(
    'Concert’s listeners, each its own Bolt listener (before)',
    () => separate.processEvent(click),
    TIMING,
  );
});
