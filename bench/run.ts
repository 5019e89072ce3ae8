// `npm run bench`: every benchmark, one line per figure, with the machine they ran on.
import os from "node:os";
import { benchEndToEnd } from "./e2e-latency.bench";
import { benchExits } from "./exits.bench";
import { benchMarketCore } from "./market-core.bench";
import { benchReconnect } from "./reconnect.bench";
import { benchSearch } from "./search.bench";
import { benchStreamerCore } from "./streamer-core.bench";
import { benchTriggers } from "./triggers.bench";

console.log(`polycool benchmarks — ${new Date().toISOString()}`);
console.log(`machine: ${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.arch()}`);
console.log(`database for DB-bound figures: ${process.env.DATABASE_URL ? "DATABASE_URL (scratch database)" : "embedded PGlite"}`);
console.log("");
await benchMarketCore();
console.log("");
await benchStreamerCore();
console.log("");
await benchTriggers();
console.log("");
await benchReconnect();
console.log("");
await benchEndToEnd();
console.log("");
await benchExits();
console.log("");
await benchSearch();
