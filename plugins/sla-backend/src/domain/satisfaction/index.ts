export * from './scales';
export * from './countedAnswers';
export * from './summarizeScores';
export * from './satisfactionTrend';
export * from './complaintStates';
export * from './experienceTally';
export * from './detectWatermelon';
export * from './anonymize';
