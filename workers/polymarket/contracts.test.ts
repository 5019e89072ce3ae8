// Contract addresses against the official client's config, and the exchange domain per market kind.
import { getContractConfig } from "@polymarket/clob-client-v2";
import { describe, expect, it } from "vitest";
import { AMOY_CHAIN_ID, POLYGON_CHAIN_ID, contractsFor, exchangeDomain, type MarketRef } from "./contracts";

describe("contractsFor", () => {
  it.each([POLYGON_CHAIN_ID, AMOY_CHAIN_ID])("matches the official config for chain %d", (chainId) => {
    const official = getContractConfig(chainId);
    const ours = contractsFor(chainId);
    expect(ours).toEqual({
      collateral: official.collateral,
      conditionalTokens: official.conditionalTokens,
      exchangeV2: official.exchangeV2,
      negRiskExchangeV2: official.negRiskExchangeV2,
      exchangeV3: official.exchangeV3,
      negRiskAdapter: official.negRiskAdapter,
    });
  });

  it("matches the Polygon addresses in polymarket.md §5", () => {
    expect(contractsFor()).toEqual({
      collateral: "0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB",
      conditionalTokens: "0x4D97DCd97eC945f40cF65F87097ACe5EA0476045",
      exchangeV2: "0xE111180000d2663C0091e4f400237545B87B996B",
      negRiskExchangeV2: "0xe2222d279d744050d28e00520010520000310F59",
      exchangeV3: "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa",
      negRiskAdapter: "0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296",
    });
  });

  it.each([1, 0, 80001, Number.NaN])("rejects chain %d", (chainId) => {
    expect(() => contractsFor(chainId)).toThrow(RangeError);
  });
});

describe("exchangeDomain", () => {
  const table: [MarketRef, "2" | "3", string][] = [
    [{ negRisk: false, version: "v1" }, "2", "0xE111180000d2663C0091e4f400237545B87B996B"],
    [{ negRisk: true, version: "v1" }, "2", "0xe2222d279d744050d28e00520010520000310F59"],
    [{ negRisk: false, version: "v2" }, "3", "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa"],
    [{ negRisk: true, version: "v2" }, "3", "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa"],
  ];
  it.each(table)("%o signs with domain version %s at %s", (market, version, exchange) => {
    expect(exchangeDomain(market)).toEqual({
      name: "Polymarket CTF Exchange",
      version,
      chainId: 137,
      verifyingContract: exchange,
    });
  });

  it("uses the Amoy ExchangeV3 on Amoy", () => {
    expect(exchangeDomain({ negRisk: false, version: "v2" }, AMOY_CHAIN_ID).verifyingContract).toBe(
      getContractConfig(AMOY_CHAIN_ID).exchangeV3,
    );
  });

  it("rejects an unknown market version", () => {
    expect(() => exchangeDomain({ negRisk: false, version: "v3" as never })).toThrow(/unknown market version/);
  });
});
