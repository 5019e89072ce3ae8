// Why a deposit-wallet (POLY_1271) order signature did not verify: the venue only says "invalid signature"; the
// order record says which wrapping arrived instead of the ERC-7739 one (polymarket-2026-accounts.md §2.3, §2.4).
import { domainSeparator, getAddress, hashStruct, isAddressEqual, recoverTypedDataAddress, type Hex, type TypedDataDomain } from "viem";
import { EXCHANGES, ORDER_FIELDS, ORDER_TYPE_STRING, orderMessage, unwrap1271, type WireOrder } from "./order-verify";
import type { DepositWallets } from "./wallets";

const ORDER_TYPES = { Order: ORDER_FIELDS } as const;
const EXPECTED = "inner(65) ‖ exchange domain separator(32) ‖ Order struct hash(32) ‖ Order type string ‖ uint16 length: 317 bytes";

function otherDomains(chainId: number): Array<{ label: string; domain: TypedDataDomain }> {
  const v2 = (verifyingContract: string) => ({ name: "Polymarket CTF Exchange", version: "2", chainId, verifyingContract: verifyingContract as Hex });
  return [
    { label: "CTF Exchange V2", domain: v2(EXCHANGES.ctfExchangeV2) },
    { label: "NegRisk CTF Exchange V2", domain: v2(EXCHANGES.negRiskExchangeV2) },
    { label: "ExchangeV3", domain: { name: "Polymarket CTF Exchange", version: "3", chainId, verifyingContract: EXCHANGES.exchangeV3 } },
  ];
}

/** A sentence for the order record; called only after a type-3 signature failed to verify. */
export async function diagnose1271(o: WireOrder, domain: TypedDataDomain, wallets: DepositWallets): Promise<string> {
  const owner = wallets.ownerOf(o.signer);
  if (!owner) return `no deposit wallet is known at ${o.signer}: deploy it through the relayer (or register it) first`;
  const bytes = (o.signature.length - 2) / 2;
  const msg = orderMessage(o);
  if (bytes === 65) {
    const plain = await recoverTypedDataAddress({ domain, types: ORDER_TYPES, primaryType: "Order", message: msg, signature: o.signature as Hex }).catch(() => undefined);
    if (plain && isAddressEqual(plain, getAddress(owner))) return "a plain EIP-712 Order signature by the owner: signature type 3 needs the ERC-7739 TypedDataSign wrapping";
    const swapped = { name: "DepositWallet", version: "1", chainId: domain.chainId, verifyingContract: getAddress(o.signer) };
    const sw = await recoverTypedDataAddress({ domain: swapped, types: ORDER_TYPES, primaryType: "Order", message: msg, signature: o.signature as Hex }).catch(() => undefined);
    if (sw && isAddressEqual(sw, getAddress(owner))) return "the Order signed in the DepositWallet domain (domains swapped): the exchange domain must be outer, the wallet fields go in TypedDataSign";
    return `a 65-byte signature not by the wallet's owner ${owner}`;
  }
  const parts = unwrap1271(o.signature);
  if (!parts) return `not an ERC-7739 envelope (${bytes} bytes); expected ${EXPECTED}`;
  if (parts.contentsType !== ORDER_TYPE_STRING) return `the envelope's contents type is "${parts.contentsType.slice(0, 80)}", not the V2 Order type`;
  if (parts.appDomain.toLowerCase() !== domainSeparator({ domain }).toLowerCase()) {
    const hit = otherDomains(Number(domain.chainId)).find((d) => domainSeparator({ domain: d.domain }).toLowerCase() === parts.appDomain.toLowerCase());
    return hit ? `wrapped for the ${hit.label} domain; this market settles on ${String(domain.verifyingContract)} (version ${String(domain.version)})` : "the envelope's app domain separator is not this market's exchange domain";
  }
  if (parts.contents.toLowerCase() !== hashStruct({ types: ORDER_TYPES, primaryType: "Order", data: msg }).toLowerCase()) {
    return "the envelope's contents hash does not match the posted order (a field changed after signing?)";
  }
  return `the TypedDataSign envelope was not signed by the wallet's owner ${owner}`;
}
