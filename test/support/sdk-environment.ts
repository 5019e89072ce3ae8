// The official @polymarket/client's environment forked onto a local Polymarket's hosts (any runtime).
import { forkEnvironmentConfig } from "@polymarket/client";

export interface LocalPolymarketUrls {
  clobUrl: string;
  wsUrl: string;
  relayerUrl: string;
  rpcUrl: string;
  gammaUrl: string;
  dataUrl: string;
}

/** Every service the SDK calls goes to the local Polymarket; relayer polls every `pollMs`. */
export function localSdkEnvironment(u: LocalPolymarketUrls, pollMs = 10) {
  return forkEnvironmentConfig({
    name: "local-polymarket",
    rpc: u.rpcUrl,
    clob: { rest: u.clobUrl, market: { ws: u.wsUrl } },
    relayer: { rest: u.relayerUrl },
    gamma: { rest: u.gammaUrl },
    data: { rest: u.dataUrl },
    relayerPollFrequencyMs: pollMs,
    relayerMaxPolls: 500,
  });
}
