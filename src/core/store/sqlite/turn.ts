/**
 * Requests collected during one turn of the event loop and handled together at its end
 * (setImmediate runs after every I/O callback of the turn). Whatever was asked for during the
 * turn was asked for before the handler runs, so one look at shared state in the handler is as
 * fresh for each of them as a look of its own would have been.
 */
export class TurnQueue<T> {
  #items: T[] = [];

  constructor(private readonly handle: (items: T[]) => void) {}

  add(item: T): void {
    this.#items.push(item);
    if (this.#items.length === 1) setImmediate(() => this.drain());
  }

  /** Handle what is waiting now (also called early, e.g. before closing). */
  drain(): void {
    const items = this.#items;
    if (items.length === 0) return;
    this.#items = [];
    this.handle(items);
  }
}
