// The streamer's durable state in its SQLite storage: subscription intent, token→market mapping
// and armed triggers. Everything in memory is rebuilt from here after eviction or a deploy.
import type { ArmedTrigger, TriggerKind } from "../workers/triggers/types";
import type { TokenMeta } from "./token-meta";

type Row = Record<string, SqlStorageValue>;

export class StreamerSqlite {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS wants (token TEXT NOT NULL, ref TEXT NOT NULL, PRIMARY KEY (token, ref))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS token_meta (token TEXT PRIMARY KEY, market_id TEXT NOT NULL, outcome_index INTEGER NOT NULL, market_tokens TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS triggers (id INTEGER PRIMARY KEY, position_id INTEGER NOT NULL, token TEXT NOT NULL, kind TEXT NOT NULL, level INTEGER, trail INTEGER, high_water INTEGER, user_id INTEGER, on_failure TEXT)`);
    // Added with #17 (a stop's any-price choice and a failed fire's backoff); objects created before get the columns here.
    for (const column of ["any_price INTEGER", "attempts INTEGER", "retry_at INTEGER"]) {
      try {
        sql.exec(`ALTER TABLE triggers ADD COLUMN ${column}`);
      } catch {
        // already there
      }
    }
    sql.exec(`CREATE TABLE IF NOT EXISTS starts (at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL)`);
  }

  /** Notes that this object (re)started at `at`: how many starts it has had in all, and the latest `keep` times (newest first). */
  recordStart(at: number, keep = 20): { count: number; recent: number[] } {
    this.sql.exec("INSERT INTO counters (name, n) VALUES ('starts', 1) ON CONFLICT (name) DO UPDATE SET n = n + 1");
    this.sql.exec("INSERT INTO starts (at) VALUES (?)", at);
    this.sql.exec("DELETE FROM starts WHERE rowid NOT IN (SELECT rowid FROM starts ORDER BY at DESC, rowid DESC LIMIT ?)", keep);
    const count = Number([...this.sql.exec<Row>("SELECT n FROM counters WHERE name = 'starts'")][0]?.n ?? 1);
    const recent = [...this.sql.exec<Row>("SELECT at FROM starts ORDER BY at DESC, rowid DESC")].map((r) => Number(r.at));
    return { count, recent };
  }

  loadWants(): Array<[string, string]> {
    return [...this.sql.exec<Row>("SELECT token, ref FROM wants")].map((r) => [String(r.token), String(r.ref)]);
  }

  addWants(tokens: readonly string[], ref: string): void {
    for (const t of tokens) this.sql.exec("INSERT OR IGNORE INTO wants (token, ref) VALUES (?, ?)", t, ref);
  }

  removeWants(tokens: readonly string[], ref: string): void {
    for (const t of tokens) this.sql.exec("DELETE FROM wants WHERE token = ? AND ref = ?", t, ref);
  }

  /** Every token `ref` held (a position closed). */
  removeRef(ref: string): void {
    this.sql.exec("DELETE FROM wants WHERE ref = ?", ref);
  }

  replaceWants(entries: ReadonlyArray<[string, string]>): void {
    this.sql.exec("DELETE FROM wants");
    for (const [t, r] of entries) this.sql.exec("INSERT OR IGNORE INTO wants (token, ref) VALUES (?, ?)", t, r);
  }

  loadMeta(): TokenMeta[] {
    return [...this.sql.exec<Row>("SELECT token, market_id, outcome_index, market_tokens FROM token_meta")].map((r) => ({
      tokenId: String(r.token),
      marketId: String(r.market_id),
      outcomeIndex: Number(r.outcome_index),
      marketTokens: JSON.parse(String(r.market_tokens)) as string[],
    }));
  }

  saveMeta(metas: readonly TokenMeta[]): void {
    for (const m of metas) {
      this.sql.exec(
        "INSERT OR REPLACE INTO token_meta (token, market_id, outcome_index, market_tokens) VALUES (?, ?, ?, ?)",
        m.tokenId,
        m.marketId,
        m.outcomeIndex,
        JSON.stringify(m.marketTokens),
      );
    }
  }

  /** Rows written before user_id was kept are skipped: the next reconcile brings them back from Postgres. */
  loadTriggers(): ArmedTrigger[] {
    const rows = [...this.sql.exec<Row>("SELECT id, position_id, token, kind, level, trail, high_water, user_id, on_failure, any_price, attempts, retry_at FROM triggers WHERE user_id IS NOT NULL")];
    return rows.map((r) => ({
      id: Number(r.id),
      positionId: Number(r.position_id),
      userId: Number(r.user_id),
      tokenId: String(r.token),
      kind: String(r.kind) as TriggerKind,
      ...(r.level !== null ? { level: Number(r.level) } : {}),
      ...(r.trail !== null ? { trail: Number(r.trail) } : {}),
      ...(r.high_water !== null ? { highWater: Number(r.high_water) } : {}),
      onFailure: r.on_failure === "disarm" ? "disarm" : "rearm",
      ...(r.any_price === 1 ? { anyPrice: true } : {}),
      ...(r.attempts !== null && Number(r.attempts) > 0 ? { attempts: Number(r.attempts) } : {}),
      ...(r.retry_at !== null ? { retryAt: Number(r.retry_at) } : {}),
    }));
  }

  saveTriggers(triggers: readonly ArmedTrigger[]): void {
    for (const t of triggers) {
      this.sql.exec(
        "INSERT OR REPLACE INTO triggers (id, position_id, token, kind, level, trail, high_water, user_id, on_failure, any_price, attempts, retry_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.id,
        t.positionId,
        t.tokenId,
        t.kind,
        t.level ?? null,
        t.trail ?? null,
        t.highWater ?? null,
        t.userId,
        t.onFailure,
        t.anyPrice ? 1 : 0,
        t.attempts ?? null,
        t.retryAt ?? null,
      );
    }
  }

  deleteTriggers(ids: readonly number[]): void {
    for (const id of ids) this.sql.exec("DELETE FROM triggers WHERE id = ?", id);
  }

  replaceTriggers(triggers: readonly ArmedTrigger[]): void {
    this.sql.exec("DELETE FROM triggers");
    this.saveTriggers(triggers);
  }
}
