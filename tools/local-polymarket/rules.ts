// Venue-wide rules of the local Polymarket: the 2026 "new account" rule, deposit-wallet deployment, and the region (geoblock / close-only).
import { z } from "zod";

/** allowed: trade normally · blocked: every order refused with 403 · close-only: no new buys, sells allowed (§6). */
export type RegionMode = "allowed" | "blocked" | "close-only";

export interface VenueRules {
  /** Refuse signature types 0–2 ("maker address not allowed, please use the deposit wallet flow"). Default off. */
  newAccounts: boolean;
  /** The same rule for these owner EOAs only (lowercase): accounts created after 2026-05-04 beside older ones on one venue. */
  newAccountOwners: string[];
  /** Refuse type-3 orders of a wallet the factory has not deployed ("the order signer address has to be the address of the API KEY"). Default on. */
  requireDeployedWallet: boolean;
  region: { mode: RegionMode; country: string; region: string; ip: string };
}

export const rulesPatchSchema = z.object({
  newAccounts: z.boolean().optional(),
  /** Adds one owner EOA to newAccountOwners (added, never replaced: tests sharing the venue do not undo each other). */
  addNewAccountOwner: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional(),
  requireDeployedWallet: z.boolean().optional(),
  region: z
    .object({
      mode: z.enum(["allowed", "blocked", "close-only"]),
      country: z.string().regex(/^[A-Z]{2}$/).optional(),
      region: z.string().max(16).optional(),
    })
    .optional(),
});
export type RulesPatch = z.infer<typeof rulesPatchSchema>;

/** Country shown by /api/geoblock for each mode when none is given: US is blocked, PL is close-only (DOCS-GEO). */
const DEFAULT_COUNTRY: Record<RegionMode, string> = { allowed: "IE", blocked: "US", "close-only": "PL" };

export function defaultRules(newAccounts = false): VenueRules {
  return { newAccounts, newAccountOwners: [], requireDeployedWallet: true, region: { mode: "allowed", country: DEFAULT_COUNTRY.allowed, region: "", ip: "127.0.0.1" } };
}

export function applyRules(rules: VenueRules, patch: RulesPatch): VenueRules {
  if (patch.newAccounts !== undefined) rules.newAccounts = patch.newAccounts;
  const owner = patch.addNewAccountOwner?.toLowerCase();
  if (owner && !rules.newAccountOwners.includes(owner)) rules.newAccountOwners.push(owner);
  if (patch.requireDeployedWallet !== undefined) rules.requireDeployedWallet = patch.requireDeployedWallet;
  if (patch.region) {
    const { mode } = patch.region;
    rules.region = { mode, country: patch.region.country ?? DEFAULT_COUNTRY[mode], region: patch.region.region ?? "", ip: rules.region.ip };
  }
  return rules;
}

/** The CLOB's 403 from a blocked region, checked before authentication (§6). */
export const REGION_BLOCKED = "Trading restricted in your region, please refer to available regions - https://docs.polymarket.com/developers/CLOB/geoblock";

/** The close-only refusal: the closest documented text (POLYDOCS error-codes); the live one is undocumented. */
export const closedOnlyError = (address: string): string => `'${address}' address in closed only mode`;

/** GET /api/geoblock (polymarket.com): what the venue thinks of the caller's location. */
export function geoblockJson(rules: VenueRules): Record<string, unknown> {
  const r = rules.region;
  return { blocked: r.mode === "blocked", ip: r.ip, country: r.country, region: r.region };
}
