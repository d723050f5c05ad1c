/**
 * What readers see of a piece of feedback: an anonymous answer keeps who
 * gave it in storage (so it still counts once per user and can be replaced)
 * but hides the name from everyone who reads it, owners included.
 */
export function anonymize<T extends { anonymous?: boolean; givenBy?: string }>(
  feedback: T,
): T {
  if (!feedback.anonymous) return feedback;
  const { givenBy: _hidden, ...rest } = feedback;
  return rest as T;
}
