// Loads Node-only packages by require, so vite (vitest globalSetup) cannot swap in their browser builds.
import { createRequire } from "node:module";

export const nodeRequire = createRequire(import.meta.url);
