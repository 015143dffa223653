import { App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { Routes } from '../src/listeners/routes.js';

const receiver: Receiver = { init() {}, start: async () => {}, stop: async () => {} };

function boltApp(): App {
  return new App({
    receiver,
    token: 'xoxb-test',
    botId: 'BCONCERT',
    botUserId: 'UCONCERT',
    logLevel: 'error' as never,
  });
}

function received(body: Record<string, unknown>): ReceiverEvent {
  return { body, ack: async () => {} };
}

const click = (actionId: string) =>
  received({
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: 'U1' },
    api_app_id: 'A1',
    trigger_id: 't',
    container: { type: 'message' },
    channel: { id: 'C1' },
    actions: [{ action_id: actionId, block_id: 'b', type: 'button', value: '1', action_ts: '1' }],
  });

describe('Routes', () => {
  it('hands each request to the one listener for its id, an exact id before a pattern', async () => {
    const app = boltApp();
    const routes = new Routes();
    const heard: string[] = [];
    routes.action('step_done', async () => void heard.push('exact'));
    routes.action(/^step_/, async () => void heard.push('pattern'));
    routes.view('step_form', async () => void heard.push('view'));
    routes.command('/concert', async () => void heard.push('command'));
    routes.event('member_joined_channel', async () => void heard.push('event'));
    routes.install(app);

    await app.processEvent(click('step_done'));
    await app.processEvent(click('step_other'));
    await app.processEvent(click('unknown'));
    await app.processEvent(
      received({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: 'U1' },
        view: { callback_id: 'step_form' },
      }),
    );
    await app.processEvent(received({ command: '/concert', team_id: 'T1', user_id: 'U1', text: '' }));
    await app.processEvent(received({ command: '/other', team_id: 'T1', user_id: 'U1', text: '' }));
    await app.processEvent(
      received({
        type: 'event_callback',
        team_id: 'T1',
        event: { type: 'member_joined_channel', user: 'U1', channel: 'C1' },
      }),
    );

    expect(heard).toEqual(['exact', 'pattern', 'view', 'command', 'event']);
  });

  it('refuses a second listener for the same id, where Bolt would run both', () => {
    const routes = new Routes();
    routes.action('step_done', async () => {});
    expect(() => routes.action('step_done', async () => {})).toThrow(
      'two listeners for the action step_done',
    );
    routes.view('step_form', async () => {});
    expect(() => routes.view('step_form', async () => {})).toThrow('two listeners for the view step_form');
  });

  it('lists the interactions registered, patterns by their source', () => {
    const routes = new Routes();
    routes.action('step_done', async () => {});
    routes.action(/^group_\d+$/, async () => {});
    routes.view('step_form', async () => {});
    expect(routes.interactionIds()).toEqual(['step_done', '^group_\\d+$', 'step_form']);
  });
});
