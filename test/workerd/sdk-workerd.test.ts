// Does the official @polymarket/client run inside workerd, and what does an order cost there? The verdict is in docs/stack-notes.md.
import { createSecureClient, OrderSide, relayerApiKey, WalletType } from "@polymarket/client";
import { privateKey } from "@polymarket/client/viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, inject, it } from "vitest";
import { buildOrder, newSalt, orderPayload, signOrder } from "../../workers/polymarket/order-signing";
import { polymarketControl } from "../support/polymarket-control";
import { localSdkEnvironment } from "../support/sdk-environment";

const urls = inject("polymarket");
const pm = polymarketControl(urls.controlUrl);

describe("@polymarket/client inside workerd", () => {
  it("bundles and runs: creates a deposit-wallet client through the relayer and signs a market order; timings printed", async () => {
    const key = generatePrivateKey();
    const owner = privateKeyToAccount(key).address;
    const { apiKey } = await pm.relayerKey(owner);
    const environment = localSdkEnvironment(urls, 50);
    const t0 = Date.now();
    const client = await createSecureClient({ signer: privateKey(key), environment, apiKey: relayerApiKey({ key: apiKey, address: owner }) });
    const setupMs = Date.now() - t0;
    expect(client.account.walletType).toBe(WalletType.DEPOSIT_WALLET);

    const market = (await pm.markets()).find((m) => !m.negRisk && m.version === "v1" && !m.closed)!;
    await pm.setBook(market.tokenIds[0], [["0.48", "500"]], [["0.5", "500"]]);
    // The SDK's order path: GET /tick-size, GET /book (price estimate), GET /neg-risk, then sign.
    const runs: number[] = [];
    let sdkOrder: Awaited<ReturnType<typeof client.createMarketOrder>> | undefined;
    for (let i = 0; i < 5; i++) {
      const s = Date.now();
      sdkOrder = await client.createMarketOrder({ tokenId: market.tokenIds[0], side: OrderSide.BUY, amount: 10 });
      runs.push(Date.now() - s);
    }
    expect(sdkOrder!.signature).toHaveLength(2 + 317 * 2);

    // Ours: amounts from the book we already hold, no round trip. workerd's clock moves only on I/O,
    // so 20 signatures are timed up to the next fetch (one loopback round trip included).
    const s = Date.now();
    let ours: ReturnType<typeof orderPayload> | undefined;
    for (let i = 0; i < 20; i++) {
      const unsigned = buildOrder({
        tokenId: market.tokenIds[0],
        side: "BUY",
        makerAmount: 10_000_000n,
        takerAmount: 20_000_000n,
        signer: client.account.wallet,
        maker: client.account.wallet,
        signatureType: 3,
        salt: newSalt(Math.random(), Date.now()),
        timestamp: Date.now(),
        market: { negRisk: false, version: "v1" },
      });
      ours = orderPayload(await signOrder(unsigned, key), client.credentials.key, "FAK");
    }
    await fetch(`${urls.clobUrl}/ok`);
    const oursMs = (Date.now() - s) / 20;
    expect(ours!.order.signature).toHaveLength(2 + 317 * 2);
    const median = [...runs].sort((a, b) => a - b)[2]!;
    console.log(JSON.stringify({ event: "sdk_workerd_timing", createSecureClientMs: setupMs, sdkCreateMarketOrderMs: runs, sdkMedianMs: median, oursPerOrderMs: oursMs }));
    // Loopback only: in production each of the SDK's three reads is a round trip to the CLOB.
    expect(median).toBeLessThan(2_000);
  });
});
