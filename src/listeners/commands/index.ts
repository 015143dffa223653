import { COMMAND } from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import type { Routes } from '../routes.js';
import { checkinCommand } from './checkin.js';
import { commitCommand } from './commit.js';
import { concertCommand } from './concert.js';
import { proposeCommand } from './propose.js';

export function register(routes: Routes, deps: ListenerDeps): void {
  routes.command(COMMAND.CONCERT, concertCommand(deps));
  routes.command(COMMAND.COMMIT, commitCommand(deps));
  routes.command(COMMAND.CHECKIN, checkinCommand(deps));
  routes.command(COMMAND.PROPOSE, proposeCommand(deps));
}
