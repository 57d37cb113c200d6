// The app's events (`sale.updated`, `status`, `queue.updated`…): services emit them after their commits; the shell
// and `serve` forward them to the screens. Services take the half they use (`Pick<EventBus, 'emit'>` or `'on'`).
import type { EventName, Events } from '../src-shared/contract';

type Listener<E extends EventName> = (payload: Events[E]) => void;

export class EventBus {
  private listeners = new Map<EventName, Set<Listener<EventName>>>();
  on<E extends EventName>(event: E, fn: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as Listener<EventName>);
    return () => set!.delete(fn as Listener<EventName>);
  }
  listening(event: EventName): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    runHooks(this.listeners.get(event) ?? [], payload);
  }
}

/**
 * Calls each hook with the arguments. One that throws neither stops the others nor reaches the caller: what called
 * them (a sale, a person's call) is already committed, and a broken listener must not turn it into an error.
 */
export function runHooks<A extends unknown[]>(hooks: Iterable<(...args: A) => void>, ...args: A): void {
  for (const fn of hooks) {
    try {
      fn(...args);
    } catch {
      // see above
    }
  }
}

/** Adds `fn` to a list of hooks (app.afterSale, app.afterCall); the function returned takes it out again. */
export function addHook<F>(hooks: F[], fn: F): () => void {
  hooks.push(fn);
  return () => {
    const i = hooks.indexOf(fn);
    if (i >= 0) hooks.splice(i, 1);
  };
}
