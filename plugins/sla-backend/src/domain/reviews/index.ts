export * from './schedule';
export * from './decisions';
export * from './snapshot';
export * from './validateReview';
export * from './improvements';
