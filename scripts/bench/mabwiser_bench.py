"""Select + update per second of mabwiser's bandits at their default options.

The peer side of scripts/bench/bandits_compare.mjs (which runs it interleaved with
bandits_bench.ts). mabwiser is not a dependency: run from a source checkout with Debian's
Python (python3-numpy python3-pandas python3-sklearn python3-joblib python3-scipy):

    PYTHONPATH=/tmp/mabwiser /usr/bin/python3 scripts/bench/mabwiser_bench.py CASE SECONDS

CASE: thompson | lints | linucb. Prints one JSON line {"case", "perSecond", "perCpuSecond",
"iterations"} (perCpuSecond: decisions per second of this process's CPU time, the figure to
set against scripts/bench/bandits_cpu.ts on a loaded machine).
Setup as in bench/adaptive.bench.ts: 10 arms, d = 20 standard-normal contexts, Bernoulli
rewards with P(1) = 0.3 + 0.04 * arm index from pre-drawn uniforms (cycled, 4096 of them);
each policy is first fitted on one reward per arm (mabwiser requires a fit before predict).
"""

import json
import sys
import time

import numpy as np
from mabwiser.mab import MAB, LearningPolicy

K = 10
D = 20
N = 4096


def main() -> None:
    case = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    gen = np.random.default_rng(20261201)
    contexts = gen.standard_normal((N, D))
    uniforms = gen.uniform(size=N)
    arms = list(range(K))
    if case == 'thompson':
        lp = LearningPolicy.ThompsonSampling()
    elif case == 'lints':
        lp = LearningPolicy.LinTS()
    elif case == 'linucb':
        lp = LearningPolicy.LinUCB()
    else:
        raise SystemExit(f'unknown case {case}')
    mab = MAB(arms, lp, seed=7)
    contextual = case != 'thompson'
    if contextual:
        mab.fit(arms, [0] * K, contexts[:K])
    else:
        mab.fit(arms, [0] * K)

    def step(i: int) -> None:
        j = i & (N - 1)
        if contextual:
            x = contexts[j : j + 1]
            arm = mab.predict(x)
            r = 1 if uniforms[j] < 0.3 + 0.04 * arm else 0
            mab.partial_fit([arm], [r], x)
        else:
            arm = mab.predict()
            r = 1 if uniforms[j] < 0.3 + 0.04 * arm else 0
            mab.partial_fit([arm], [r])

    i = 0
    t_warm = time.perf_counter() + 0.2 * seconds
    while time.perf_counter() < t_warm:
        step(i)
        i += 1
    start = time.perf_counter()
    cpu0 = time.process_time()
    n = 0
    while True:
        step(i)
        i += 1
        n += 1
        if (n & 15) == 0 and time.perf_counter() - start >= seconds:
            break
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0  # this process's CPU time (numpy threads included)
    print(json.dumps({'case': case, 'perSecond': n / elapsed, 'perCpuSecond': n / cpu, 'iterations': n}))


if __name__ == '__main__':
    main()
