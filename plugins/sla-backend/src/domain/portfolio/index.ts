export * from './kpis';
export * from './statusSource';
export * from './reviewsDue';
export * from './portfolioQuery';
export * from './portfolioCsv';
