// Test support: the official clob-client-v2 against a local Polymarket, with a throwaway local wallet.
import { ClobClient, type ApiKeyCreds, type SignatureTypeV2 } from "@polymarket/clob-client-v2";
import { createWalletClient, http, type WalletClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { polygon } from "viem/chains";

export function testWallet(): WalletClient {
  // The transport is never used: signing with a local account happens in process.
  return createWalletClient({ account: privateKeyToAccount(generatePrivateKey()), chain: polygon, transport: http("http://127.0.0.1:9") });
}

/** An authenticated official client (API key created or derived for the wallet's EOA). */
export async function officialClient(clobUrl: string, w = testWallet(), opts: { signatureType?: SignatureTypeV2; funder?: string } = {}): Promise<{ c: ClobClient; creds: ApiKeyCreds; w: WalletClient }> {
  const anon = new ClobClient({ host: clobUrl, chain: 137, signer: w, signatureType: opts.signatureType, funderAddress: opts.funder });
  const creds = await anon.createOrDeriveApiKey();
  if (!/^[0-9a-f-]{36}$/.test(creds.key)) throw new Error(`unexpected API key ${creds.key}`);
  return { c: new ClobClient({ host: clobUrl, chain: 137, signer: w, creds, signatureType: opts.signatureType, funderAddress: opts.funder, throwOnError: false }), creds, w };
}
