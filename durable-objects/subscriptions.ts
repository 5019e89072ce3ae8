// Subscription intent: which tokens are wanted, reference-counted by who wants them ("pos:<id>" for
// an open position; other holders use other prefixes). Pure: callers pass the time of each change.
import { TouchLog } from "./touch-log";

export interface IntentChange {
  /** Tokens that became wanted (first reference). */
  added: string[];
  /** Tokens no longer wanted by anyone (last reference gone). */
  removed: string[];
}

export class SubscriptionIntent {
  private readonly refsByToken = new Map<string, Set<string>>();
  private readonly touched = new TouchLog<string>();

  get size(): number {
    return this.refsByToken.size;
  }

  tokens(): string[] {
    return [...this.refsByToken.keys()];
  }

  has(token: string): boolean {
    return this.refsByToken.has(token);
  }

  refs(token: string): string[] {
    return [...(this.refsByToken.get(token) ?? [])];
  }

  /** The tokens `ref` holds. */
  heldBy(ref: string): string[] {
    return [...this.refsByToken].filter(([, refs]) => refs.has(ref)).map(([t]) => t);
  }

  /** Adds `ref` as a holder of `tokens`; `at` (ms epoch) marks a change a reconcile must not undo. */
  want(tokens: readonly string[], ref: string, at?: number): IntentChange {
    if (at !== undefined) this.touched.touch(ref, at);
    const added: string[] = [];
    for (const token of tokens) {
      let refs = this.refsByToken.get(token);
      if (!refs) {
        refs = new Set();
        this.refsByToken.set(token, refs);
        added.push(token);
      }
      refs.add(ref);
    }
    return { added, removed: [] };
  }

  unwant(tokens: readonly string[], ref: string, at?: number): IntentChange {
    if (at !== undefined) this.touched.touch(ref, at);
    const removed: string[] = [];
    for (const token of tokens) {
      const refs = this.refsByToken.get(token);
      if (!refs || !refs.delete(ref)) continue;
      if (refs.size === 0) {
        this.refsByToken.delete(token);
        removed.push(token);
      }
    }
    return { added: [], removed };
  }

  /** Removes `ref` from every token it holds (a position closed: its tokens need not be known). */
  dropRef(ref: string, at?: number): IntentChange {
    return this.unwant(this.heldBy(ref), ref, at);
  }

  /**
   * Makes every reference with `prefix` match `truth` (ref → tokens) as Postgres answered it when
   * read at `readAt`: refs that no longer exist are dropped, missing ones added. A ref wanted or
   * released at or after `readAt` is newer than that answer and keeps what it holds now. Heals a
   * crash between a trade and its subscribe call, or a lost unsubscribe.
   */
  reconcile(prefix: string, truth: ReadonlyMap<string, readonly string[]>, readAt: number): IntentChange {
    const target = new Map(truth);
    for (const ref of this.touched.settle(readAt)) {
      const held = this.heldBy(ref);
      if (held.length) target.set(ref, held);
      else target.delete(ref);
    }
    const before = new Set(this.refsByToken.keys());
    for (const [token, refs] of [...this.refsByToken]) {
      for (const ref of [...refs]) {
        if (ref.startsWith(prefix) && !target.get(ref)?.includes(token)) refs.delete(ref);
      }
      if (refs.size === 0) this.refsByToken.delete(token);
    }
    for (const [ref, tokens] of target) this.want(tokens, ref);
    const after = new Set(this.refsByToken.keys());
    return {
      added: [...after].filter((t) => !before.has(t)),
      removed: [...before].filter((t) => !after.has(t)),
    };
  }

  /** Rows for persistence: [token, ref]. */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [token, refs] of this.refsByToken) for (const ref of refs) out.push([token, ref]);
    return out;
  }
}
