export { parseTable } from './table.js';
export type { ParseTableOptions, TableCell, TableRow } from './table.js';
export { seriesFromTable, trialFromTable, trialToTable } from './trial.js';
export type {
  Deviation,
  DeviationKind,
  SeriesFromTableOptions,
  TableSeriesTrial,
  TableTrial,
  TrialFromTableOptions,
  TrialToTableOptions,
} from './trial.js';
