export {
  agreementToOpenSlo,
  renderOpenSloYaml,
  openSloName,
} from './exportOpenSlo';
export type { OpenSloExport, SkippedTarget } from './exportOpenSlo';
export {
  importOpenSlo,
  openSloToDraft,
  parseOpenSloYaml,
} from './importOpenSlo';
export type {
  OpenSloDraft,
  OpenSloImportResult,
  OpenSloImportOptions,
} from './importOpenSlo';
export { validateOpenSlo } from './validateOpenSlo';
export { ANNOTATION as OPENSLO_ANNOTATION } from './annotations';
