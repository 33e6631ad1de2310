// Shared by the headless-Chromium tests: esbuild bundles served from a local node:http server
// on 127.0.0.1 (IndexedDB and module workers need a real http origin), and Debian's Chromium
// driven by playwright-core with a persistent profile (so a "restart" reopens the same
// IndexedDB). CI installs chromium (.ci/run); without it these tests fail, they never skip.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Bundles `code` (resolved from the repository root) for the browser as an IIFE. */
export async function bundle(code: string, globalName?: string): Promise<string> {
  const out = await build({
    stdin: { contents: code, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'iife',
    ...(globalName === undefined ? {} : { globalName }),
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/** Serves `files` (path → JavaScript or HTML text) on 127.0.0.1; resolves to its origin. */
export async function serve(files: Record<string, string>): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const body = files[path];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A fresh Chromium profile directory, and a function removing it. */
export function profile(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'n1kit-chromium-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Launches Chromium on the profile `dir` (the same dir after a close = a browser restart). */
export function launch(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS });
}
