/**
 * Which actions fired and how often, by name. Counting must not cost a string per transition:
 * actions that are small integers are counted in an array and named once at the end; others
 * are named by the presentation's `actionName` (cheap), else by their formatted head.
 */
import { actionNameOf } from '../format.ts';
import type { Model } from '../model.ts';

const SMALL = 1024;

export class Coverage<S, A> {
  private readonly smallFired = new Float64Array(SMALL);
  private readonly smallTried = new Uint8Array(SMALL);
  private readonly namedFired = new Map<string, number>();

  constructor(private readonly model: Model<S, A>) {}

  tried(action: A, fired: boolean): void {
    if (typeof action === 'number' && action >= 0 && action < SMALL && (action | 0) === action) {
      this.smallTried[action] = 1;
      if (fired) this.smallFired[action]++;
      return;
    }
    const name = actionNameOf(this.model, action);
    this.namedFired.set(name, (this.namedFired.get(name) ?? 0) + (fired ? 1 : 0));
  }

  private all(): Map<string, number> {
    const counts = new Map(this.namedFired);
    for (let a = 0; a < SMALL; a++) {
      if (!this.smallTried[a]) continue;
      const name = actionNameOf(this.model, a as A);
      counts.set(name, (counts.get(name) ?? 0) + this.smallFired[a]);
    }
    return counts;
  }

  fired(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, n] of [...this.all()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (n > 0) out[name] = n;
    }
    return out;
  }

  neverFired(): string[] {
    return [...this.all()].filter(([, n]) => n === 0).map(([name]) => name).sort();
  }
}
