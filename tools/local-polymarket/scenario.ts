// Scenario drivers of the local Polymarket: a lively market, bursts of frames, and scripted price paths.
import { toMicros } from "./decimal";
import type { Exchange } from "./exchange";
import { burstStep, CALM_STEP, LIVELY_STEP, movePrice, randomStep, type StepShape } from "./moves";
import type { Rng } from "./rng";
import type { SimMarket } from "./types";

/** calm: a market moves a tick every ~10 s; lively: every market about once a second, up to 2 ticks; quiet: nothing moves unless told; burst: a flood of frames. */
export type ScenarioKind = "calm" | "lively" | "quiet" | "burst";
export const SCENARIO_KINDS: readonly ScenarioKind[] = ["calm", "lively", "quiet", "burst"];

export interface ScenarioOptions {
  /** lively: tick interval (ms). */
  everyMs?: number;
  /** burst: frames per second. */
  perSecond?: number;
  /** burst: how long (ms); default until stopped. */
  ms?: number;
}

/** Lively: at most this many markets move per tick, so 1,700+ markets stay cheap. */
const LIVELY_MAX_MOVES = 300;
/** Lively: chance a market moves on a tick (about once a second at the default 300 ms). */
const LIVELY_MOVE_CHANCE = 0.3;
/** Calm: about once every 10 s per market at the default 300 ms tick. */
const CALM_MOVE_CHANCE = 0.03;
/** Burst timer resolution; frames are spread over these slices. */
const BURST_SLICE_MS = 10;

export interface PathHandle {
  /** Resolves once the last price of the path has been applied (or the path was stopped). */
  done: Promise<void>;
  stop(): void;
}

export interface ScenarioDeps {
  exchange: () => Exchange;
  /** Token ids someone is subscribed to; bursts go there (all markets when empty). */
  subscribed: () => Set<string>;
  rng: Rng;
  now: () => number;
}

export class Scenarios {
  private timer: NodeJS.Timeout | undefined;
  private readonly paths = new Set<PathHandle>();
  current: ScenarioKind = "quiet";

  constructor(private readonly deps: ScenarioDeps) {}

  start(kind: ScenarioKind, opts: ScenarioOptions = {}): void {
    if (!SCENARIO_KINDS.includes(kind)) throw new RangeError(`unknown scenario "${String(kind)}"`);
    this.stopTimer();
    this.current = kind;
    if (kind === "lively") this.every(opts.everyMs ?? 300, () => this.randomTick(LIVELY_MOVE_CHANCE, LIVELY_STEP));
    if (kind === "calm") this.every(opts.everyMs ?? 300, () => this.randomTick(CALM_MOVE_CHANCE, CALM_STEP));
    if (kind === "burst") this.burst(opts.perSecond ?? 3000, opts.ms);
  }

  /** Stops the running scenario and every scripted path. */
  stop(): void {
    this.stopTimer();
    this.current = "quiet";
    for (const p of [...this.paths]) p.stop();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private every(ms: number, f: () => void): void {
    this.timer = setInterval(f, ms);
    this.timer.unref();
  }

  private randomTick(moveChance: number, shape: StepShape): void {
    const ex = this.deps.exchange();
    const open = ex.markets.filter((m) => !m.closed);
    const chance = Math.min(moveChance, LIVELY_MAX_MOVES / Math.max(open.length, 1));
    for (const m of open) if (this.deps.rng.chance(chance)) randomStep(ex, m, this.deps.rng, shape);
  }

  /** `perSecond` small price_change frames spread over subscribed markets, for `ms` (or until stopped). */
  burst(perSecond: number, ms?: number): void {
    this.stopTimer();
    this.current = "burst";
    const until = ms === undefined ? Number.POSITIVE_INFINITY : this.deps.now() + ms;
    let owed = 0;
    let last = this.deps.now();
    this.every(BURST_SLICE_MS, () => {
      const now = this.deps.now();
      if (now >= until) {
        this.stopTimer();
        this.current = "quiet";
        return;
      }
      const ex = this.deps.exchange();
      const markets = this.targets(ex);
      // Owed frames follow the clock, not the tick count: timers fire late under load.
      owed += (perSecond * (now - last)) / 1000;
      last = now;
      for (; owed >= 1 && markets.length > 0; owed--) burstStep(ex, this.deps.rng.pick(markets), this.deps.rng);
    });
  }

  private targets(ex: Exchange): SimMarket[] {
    const subs = this.deps.subscribed();
    const open = ex.markets.filter((m) => !m.closed);
    const wanted = open.filter((m) => subs.has(m.tokenIds[0]) || subs.has(m.tokenIds[1]));
    return wanted.length > 0 ? wanted : open;
  }

  /**
   * Scripted path for trigger tests: the token's best bid becomes each price in turn (ask one tick
   * above), the first at once, then one every `everyMs`.
   */
  path(tokenId: string, prices: string[], everyMs: number): PathHandle {
    const ex = this.deps.exchange();
    const ref = ex.requireToken(tokenId);
    for (const p of prices) {
      const v = toMicros(p);
      if (v % ref.market.tick !== 0n || v < ref.market.tick || v + 2n * ref.market.tick > 1_000_000n) {
        throw new RangeError(`path price ${p} is not a best bid on tick ${ref.market.tickSize} (it needs an ask above it)`);
      }
    }
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    let finish!: () => void;
    const handle: PathHandle = {
      done: new Promise<void>((resolve) => (finish = resolve)),
      stop: () => {
        if (timer) clearInterval(timer);
        this.paths.delete(handle);
        finish();
      },
    };
    const step = () => {
      if (i >= prices.length) return handle.stop();
      movePrice(this.deps.exchange(), tokenId, { bid: prices[i++]! });
      if (i >= prices.length) handle.stop();
    };
    this.paths.add(handle);
    step();
    if (i < prices.length) {
      timer = setInterval(step, everyMs);
      timer.unref();
    }
    return handle;
  }
}
