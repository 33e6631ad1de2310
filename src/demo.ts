/**
 * Demo data (`n1kit/demo`): the migraine story of the README, the `n1kit demo` command and the
 * examples. A prior table, its candidates and outcome, and a diary simulator. Not for real
 * patients: the table's numbers are illustrative.
 *
 * `migrainePriorRequest` and `simulateMigraineDiary` are on the package root too (the README
 * quick start uses them); the `MIGRAINE_*` constants are here only.
 *
 * @example
 * ```ts
 * import { MIGRAINE_CANDIDATES, migrainePriorRequest } from 'n1kit/demo';
 * const request = migrainePriorRequest({ ageBand: '30-39' });
 * request.candidates.length === MIGRAINE_CANDIDATES.length; // true
 * ```
 *
 * @packageDocumentation
 */
export { MIGRAINE_CANDIDATES, MIGRAINE_OUTCOME, MIGRAINE_PRIOR_TABLE, migrainePriorRequest } from './prior/static.js';
export { migrainePriorToLogOdds, simulateMigraineDiary } from './hybrid/simulate.js';
export type { MigrainePriorToLogOddsOptions, SimulateMigraineDiaryOptions } from './hybrid/simulate.js';
