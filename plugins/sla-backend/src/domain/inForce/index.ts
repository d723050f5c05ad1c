export {
  inForceSpans,
  isValidAt,
  lastVersionInForceDuring,
  versionInForceAt,
} from './inForce';
export type { InForceSpan, Validity, VersionRecord } from './inForce';
