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
