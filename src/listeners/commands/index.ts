import type { App } from '@slack/bolt';
import { COMMAND } from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import { commitCommand } from './commit.js';
import { concertCommand } from './concert.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND.CONCERT, concertCommand(deps));
  app.command(COMMAND.COMMIT, commitCommand(deps));
}
