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
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        fn(payload);
      } catch {
        // a broken listener must not break the sale that emitted the event
      }
    }
  }
}
