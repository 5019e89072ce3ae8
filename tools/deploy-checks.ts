// The checks `npm run deploy` prints as its checklist (issue #24): each answers ok, failed (deploy
// refuses) or skipped (cannot be checked here, with why). Pure where possible; the IO ones take
// what they need. Secrets are never printed, only their names and lengths.

export type CheckStatus = "ok" | "failed" | "skipped";
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
}

const MARK: Record<CheckStatus, string> = { ok: "✓", failed: "✗", skipped: "–" };
export const formatCheck = (c: Check): string => `  ${MARK[c.status]} ${c.name.padEnd(18)} ${c.detail}`;

/** Secrets checked for strength when the deploy's environment carries them (the Worker refuses weaker ones too). */
export const STRONG_SECRETS = ["TELEGRAM_WEBHOOK_SECRET", "ADMIN_TOKEN", "ADMIN_WEBHOOK_TOKEN"] as const;
// One minimum for the Worker and the checklist: the Worker refuses shorter secrets at start.
export { MIN_SECRET_LENGTH } from "../workers/env";
import { MIN_SECRET_LENGTH } from "../workers/env";

export type UrlKind = "neon-pooled" | "neon-direct" | "postgres";

/** What kind of database URL this is, and where migrations go: Neon's direct host when given the pooler. */
export function databaseUrlCheck(raw: string | undefined): Check & { kind?: UrlKind; migrationUrl?: string } {
  const name = "database URL";
  if (!raw) return { name, status: "failed", detail: "DATABASE_URL is missing: the Neon connection string the Worker uses" };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { name, status: "failed", detail: "DATABASE_URL is not a URL" };
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") return { name, status: "failed", detail: "DATABASE_URL must be a postgres:// or postgresql:// URL" };
  const neon = u.hostname.endsWith(".neon.tech");
  if (!neon) return { name, status: "ok", detail: `Postgres at ${u.hostname} (not Neon)`, kind: "postgres", migrationUrl: raw };
  const ssl = u.searchParams.get("sslmode");
  if (ssl !== "require" && ssl !== "verify-full") return { name, status: "failed", detail: "a Neon URL needs ?sslmode=require (copy the connection string as Neon shows it)" };
  const [endpoint, ...rest] = u.hostname.split(".");
  if (endpoint!.endsWith("-pooler")) {
    const direct = new URL(raw);
    direct.hostname = [endpoint!.slice(0, -"-pooler".length), ...rest].join(".");
    return {
      name,
      status: "ok",
      detail: `Neon pooled (${u.hostname}, PgBouncer in transaction mode): supported, the role switch is per transaction; migrations go to the direct host ${direct.hostname}`,
      kind: "neon-pooled",
      migrationUrl: direct.toString(),
    };
  }
  return { name, status: "ok", detail: `Neon direct (${u.hostname}); the pooled host (-pooler) also works and takes more connections`, kind: "neon-direct", migrationUrl: raw };
}

/** Strength of the secrets the environment carries; those it does not carry are named as not checked here. */
export function secretStrengthCheck(env: Record<string, string | undefined>): Check {
  const name = "secrets strong";
  const weak: string[] = [];
  const checked: string[] = [];
  for (const s of STRONG_SECRETS) {
    const v = env[s];
    if (v === undefined || v === "") continue;
    checked.push(s);
    if (v.length < MIN_SECRET_LENGTH) weak.push(`${s} has ${v.length} characters`);
  }
  const key = env.WALLET_ENCRYPTION_KEY;
  if (key) {
    checked.push("WALLET_ENCRYPTION_KEY");
    let bytes = -1;
    try {
      bytes = atob(key.trim()).length;
    } catch {
      /* not base64 */
    }
    if (bytes !== 32) weak.push("WALLET_ENCRYPTION_KEY is not base64 of 32 bytes");
  }
  const unchecked = [...STRONG_SECRETS, "WALLET_ENCRYPTION_KEY"].filter((s) => !checked.includes(s));
  if (weak.length) return { name, status: "failed", detail: `${weak.join("; ")} (at least ${MIN_SECRET_LENGTH}: openssl rand -hex 32)` };
  if (!checked.length) return { name, status: "skipped", detail: `none in this environment (pass ${unchecked.join(", ")} to check them)` };
  const tokens = checked.filter((c) => c !== "WALLET_ENCRYPTION_KEY");
  const parts = [...(tokens.length ? [`${tokens.join(", ")} at least ${MIN_SECRET_LENGTH} characters`] : []), ...(key ? ["WALLET_ENCRYPTION_KEY 32 bytes"] : [])];
  return { name, status: "ok", detail: `${parts.join("; ")}${unchecked.length ? `; not in this environment, not checked: ${unchecked.join(", ")}` : ""}` };
}

/** The Worker's public URL, which the webhook is pinned to. */
export function workerUrlCheck(raw: string | undefined, required: boolean): Check & { url?: string } {
  const name = "worker URL";
  if (!raw) return { name, status: required ? "failed" : "skipped", detail: "WORKER_URL is not set (the https URL the webhook is pinned to, e.g. https://polycool.<you>.workers.dev)" };
  try {
    const u = new URL(raw);
    if (u.protocol !== "https:") return { name, status: "failed", detail: "WORKER_URL must be https (Telegram only calls https webhooks)" };
    const url = u.origin;
    return { name, status: "ok", detail: `${url} (webhook: ${url}/telegram/webhook)`, url };
  } catch {
    return { name, status: "failed", detail: "WORKER_URL is not a URL" };
  }
}

/** `[placement]` and STREAMER_LOCATION_HINT as wrangler.toml sets them (a small reader: sections and `key = "value"`). */
export function placementCheck(wranglerToml: string): Check {
  const section = (title: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const start = wranglerToml.search(new RegExp(`^\\[${title.replace(".", "\\.")}\\]\\s*$`, "m"));
    if (start < 0) return out;
    for (const line of wranglerToml.slice(start).split("\n").slice(1)) {
      if (/^\s*\[/.test(line)) break;
      const m = /^\s*([\w.]+)\s*=\s*"([^"]*)"/.exec(line);
      if (m) out[m[1]!] = m[2]!;
    }
    return out;
  };
  const placement = section("placement");
  const hint = section("vars").STREAMER_LOCATION_HINT;
  const where = placement.region ?? placement.host ?? placement.hostname ?? (placement.mode === "smart" ? `smart${placement.hint ? ` (hint ${placement.hint})` : ""}` : undefined);
  const detail = `Worker ${where ? `placed at ${where}` : "not placed (runs where requests arrive)"}; streamer ${hint ? `location hint ${hint}` : "no location hint"}`;
  return { name: "placement", status: where && hint ? "ok" : "skipped", detail: where && hint ? detail : `${detail}: set [placement] and STREAMER_LOCATION_HINT in wrangler.toml to pin them` };
}
