/**
 * Planning by simulation: scenarios (realistic diaries), operating characteristics of a design
 * and its decision rule, trial planning, deterministic shards. Browser-safe; the thread pool is
 * in `n1kit/node` and the BullMQ runner in `n1kit/queue`.
 *
 * @packageDocumentation
 */
export { resolveScenario, simulateScenario } from './scenario.js';
export type { ResolvedScenario, Scenario, ScenarioCarryover, SimulatedDiary } from './scenario.js';
export {
  mergeSimulationPartials,
  resolveSimulationSpec,
  runSimulationShard,
  simulateTrials,
  simulationShards,
  summarizeSimulation,
} from './trials.js';
export type {
  ArmCharacteristics,
  OperatingCharacteristics,
  ResolvedSpec,
  ShardExecutor,
  SimulateTrialsOptions,
  SimulationAdaptive,
  SimulationAnalysis,
  SimulationDecision,
  SimulationPartial,
  SimulationShard,
  SimulationSpec,
} from './trials.js';
export { planTrial } from './plan.js';
export type { PlanRow, PlanSearch, PlanTrialInput, TrialPlan } from './plan.js';
