// In-memory index of armed TP/SL/trailing triggers per token: a best-bid move is checked in
// O(log n + fired), not by scanning positions. Prices are MicroInt (micros as safe integers).
import type { MicroInt } from "../workers/money/micros";
import type { ArmedTrigger } from "../workers/triggers/types";

export interface Fired {
  trigger: ArmedTrigger;
  /** The level that was crossed (for trailing stops: highWater − trail at the moment). */
  level: MicroInt;
}

interface TrailGroup {
  highWater: MicroInt;
  /** Sorted by trail DESCENDING: the member that fires first (smallest trail) is last. */
  members: ArmedTrigger[];
  /** highWater − smallest trail: the bid at or below which this group's first member fires. */
  fireLevel: MicroInt;
}

function refreshFireLevel(g: TrailGroup): void {
  g.fireLevel = g.members.length ? g.highWater - g.members[g.members.length - 1]!.trail! : Number.NEGATIVE_INFINITY;
}

class TokenTriggers {
  /** take_profit sorted by level DESCENDING: the lowest level (fires first) is last. */
  readonly takeProfit: ArmedTrigger[] = [];
  /** stop_loss sorted by level ASCENDING: the highest level (fires first) is last. */
  readonly stopLoss: ArmedTrigger[] = [];
  /** Trailing groups sorted by highWater DESCENDING; all members of a group share its high water. */
  readonly groups: TrailGroup[] = [];
  /** The same groups sorted by fireLevel ASCENDING: the group that fires first is last. */
  readonly ladder: TrailGroup[] = [];

  get size(): number {
    return this.takeProfit.length + this.stopLoss.length + this.groups.reduce((n, g) => n + g.members.length, 0);
  }
}

/** Index of the first element for which `before(x)` is false (arr is partitioned). */
function partition<T>(arr: readonly T[], before: (x: T) => boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(arr[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function removeById(arr: ArmedTrigger[], id: number): boolean {
  const i = arr.findIndex((t) => t.id === id);
  if (i < 0) return false;
  arr.splice(i, 1);
  return true;
}

export class TriggerIndex {
  private readonly byToken = new Map<string, TokenTriggers>();
  private readonly byId = new Map<number, ArmedTrigger>();
  /** Trailing stops' group (their high water lives on the group, not on each member). */
  private readonly groupOf = new Map<number, TrailGroup>();
  private readonly idsByPosition = new Map<number, Set<number>>();

  get size(): number {
    return this.byId.size;
  }

  /** A copy of the trigger with its current high water (trailing stops). */
  get(id: number): ArmedTrigger | undefined {
    const t = this.byId.get(id);
    return t && this.view(t);
  }

  forPosition(positionId: number): ArmedTrigger[] {
    return [...(this.idsByPosition.get(positionId) ?? [])].map((id) => this.view(this.byId.get(id)!));
  }

  all(): ArmedTrigger[] {
    return [...this.byId.values()].map((t) => this.view(t));
  }

  private view(t: ArmedTrigger): ArmedTrigger {
    const g = this.groupOf.get(t.id);
    return g ? { ...t, highWater: g.highWater } : { ...t };
  }

  tokens(): string[] {
    return [...this.byToken.keys()];
  }

  /** Whether any trigger is armed on the token (a cheap pre-check on the hot path). */
  watches(tokenId: string): boolean {
    return this.byToken.has(tokenId);
  }

  /** Adds or replaces a trigger (same id). A trailing stop without highWater must be given one. */
  upsert(trigger: ArmedTrigger): void {
    if (this.byId.has(trigger.id)) this.remove(trigger.id);
    const t = { ...trigger };
    let bucket = this.byToken.get(t.tokenId);
    if (!bucket) {
      bucket = new TokenTriggers();
      this.byToken.set(t.tokenId, bucket);
    }
    if (t.kind === "take_profit") {
      bucket.takeProfit.splice(partition(bucket.takeProfit, (x) => x.level! > t.level!), 0, t);
    } else if (t.kind === "stop_loss") {
      bucket.stopLoss.splice(partition(bucket.stopLoss, (x) => x.level! < t.level!), 0, t);
    } else {
      if (t.trail === undefined || t.highWater === undefined) throw new RangeError("trailing stop needs trail and highWater");
      this.addToGroup(bucket, t);
    }
    this.byId.set(t.id, t);
    const ids = this.idsByPosition.get(t.positionId) ?? new Set<number>();
    ids.add(t.id);
    this.idsByPosition.set(t.positionId, ids);
  }

  /** Drops a trigger from the id maps (it already left its token bucket). */
  private forget(t: ArmedTrigger): void {
    this.byId.delete(t.id);
    this.groupOf.delete(t.id);
    const ids = this.idsByPosition.get(t.positionId);
    ids?.delete(t.id);
    if (ids?.size === 0) this.idsByPosition.delete(t.positionId);
  }

  remove(id: number): ArmedTrigger | undefined {
    const t = this.byId.get(id);
    if (!t) return undefined;
    const group = this.groupOf.get(id);
    this.forget(t);
    const bucket = this.byToken.get(t.tokenId)!;
    if (t.kind === "take_profit") removeById(bucket.takeProfit, id);
    else if (t.kind === "stop_loss") removeById(bucket.stopLoss, id);
    else if (group) {
      this.unladder(bucket, group);
      removeById(group.members, id);
      if (group.members.length === 0) bucket.groups.splice(partition(bucket.groups, (g) => g.highWater > group.highWater), 1);
      else this.ladder(bucket, group);
    }
    if (bucket.size === 0) this.byToken.delete(t.tokenId);
    return group ? { ...t, highWater: group.highWater } : t;
  }

  /** Removes every trigger of a position (it is being sold or was closed). */
  removePosition(positionId: number): ArmedTrigger[] {
    return this.forPosition(positionId).map((t) => this.remove(t.id)!);
  }

  /**
   * Applies a new best bid for a token: raises trailing high waters, then returns (and removes)
   * every trigger the bid crosses. Cost: O(log n + fired) plus amortised group merges.
   */
  onBid(tokenId: string, bid: MicroInt): Fired[] {
    const bucket = this.byToken.get(tokenId);
    if (!bucket) return [];
    const fired: Fired[] = [];
    const tp = bucket.takeProfit;
    while (tp.length && tp[tp.length - 1]!.level! <= bid) this.fire(tp.pop()!, fired);
    const sl = bucket.stopLoss;
    while (sl.length && sl[sl.length - 1]!.level! >= bid) this.fire(sl.pop()!, fired);
    this.raiseHighWater(bucket, bid);
    this.fireTrailing(bucket, bid, fired);
    if (bucket.size === 0) this.byToken.delete(tokenId);
    return fired;
  }

  private fire(t: ArmedTrigger, out: Fired[]): void {
    this.forget(t);
    out.push({ trigger: { ...t }, level: t.level! });
  }

  private addToGroup(bucket: TokenTriggers, t: ArmedTrigger): void {
    const gi = partition(bucket.groups, (g) => g.highWater > t.highWater!);
    let group = bucket.groups[gi];
    if (!group || group.highWater !== t.highWater) {
      group = { highWater: t.highWater!, members: [], fireLevel: 0 };
      bucket.groups.splice(gi, 0, group);
    } else {
      this.unladder(bucket, group);
    }
    group.members.splice(partition(group.members, (x) => x.trail! > t.trail!), 0, t);
    this.groupOf.set(t.id, group);
    this.ladder(bucket, group);
  }

  /** Inserts a group into the fire ladder by its (fresh) fire level. */
  private ladder(bucket: TokenTriggers, g: TrailGroup): void {
    refreshFireLevel(g);
    bucket.ladder.splice(partition(bucket.ladder, (x) => x.fireLevel < g.fireLevel), 0, g);
  }

  private unladder(bucket: TokenTriggers, g: TrailGroup): void {
    let i = partition(bucket.ladder, (x) => x.fireLevel < g.fireLevel);
    while (i < bucket.ladder.length && bucket.ladder[i] !== g) i++;
    if (i < bucket.ladder.length) bucket.ladder.splice(i, 1);
  }

  /** Groups whose high water is below the bid (the tail: lowest high waters) merge at the bid. */
  private raiseHighWater(bucket: TokenTriggers, bid: MicroInt): void {
    const groups = bucket.groups;
    if (!groups.length || groups[groups.length - 1]!.highWater >= bid) return;
    const popped: TrailGroup[] = [];
    // Take every group below the bid, and one already AT the bid: high waters stay unique per group.
    while (groups.length && groups[groups.length - 1]!.highWater <= bid) popped.push(groups.pop()!);
    for (const g of popped) this.unladder(bucket, g);
    // Reuse the largest group's sorted array; merge the others into it (smaller-to-larger).
    popped.sort((a, b) => b.members.length - a.members.length);
    const merged = popped[0]!;
    for (const g of popped.slice(1)) {
      for (const m of g.members) {
        merged.members.splice(partition(merged.members, (x) => x.trail! > m.trail!), 0, m);
        this.groupOf.set(m.id, merged);
      }
    }
    merged.highWater = bid;
    groups.push(merged);
    this.ladder(bucket, merged);
  }

  /**
   * After raiseHighWater every group has highWater ≥ bid; a member fires when trail ≤ highWater − bid,
   * i.e. a group fires while its fireLevel ≥ bid. Only groups that fire are touched.
   */
  private fireTrailing(bucket: TokenTriggers, bid: MicroInt, out: Fired[]): void {
    const ladder = bucket.ladder;
    while (ladder.length && ladder[ladder.length - 1]!.fireLevel >= bid) {
      const g = ladder.pop()!;
      const reach = g.highWater - bid;
      while (g.members.length && g.members[g.members.length - 1]!.trail! <= reach) {
        const t = g.members.pop()!;
        this.forget(t);
        out.push({ trigger: { ...t, highWater: g.highWater }, level: g.highWater - t.trail! });
      }
      if (g.members.length) this.ladder(bucket, g);
      else bucket.groups.splice(partition(bucket.groups, (x) => x.highWater > g.highWater), 1);
    }
  }
}
