// Values the global test setup provides to tests (vitest `inject`).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: string;
    pgProxy: string;
    /** Base URL of the stand-in Telegram Bot API (TELEGRAM_API_ROOT for the Worker under test). */
    botApiUrl: string;
  }
}
