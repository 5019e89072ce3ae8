// Values the global test setup provides to tests (vitest `inject`).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: string;
    pgProxy: string;
  }
}
