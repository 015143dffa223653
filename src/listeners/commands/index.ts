import type { App } from '@slack/bolt';
import { COMMAND } from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import { checkinCommand } from './checkin.js';
import { notYetCommand } from './coming.js';
import { commitCommand } from './commit.js';
import { concertCommand } from './concert.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND.CONCERT, concertCommand(deps));
  app.command(COMMAND.COMMIT, commitCommand(deps));
  app.command(COMMAND.CHECKIN, checkinCommand(deps));
  app.command(
    COMMAND.PROPOSE,
    notYetCommand('Consensus proposals', 'Meanwhile, the Core can discuss a proposal in its channel.'),
  );
}
