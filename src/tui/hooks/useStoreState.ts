import { useSyncExternalStore } from 'react';
import type { Store } from '../state/store.js';

export function useStoreState<S, A>(store: Store<S, A>): S {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
