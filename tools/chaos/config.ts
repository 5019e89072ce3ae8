// The chaos suite's counts and timings, full (`npm run chaos`) and short (`--short`, for CI), and the
// Worker settings each form runs with. Pure: main.ts prints what was actually used.
import { SHORT_WAVES, type Wave, WAVES } from "./venue-waves";

export interface SocketCounts {
  positions: number;
  drops: number;
  stalls: number;
  stallMs: number;
  garbageFrames: number;
  bursts: number;
  burstPerSecond: number;
  burstMs: number;
}

export interface ChaosConfig {
  form: "full" | "short";
  /** Procedural markets added to the local Polymarket (every scenario takes its own). */
  marketCount: number;
  /** Settings the Worker runs with (extraVars of startStack). */
  workerVars: Record<string, string>;
  staleMs: number;
  pollMs: number;
  socket: SocketCounts;
  database: { users: number; outageMs: number; probes: number };
  /** Live users per fault wave: one buys, a third of the others race their own take profit. */
  venue: { perWave: number };
  webhook: { duplicatedUpdates: number; copies: number; fuzzed: number; victims: number };
  /** moves: the walk goes on at least this long (it keeps going while users still act). */
  concurrency: { users: number; markets: number; moves: number };
  /** Stops crossed in one frame per token, on `tokens` tokens, with drops and a database outage of `outageMs` mid-way. */
  stampede: { stops: number; tokens: number; outageMs: number };
}

const FULL: ChaosConfig = {
  form: "full",
  marketCount: 700,
  // Production staleness and polling: a stall is noticed after 60 s of silence, as in production.
  staleMs: 60_000,
  pollMs: 3_000,
  workerVars: {},
  socket: { positions: 200, drops: 50, stalls: 10, stallMs: 90_000, garbageFrames: 1_000, bursts: 10, burstPerSecond: 10_000, burstMs: 1_000 },
  database: { users: 40, outageMs: 20_000, probes: 40 },
  venue: { perWave: 5 },
  // 500 updates delivered three times: 1,000 duplicate deliveries.
  webhook: { duplicatedUpdates: 500, copies: 3, fuzzed: 10_000, victims: 20 },
  concurrency: { users: 100, markets: 20, moves: 400 },
  stampede: { stops: 500, tokens: 5, outageMs: 10_000 },
};

const SHORT: ChaosConfig = {
  form: "short",
  marketCount: 260,
  staleMs: 3_000,
  pollMs: 1_000,
  workerVars: { STREAMER_STALE_MS: "3000", STREAMER_POLL_MS: "1000", STREAMER_FLUSH_MS: "250" },
  socket: { positions: 40, drops: 6, stalls: 2, stallMs: 8_000, garbageFrames: 120, bursts: 2, burstPerSecond: 10_000, burstMs: 500 },
  database: { users: 12, outageMs: 6_000, probes: 12 },
  venue: { perWave: 3 },
  webhook: { duplicatedUpdates: 60, copies: 3, fuzzed: 600, victims: 6 },
  concurrency: { users: 30, markets: 8, moves: 120 },
  stampede: { stops: 100, tokens: 5, outageMs: 4_000 },
};

/** The venue scenario's fault waves for this form. */
export function venueWaves(c: Pick<ChaosConfig, "form">): readonly Wave[] {
  return c.form === "short" ? SHORT_WAVES : WAVES;
}

export function chaosConfig(args: readonly string[]): ChaosConfig {
  const base = args.includes("--short") ? SHORT : FULL;
  return { ...base, workerVars: { ...base.workerVars } };
}

/** The counts actually used, for the header line. */
export function describeConfig(c: ChaosConfig): string {
  const s = c.socket;
  const waves = venueWaves(c);
  return [
    `${c.form} form`,
    `staleness ${c.staleMs / 1000} s, polling ${c.pollMs / 1000} s`,
    `sockets: ${s.positions} positions, ${s.drops} drops, ${s.stalls} stalls × ${s.stallMs / 1000} s, ${s.garbageFrames} garbage frames, ${s.bursts} bursts of ${s.burstPerSecond}/s for ${s.burstMs} ms`,
    `database: ${c.database.users} users, outage ${c.database.outageMs / 1000} s`,
    `venue: ${waves.length} waves × ${c.venue.perWave} live users`,
    `webhook: ${c.webhook.duplicatedUpdates} updates × ${c.webhook.copies}, ${c.webhook.fuzzed} hostile`,
    `concurrency: ${c.concurrency.users} users on ${c.concurrency.markets} markets, at least ${c.concurrency.moves} price moves`,
    `stampede: ${c.stampede.stops} stops on ${c.stampede.tokens} tokens, outage ${c.stampede.outageMs / 1000} s`,
  ].join("; ");
}
