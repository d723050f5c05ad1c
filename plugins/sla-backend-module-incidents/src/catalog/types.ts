/** Which catalog entity a tool's service or alert belongs to. */
export type EntityResolution =
  | { kind: 'found'; entityRef: string }
  | { kind: 'none' }
  | { kind: 'ambiguous'; entityRefs: string[] };
