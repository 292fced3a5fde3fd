/** A tiny external store for useSyncExternalStore: state, a reducer, and listeners. */
export class Store<S, A> {
  private listeners = new Set<() => void>();
  constructor(
    private state: S,
    private readonly reducer: (s: S, a: A) => S,
  ) {}

  getState = (): S => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  dispatch = (action: A): void => {
    const next = this.reducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const fn of this.listeners) fn();
  };
}
