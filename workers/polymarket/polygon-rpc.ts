// Polygon JSON-RPC reads (POLYGON_RPC_URL): the chain is the truth where Polymarket's services may lag,
// e.g. the relayer's "deployed?" answer, which has false negatives (polymarket-2026-accounts.md §10.4).
import { z } from "zod";
import { DEFAULT_TIMEOUT_MS, type FetchLike } from "./http";

const answer = z.object({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.number(), z.string()]),
  result: z.string().regex(/^0x[0-9a-fA-F]*$/).optional(),
  error: z.object({ code: z.number(), message: z.string() }).optional(),
});

export interface PolygonRpcOptions {
  /** The endpoint itself (posted to as given: providers put keys in the path). */
  url: string;
  fetch?: FetchLike | undefined;
  timeoutMs?: number | undefined;
}

export class PolygonRpc {
  private readonly fetchFn: FetchLike;
  private nextId = 1;

  constructor(private readonly opts: PolygonRpcOptions) {
    this.fetchFn = opts.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  }

  private async call(method: string, params: unknown[]): Promise<string> {
    const id = this.nextId++;
    const res = await this.fetchFn(this.opts.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status}`);
    const r = answer.parse(await res.json());
    if (r.error || r.result === undefined) throw new Error(`${method}: ${r.error?.message ?? "no result"}`);
    return r.result;
  }

  /** Whether a contract is deployed at `address` (eth_getCode at the latest block is not empty). */
  async hasCode(address: string): Promise<boolean> {
    if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new RangeError("not an address");
    return (await this.call("eth_getCode", [address, "latest"])) !== "0x";
  }
}
