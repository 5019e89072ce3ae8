import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDirLocked, lockDataDir } from "./data-lock";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "polycool-lock-"));

describe("the .data lock", () => {
  it("a second instance is refused while the first runs, with one line naming its pid", () => {
    const dir = tmp();
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      lockDataDir(dir, sleeper.pid!);
      expect(() => lockDataDir(dir)).toThrow(DataDirLocked);
      expect(() => lockDataDir(dir)).toThrow(`in use by another npm start (pid ${sleeper.pid})`);
    } finally {
      sleeper.kill();
    }
  });

  it("a lock left by a process that is gone is taken over; release frees it", async () => {
    const dir = tmp();
    const gone = spawn(process.execPath, ["-e", "0"]);
    await new Promise((r) => gone.once("exit", r));
    fs.writeFileSync(path.join(dir, "npm-start.lock"), String(gone.pid));
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, "npm-start.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, "npm-start.lock"))).toBe(false);
  });
});
