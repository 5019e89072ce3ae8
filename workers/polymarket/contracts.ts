// Polymarket contract addresses and the EIP-712 exchange domain an order is signed against.
// Addresses: @polymarket/clob-client-v2 config.ts and polymarket.md §5; domain choice: its createOrder.
import type { Address } from "viem";

export const POLYGON_CHAIN_ID = 137;
/** Polygon's Amoy testnet: only used by the official test vectors. */
export const AMOY_CHAIN_ID = 80002;

export interface ContractAddresses {
  /** pUSD, the collateral since CLOB V2 (ERC-20, 6 decimals). */
  collateral: Address;
  /** Conditional Tokens (ERC-1155 outcome shares of v1 markets). */
  conditionalTokens: Address;
  /** CTF Exchange V2: signs orders of normal v1 markets. */
  exchangeV2: Address;
  /** Neg Risk CTF Exchange V2: signs orders of neg-risk v1 markets. */
  negRiskExchangeV2: Address;
  /** ExchangeV3: signs orders of Protocol V2 ("v2") markets, neg-risk or not. */
  exchangeV3: Address;
  /** Listed as deprecated but still needs pUSD/CTF approval for neg-risk trading (polymarket.md §5). */
  negRiskAdapter: Address;
}

const POLYGON: ContractAddresses = {
  collateral: "0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB",
  conditionalTokens: "0x4D97DCd97eC945f40cF65F87097ACe5EA0476045",
  exchangeV2: "0xE111180000d2663C0091e4f400237545B87B996B",
  negRiskExchangeV2: "0xe2222d279d744050d28e00520010520000310F59",
  exchangeV3: "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa",
  negRiskAdapter: "0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296",
};

const AMOY: ContractAddresses = {
  collateral: "0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB",
  conditionalTokens: "0x69308FB512518e39F9b16112fA8d994F4e2Bf8bB",
  exchangeV2: "0xE111180000d2663C0091e4f400237545B87B996B",
  negRiskExchangeV2: "0xe2222d279d744050d28e00520010520000310F59",
  exchangeV3: "0x9fE6e61422AdB6F610d8597F9684b16912D50C3D",
  negRiskAdapter: "0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296",
};

export function contractsFor(chainId: number = POLYGON_CHAIN_ID): ContractAddresses {
  if (chainId === POLYGON_CHAIN_ID) return POLYGON;
  if (chainId === AMOY_CHAIN_ID) return AMOY;
  throw new RangeError(`unsupported chainId ${chainId}: only Polygon (137) and Amoy (80002)`);
}

/** Gamma's market `version`: "v1" = CTF markets (clobTokenIds), "v2" = Protocol V2 position tokens. */
export type MarketVersion = "v1" | "v2";

/** What decides where an order is signed: from Gamma `negRisk` and `version` (or CLOB /neg-risk). */
export interface MarketRef {
  negRisk: boolean;
  version: MarketVersion;
}

export const EXCHANGE_DOMAIN_NAME = "Polymarket CTF Exchange";

export interface ExchangeDomain {
  name: typeof EXCHANGE_DOMAIN_NAME;
  /** "2" for CTF Exchange V2 (v1 markets), "3" for ExchangeV3 (v2 markets). */
  version: "2" | "3";
  chainId: number;
  verifyingContract: Address;
}

/**
 * The official client's order "version" 2 (v1 markets) signs against the V2 exchanges with domain
 * version "2"; its version 3 (v2 markets) signs against ExchangeV3 with "3", ignoring negRisk.
 * A wrong exchange makes the venue answer `invalid signature` (py-clob-client#79).
 */
export function exchangeDomain(market: MarketRef, chainId: number = POLYGON_CHAIN_ID): ExchangeDomain {
  const contracts = contractsFor(chainId);
  if (market.version === "v2") {
    return { name: EXCHANGE_DOMAIN_NAME, version: "3", chainId, verifyingContract: contracts.exchangeV3 };
  }
  if (market.version !== "v1") throw new RangeError(`unknown market version ${String(market.version)}`);
  const verifyingContract = market.negRisk ? contracts.negRiskExchangeV2 : contracts.exchangeV2;
  return { name: EXCHANGE_DOMAIN_NAME, version: "2", chainId, verifyingContract };
}
