import { AlgoError } from '../../errors.js';
import type { BotStore } from '../../bot/store.js';

const unavailable = (): never => {
  throw new AlgoError('bots need the SQLite or memory store for now', { hint: 'use --store with a SQLite file (the default) to run bots' });
};

/** Bots in MongoDB: not built yet; every method refuses in one line. */
export class MongoBotStore implements BotStore {
  create = unavailable;
  list = unavailable;
  get = unavailable;
  update = unavailable;
  remove = unavailable;
  users = unavailable;
  acquireLease = unavailable;
  renewLease = unavailable;
  releaseLease = unavailable;
  lease = unavailable;
  appendEvents = unavailable;
  events = unavailable;
  putOrders = unavailable;
  markOrder = unavailable;
  orders = unavailable;
  orderByKey = unavailable;
}
