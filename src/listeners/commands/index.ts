import type { App } from '@slack/bolt';
import { COMMAND } from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import { concertCommand } from './concert.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND.CONCERT, concertCommand(deps));
}
