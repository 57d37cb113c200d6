// The job kinds the runner knows and their handlers. The composition root registers them (handlers/index.ts), so a
// new kind is its handler plus one line there. The runner claims only registered kinds: a job of any other kind
// stays queued, untouched, and does not keep the runner from being idle.
import type { HandlerSpec } from './runner';

export class HandlerRegistry {
  private readonly specs = new Map<string, HandlerSpec>();

  /** Adds a kind; a kind registered twice is a wiring mistake, refused. */
  register(kind: string, spec: HandlerSpec): this {
    if (this.specs.has(kind)) throw new Error(`job kind registered twice: ${kind}`);
    this.specs.set(kind, spec);
    return this;
  }

  /** Adds a kind or replaces its handler (tests, the bench); a replaced kind keeps its place in the claim order. */
  override(kind: string, spec: HandlerSpec): this {
    this.specs.set(kind, spec);
    return this;
  }

  get(kind: string): HandlerSpec | undefined {
    return this.specs.get(kind);
  }

  /** In registration order, which is the order the runner claims them in. */
  kinds(): string[] {
    return [...this.specs.keys()];
  }
}
