// How the Worker (and trading) talks to the streamer Durable Object: one named instance.
import { settingsOf } from "./env";
import type { ClobClient } from "./polymarket/clob-client";
import type { Micros } from "./money/micros";
import type { BookQuote } from "./polymarket/types";
import type { ArmedTrigger } from "./triggers/types";

/** The single streamer instance: one manager of all subscriptions (it shards its own sockets). */
export const STREAMER_NAME = "main";

/** The streamer's stub, created near STREAMER_LOCATION_HINT when set (a hint counts only when the object is first created). */
export function streamerStub(env: Env) {
  const hint = settingsOf(env).STREAMER_LOCATION_HINT;
  return env.STREAMER.getByName(STREAMER_NAME, hint ? { locationHint: hint } : undefined);
}

/** Live book from the streamer; REST `GET /book` when the streamer has none for the token. */
export function streamerBookSource(env: Env, clob: Pick<ClobClient, "getBook">) {
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
    async arm(triggers: ArmedTrigger[]): Promise<void> {
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
