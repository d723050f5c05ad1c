export * from './kpis';
export * from './statusSource';
export * from './reviewsDue';
