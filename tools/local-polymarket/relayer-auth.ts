// Who may submit relayer transactions (polymarket-2026-accounts.md §1.4): a Relayer API key bound to one owner
// EOA (RELAYER_API_KEY + RELAYER_API_KEY_ADDRESS), or a Builder API key (POLY_BUILDER_* headers, CLOB L2 HMAC scheme).
import { createHmac, timingSafeEqual } from "node:crypto";
import { getAddress, isAddress } from "viem";
import { l2Signature } from "./auth";
import { fail, header, type Answer, type Req } from "./http-util";

export interface BuilderCreds {
  key: string;
  secret: string;
  passphrase: string;
}

/** An authenticated submitter: `owner` is set for a Relayer API key (its `from` must be that owner), absent for a builder. */
export interface Submitter {
  owner?: string;
}

const INVALID = "invalid authorization";

const uuid = (h: string, v: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${v}${h.slice(13, 16)}-9${h.slice(17, 20)}-${h.slice(20, 32)}`;

export class RelayerAuth {
  private readonly builders = new Map<string, BuilderCreds>();

  constructor(private readonly opts: { serverSecret: string; now: () => number; windowSeconds: number }) {}

  private mac(label: string): Buffer {
    return createHmac("sha256", this.opts.serverSecret).update(label).digest();
  }

  /** The relayer API key of an owner EOA (stable per address, as a UI-minted key would be). */
  apiKey(owner: string): string {
    return uuid(this.mac(`relayer:${owner.toLowerCase()}`).toString("hex"), "4");
  }

  /** Builder API credentials (stable per label); the key is usable at once. */
  builderKey(label = "default"): BuilderCreds {
    const creds = { key: uuid(this.mac(`builder-key:${label}`).toString("hex"), "4"), secret: `${this.mac(`builder-secret:${label}`).toString("base64url")}=`, passphrase: this.mac(`builder-pass:${label}`).toString("hex") };
    this.builders.set(creds.key, creds);
    return creds;
  }

  check(req: Req): Submitter | Answer {
    const builderKey = header(req, "POLY_BUILDER_API_KEY");
    if (builderKey !== undefined) {
      const b = this.builders.get(builderKey);
      const ts = header(req, "POLY_BUILDER_TIMESTAMP") ?? "";
      const sig = header(req, "POLY_BUILDER_SIGNATURE") ?? "";
      const fresh = /^\d{1,12}$/.test(ts) && Math.abs(Math.floor(this.opts.now() / 1000) - Number(ts)) <= this.opts.windowSeconds;
      if (!b || header(req, "POLY_BUILDER_PASSPHRASE") !== b.passphrase || !fresh) return fail(401, INVALID);
      const want = Buffer.from(l2Signature(b.secret, ts, req.method, req.path, req.body));
      const got = Buffer.from(sig);
      return want.length === got.length && timingSafeEqual(want, got) ? {} : fail(401, INVALID);
    }
    const key = header(req, "RELAYER_API_KEY") ?? "";
    const owner = header(req, "RELAYER_API_KEY_ADDRESS") ?? "";
    if (!isAddress(owner, { strict: false }) || key !== this.apiKey(owner)) return fail(401, INVALID);
    return { owner: getAddress(owner) };
  }

  clear(): void {
    this.builders.clear();
  }
}
