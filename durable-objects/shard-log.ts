// The operator's log lines for market-channel connections (mission.md: connecting, connected, ping
// sent, subscribed to N, unsubscribed from N, closed with code and reason, reconnecting with delay).
import { log } from "../workers/lib/log";
import type { ShardEvent } from "./shard-connection";

export function logShardEvent(shard: number, ev: ShardEvent, url: string): void {
  switch (ev.kind) {
    case "connecting":
      return log.info("ws_connecting", { shard, url, attempt: ev.attempt });
    case "connected":
      return log.info("ws_connected", { shard, tokens: ev.tokens, ms: ev.ms });
    case "subscribed":
      return log.info("ws_subscribed", { shard, tokens: ev.tokens });
    case "unsubscribed":
      return log.info("ws_unsubscribed", { shard, tokens: ev.tokens });
    case "ping":
      return log.debug("ping_sent", { shard });
    case "closed":
      return log.warn("ws_closed", { shard, code: ev.code, reason: ev.reason });
    case "reconnecting":
      return log.warn("ws_reconnecting", { shard, delayMs: ev.delayMs, attempt: ev.attempt, why: ev.why });
    case "stale":
      return log.warn("ws_stale", { shard, silentMs: ev.silentMs });
  }
}
