// The `n1kit` command for end-to-end tests: bundled from source with esbuild (the bundler tsup
// uses), so the tests need no prior build, and run in a child process.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Bundles src/cli/main.ts to `out/<name>/cli.mjs` and returns its path. */
export async function bundleCli(name: string): Promise<string> {
  const outfile = join(process.cwd(), 'out', name, 'cli.mjs');
  await build({
    entryPoints: [join(process.cwd(), 'src', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

/** Runs the bundled command with `args` (and `input` on stdin); no colour, no LLM server. */
export function runCli(cli: string, args: readonly string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, NO_COLOR: '1', N1KIT_LLM_BASE_URL: '' },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A stand-in OpenAI-compatible server on 127.0.0.1 that answers every chat completion with
 * `effects` (mean, sd per candidate) and records each request body. Close it when done.
 */
export async function fakeLlmServer(effects: Record<string, { mean: number; sd: number }>): Promise<{ url: string; bodies: string[]; close: () => void }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      bodies.push(body);
      const content = JSON.stringify({ effects });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/v1`, bodies, close: () => server.close() };
}
