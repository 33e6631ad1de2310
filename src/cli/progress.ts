/**
 * A progress bar on stderr when it is a terminal; silent when piped or in CI, so scripted
 * output stays clean.
 */
export interface Progress {
  tick(label?: string): void;
  done(): void;
}

export function progress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const enabled = stream.isTTY === true && process.env.CI === undefined && total > 0;
  let n = 0;
  const draw = (label: string) => {
    if (!enabled) return;
    const width = 24;
    const filled = Math.round((width * n) / total);
    stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${n}/${total} ${label}`.padEnd(78).slice(0, 78));
  };
  return {
    tick(label = '') {
      n = Math.min(total, n + 1);
      draw(label);
    },
    done() {
      if (enabled) stream.write(`\r${' '.repeat(78)}\r`);
    },
  };
}

/**
 * A progress callback `(done, total)` for the library's `onProgress` options (MCMC chains,
 * simulations), drawing a bar on a terminal; call `done()` after the run.
 */
export function progressCallback(label: string, stream: NodeJS.WriteStream = process.stderr): {
  readonly onProgress: (done: number, total: number) => void;
  done(): void;
} {
  let bar: Progress | undefined;
  let shown = 0;
  return {
    onProgress(done, total) {
      bar ??= progress(total, stream);
      while (shown < done) {
        shown++;
        bar.tick(label);
      }
    },
    done() {
      bar?.done();
    },
  };
}
