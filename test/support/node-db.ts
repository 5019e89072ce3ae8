// Opens the test database from Node tests through the same Neon driver path the Worker uses.
import { inject } from "vitest";
import { createDb, type DbHandle } from "../../workers/db/client";

export function openTestDb(): DbHandle {
  return createDb({ DATABASE_URL: inject("databaseUrl"), NEON_WS_PROXY: inject("pgProxy") }, { max: 8 });
}
