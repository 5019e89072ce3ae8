// Where Polymarket thinks the caller is: GET https://polymarket.com/api/geoblock (polymarket-2026-accounts.md §6).
// Blocked regions get 403 on every order; close-only ones (PL, SG, TH, TW) may only close positions.
import { z } from "zod";
import { PolymarketHttp, type HttpOptions } from "./http";

export const GEOBLOCK_URL = "https://polymarket.com/api/geoblock";

/** Countries where the venue allows closing positions only (DOCS-GEO, latest copy). */
export const CLOSE_ONLY_COUNTRIES: ReadonlySet<string> = new Set(["PL", "SG", "TH", "TW"]);

const geoblockSchema = z.object({ blocked: z.boolean(), ip: z.string().nullish(), country: z.string().nullish(), region: z.string().nullish() });

export interface GeoStatus {
  /** "blocked": no orders at all; "close-only": sells and cancels only; "allowed": trade. */
  mode: "allowed" | "blocked" | "close-only";
  country: string | null;
  region: string | null;
}

/** The venue's verdict for this Worker's egress IP. The product never tries to get around it. */
export async function fetchGeoStatus(opts: Omit<HttpOptions, "baseUrl"> & { url?: string }): Promise<GeoStatus> {
  const url = new URL(opts.url ?? GEOBLOCK_URL);
  const http = new PolymarketHttp({ ...opts, baseUrl: url.origin });
  const g = await http.request({ method: "GET", path: url.pathname, schema: geoblockSchema });
  const country = g.country ? g.country.toUpperCase() : null;
  const mode = g.blocked ? "blocked" : country && CLOSE_ONLY_COUNTRIES.has(country) ? "close-only" : "allowed";
  return { mode, country, region: g.region || null };
}
