export * from './reportPeriod';
export * from './buildServiceReport';
export * from './reportCsv';
export * from './hasTimelyReport';
