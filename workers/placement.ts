// Where the product runs, as Polymarket sees it (issue #24): the streamer's location hint, the
// Worker's data centre, and what Polymarket's geoblock endpoint says about this egress — trading
// allowed, close-only, or blocked. Reported, never worked around: a blocked region is the
// operator's to fix by placing the Worker and the streamer elsewhere (wrangler.toml [placement],
// STREAMER_LOCATION_HINT). For /healthz (the lead's route calls placementInfo) and the start log.
import { z } from "zod";
import type { Settings } from "./env";
import { errorText, log } from "./lib/log";

/**
 * Countries where Polymarket lets accounts only close positions (polymarket-2026-accounts.md §6,
 * DOCS-GEO). The geoblock endpoint itself says only blocked or not.
 */
export const CLOSE_ONLY_COUNTRIES = ["PL", "SG", "TH", "TW"] as const;
/** One geoblock lookup per isolate this often: /healthz is public and must not fan out to Polymarket. */
export const PLACEMENT_CACHE_MS = 10 * 60_000;
/** A failed lookup is retried sooner. */
const FAILED_CACHE_MS = 60_000;
const GEOBLOCK_TIMEOUT_MS = 3_000;

const geoblockSchema = z.object({
  blocked: z.boolean(),
  country: z.string().optional(),
  region: z.string().optional(),
});

export type TradingAccess = "allowed" | "close_only" | "blocked" | "unknown";

export interface PlacementInfo {
  /** Cloudflare data centre of the request that asked (IATA code), when known. */
  colo: string | null;
  /** STREAMER_LOCATION_HINT: where the streamer object was asked to live (applies when it is first created). */
  streamerLocationHint: string | null;
  /** What Polymarket's geoblock endpoint said about this Worker's egress (no IP: /healthz is public). */
  polymarket: { access: TradingAccess; country: string | null; region: string | null; checkedAt: string; error?: string };
}

/** Pure: the access the geoblock answer means. */
export function accessOf(answer: z.infer<typeof geoblockSchema>): TradingAccess {
  if (answer.blocked) return "blocked";
  return (CLOSE_ONLY_COUNTRIES as readonly string[]).includes((answer.country ?? "").toUpperCase()) ? "close_only" : "allowed";
}

type Lookup = { at: number; ttl: number; value: PlacementInfo["polymarket"] };
let cached: Lookup | undefined;
let inflight: Promise<Lookup> | undefined;

async function lookUp(url: string, fetchFn: typeof fetch, now: number): Promise<Lookup> {
  const checkedAt = new Date(now).toISOString();
  try {
    const res = await fetchFn(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(GEOBLOCK_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`geoblock answered HTTP ${res.status}`);
    const parsed = geoblockSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new Error("geoblock answered something other than {blocked, country, region}");
    const answer = parsed.data;
    const value = { access: accessOf(answer), country: answer.country ?? null, region: answer.region ?? null, checkedAt };
    return { at: now, ttl: PLACEMENT_CACHE_MS, value };
  } catch (err) {
    return { at: now, ttl: FAILED_CACHE_MS, value: { access: "unknown", country: null, region: null, checkedAt, error: errorText(err) } };
  }
}

export interface PlacementDeps {
  fetch?: typeof fetch;
  now?: () => number;
  /** The incoming request's `cf` object, when there is one. */
  cf?: { colo?: unknown } | undefined;
}

/** Where this runs and whether Polymarket lets it trade; at most one geoblock lookup per isolate per PLACEMENT_CACHE_MS. */
export async function placementInfo(settings: Pick<Settings, "POLYMARKET_GEOBLOCK_URL" | "STREAMER_LOCATION_HINT">, deps: PlacementDeps = {}): Promise<PlacementInfo> {
  const now = (deps.now ?? Date.now)();
  if (!cached || now - cached.at >= cached.ttl) {
    inflight ??= lookUp(settings.POLYMARKET_GEOBLOCK_URL, deps.fetch ?? fetch, now).finally(() => (inflight = undefined));
    const fresh = await inflight;
    if (!cached || cached.value.access !== fresh.value.access) logPlacement(fresh.value, settings.STREAMER_LOCATION_HINT);
    cached = fresh;
  }
  return {
    colo: typeof deps.cf?.colo === "string" ? deps.cf.colo : null,
    streamerLocationHint: settings.STREAMER_LOCATION_HINT ?? null,
    polymarket: cached.value,
  };
}

function logPlacement(p: PlacementInfo["polymarket"], hint: string | undefined): void {
  const fields = { access: p.access, country: p.country, region: p.region, streamerLocationHint: hint ?? null, ...(p.error ? { error: p.error } : {}) };
  if (p.access === "allowed") log.info("placement", fields);
  else log.warn("placement", fields); // blocked, close-only or unknown: the operator must look
}

/** Tests: forget the cached lookup. */
export function resetPlacementCache(): void {
  cached = undefined;
}
