// The streamer Durable Object: owns the Polymarket market WebSocket(s). Skeleton for now.
import { DurableObject } from "cloudflare:workers";
import { log } from "../workers/lib/log";

export class Streamer extends DurableObject<Env> {
  private startedAt = Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    log.info("streamer_starting", {});
  }

  /** Liveness probe for tests and the admin view. */
  async hello(): Promise<{ startedAt: number; alarms: number }> {
    const alarms = (await this.ctx.storage.get<number>("alarms")) ?? 0;
    return { startedAt: this.startedAt, alarms };
  }

  async scheduleWatchdog(delayMs: number): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now() + delayMs);
  }

  override async alarm(): Promise<void> {
    const n = ((await this.ctx.storage.get<number>("alarms")) ?? 0) + 1;
    await this.ctx.storage.put("alarms", n);
  }
}
