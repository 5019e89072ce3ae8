// Values the global test setup provides to tests (vitest `inject`).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: string;
    pgProxy: string;
    /** POST {pgProxyControl}/outage?ms=N makes the database unreachable for N ms. */
    pgProxyControl: string;
    /** Base URL of the stand-in Telegram Bot API (TELEGRAM_API_ROOT for the Worker under test). */
    botApiUrl: string;
    /** The local Polymarket shared by the run (quiet scenario: prices move only when a test says so). */
    /** Builder API credentials of the local relayer (POLY_BUILDER_API_KEY, _SECRET, _PASSPHRASE). */
    builderCreds: { key: string; secret: string; passphrase: string };
    polymarket: { httpUrl: string; gammaUrl: string; clobUrl: string; wsUrl: string; controlUrl: string; relayerUrl: string; rpcUrl: string; dataUrl: string; geoblockUrl: string };
  }
}
