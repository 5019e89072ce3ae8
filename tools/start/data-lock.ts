// One `npm start` per data folder: the embedded Postgres in .data/pglite must never be opened twice.
// The lock is a file holding the owner's pid, created exclusively; a lock whose process is gone is stale
// and taken over.
import fs from "node:fs";
import path from "node:path";

export class DataDirLocked extends Error {
  constructor(readonly pid: number, dataDir: string) {
    super(`${dataDir} is in use by another npm start (pid ${pid}): stop it first, or give this one its own DATA_DIR (and PORT, PLAYGROUND_PORT)`);
    this.name = "DataDirLocked";
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Takes the lock or throws DataDirLocked; the returned function releases it (also run at exit). */
export function lockDataDir(dataDir: string, pid = process.pid): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "npm-start.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(pid), { flag: "wx" });
      const release = () => {
        try {
          if (fs.readFileSync(file, "utf8") === String(pid)) fs.unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
      process.once("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(fs.readFileSync(file, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== pid && alive(owner)) throw new DataDirLocked(owner, dataDir);
      fs.unlinkSync(file);
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
