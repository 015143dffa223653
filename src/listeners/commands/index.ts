import type { App } from '@slack/bolt';
import { COMMAND } from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import { checkinCommand } from './checkin.js';
import { commitCommand } from './commit.js';
import { concertCommand } from './concert.js';
import { proposeCommand } from './propose.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND.CONCERT, concertCommand(deps));
  app.command(COMMAND.COMMIT, commitCommand(deps));
  app.command(COMMAND.CHECKIN, checkinCommand(deps));
  app.command(COMMAND.PROPOSE, proposeCommand(deps));
}
