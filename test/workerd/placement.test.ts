// Where the product runs, as the local Polymarket's geoblock endpoint answers: from the Worker and
// from the streamer object (which may live elsewhere: its location hint), never with an IP.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { settingsOf } from "../../workers/env";
import { placementInfo } from "../../workers/placement";

describe("placement", () => {
  it("the Worker and the streamer each say where Polymarket sees them and whether they may trade", async () => {
    const worker = await placementInfo(settingsOf(env), { cf: { colo: "DUB" } });
    expect(worker).toMatchObject({ colo: "DUB", streamerLocationHint: "weur", polymarket: { access: "allowed", country: "IE" } });
    // Its own instance, not the shared one: nothing here should reconcile against the test database.
    const streamer = await env.STREAMER.getByName(`placement-${Math.random().toString(36).slice(2, 8)}`, { locationHint: "weur" }).placement();
    expect(streamer).toMatchObject({ colo: null, streamerLocationHint: "weur", polymarket: { access: "allowed", country: "IE" } });
    expect(JSON.stringify([worker, streamer])).not.toContain("127.0.0.1");
  });
});
