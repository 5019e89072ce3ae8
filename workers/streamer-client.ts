// How the Worker (and trading) talks to the streamer Durable Object: one named instance.
import type { Settings } from "./env";
import { ClobClient } from "./polymarket/clob-client";
import type { Micros } from "./money/micros";
import type { BookQuote } from "./polymarket/types";
import type { ArmedTriggerWire } from "./triggers/store";

/** The single streamer instance: one manager of all subscriptions (it shards its own sockets). */
export const STREAMER_NAME = "main";

export function streamerStub(env: Env) {
  return env.STREAMER.getByName(STREAMER_NAME);
}

/** Live book from the streamer; REST `GET /book` when the streamer has none for the token. */
export function streamerBookSource(env: Env, settings: Settings) {
  const clob = new ClobClient({ baseUrl: settings.CLOB_API_URL, timeoutMs: 5_000 });
  return {
    async getBook(tokenId: string): Promise<BookQuote | null> {
      const live = await streamerStub(env).quote(tokenId).catch(() => null);
      if (live) return live;
      try {
        return await clob.getBook(tokenId);
      } catch {
        return null;
      }
    },
  };
}

/** Tells the streamer which positions need which tokens (it keeps the reference counts). */
export function streamerSubscriptions(env: Env) {
  return {
    async positionOpened(tokenId: string, positionId: number): Promise<void> {
      await streamerStub(env).positionOpened(tokenId, positionId);
    },
    async positionClosed(tokenId: string, positionId: number): Promise<void> {
      await streamerStub(env).positionClosed(tokenId, positionId);
    },
  };
}

/** Mirrors triggers into the streamer (Postgres stays the truth; the streamer reconciles). */
export function streamerTriggerMirror(env: Env) {
  return {
    async arm(triggers: ArmedTriggerWire[]): Promise<void> {
      await streamerStub(env).armTriggers(triggers);
    },
    async disarm(ids: number[]): Promise<void> {
      await streamerStub(env).disarmTriggers(ids);
    },
    async currentBid(tokenId: string): Promise<Micros | undefined> {
      const bid = await streamerStub(env).bestBid(tokenId);
      return bid === null ? undefined : BigInt(bid);
    },
  };
}
