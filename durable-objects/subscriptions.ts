// Subscription intent: which tokens are wanted, reference-counted by who wants them
// ("pos:<id>" for an active position, "trig:<id>", "alert:<id>" later).

export interface IntentChange {
  /** Tokens that became wanted (first reference). */
  added: string[];
  /** Tokens no longer wanted by anyone (last reference gone). */
  removed: string[];
}

export class SubscriptionIntent {
  private readonly refsByToken = new Map<string, Set<string>>();

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

  want(tokens: readonly string[], ref: string): IntentChange {
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

  unwant(tokens: readonly string[], ref: string): IntentChange {
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

  /** Removes `ref` from every token it holds (e.g. a position closed: we may not know its tokens). */
  dropRef(ref: string): IntentChange {
    const held = [...this.refsByToken].filter(([, refs]) => refs.has(ref)).map(([t]) => t);
    return this.unwant(held, ref);
  }

  /**
   * Makes every reference with `prefix` match `truth` (ref → tokens), as read from Postgres:
   * refs that no longer exist are dropped, missing ones added. Heals a crash between a trade
   * and its subscribe call, or a lost unsubscribe.
   */
  reconcile(prefix: string, truth: ReadonlyMap<string, readonly string[]>): IntentChange {
    const before = new Set(this.refsByToken.keys());
    for (const [token, refs] of [...this.refsByToken]) {
      for (const ref of [...refs]) {
        if (ref.startsWith(prefix) && !truth.get(ref)?.includes(token)) refs.delete(ref);
      }
      if (refs.size === 0) this.refsByToken.delete(token);
    }
    for (const [ref, tokens] of truth) this.want(tokens, ref);
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
