export * from './kpis';
export * from './statusSource';
export * from './reviewsDue';
export * from './portfolioQuery';
export * from './portfolioCsv';
export type {
  Period,
  PortfolioAgreement,
  PortfolioBreach,
  TargetState,
} from './portfolioTypes';
export * from './agreementSchedule';
