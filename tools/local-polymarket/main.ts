// CLI: runs the local Polymarket standalone (npx tsx tools/local-polymarket/main.ts --port 8790 --scenario lively).
import { parseArgs } from "node:util";
import { SCENARIO_KINDS, type ScenarioKind } from "./scenario";
import { startLocalPolymarket } from "./server";

const USAGE = "usage: tsx tools/local-polymarket/main.ts [--port 8790] [--scenario quiet|lively|burst] [--seed polycool] [--markets N] [--new-accounts]";

function fail(line: string): never {
  console.error(`local-polymarket: ${line}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8790" },
      scenario: { type: "string", default: "lively" },
      seed: { type: "string", default: "polycool" },
      markets: { type: "string", default: "0" },
      "new-accounts": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (got "${values.port}")`);
  if (!SCENARIO_KINDS.includes(values.scenario as ScenarioKind)) fail(`--scenario must be one of ${SCENARIO_KINDS.join(", ")}`);
  const marketCount = Number(values.markets);
  if (!Number.isInteger(marketCount) || marketCount < 0) fail(`--markets must be a count (got "${values.markets}")`);
  const lp = await startLocalPolymarket({ port, scenario: values.scenario as ScenarioKind, seed: values.seed, marketCount, newAccounts: values["new-accounts"] });
  const u = lp.urls();
  console.log(
    [
      `local Polymarket (${lp.markets().length} markets, scenario ${values.scenario}, seed ${values.seed}${values["new-accounts"] ? ", new-account rule on" : ""}):`,
      `  GAMMA_API_URL=${u.gammaUrl}`,
      `  CLOB_API_URL=${u.clobUrl}`,
      `  CLOB_WSS_URL=${u.wsUrl}`,
      `  relayer       ${u.relayerUrl}`,
      `  polygon rpc   ${u.rpcUrl}`,
      `  data api      ${u.dataUrl}`,
      `  control       ${u.controlUrl}/state`,
      "Ctrl-C stops it.",
    ].join("\n"),
  );
  const stop = () => void lp.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: Error) => {
  console.error(`local-polymarket: ${err.message}`);
  process.exit(1);
});
