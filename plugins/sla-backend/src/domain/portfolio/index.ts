export * from './kpis';
export * from './statusSource';
