/** What the UI needs to know about a failed API call. */
export interface ApiErrorDetails {
  /** HTTP status, when the backend answered. */
  status?: number;
  /** The backend's own message (it names fields and allowed moves), else the error's. */
  message: string;
}

/**
 * Reads a ResponseError (from SlaClient) or any other error. Checks the name
 * rather than instanceof: ResponseError may come from another copy of
 * @backstage/errors.
 */
export function describeApiError(error: unknown): ApiErrorDetails {
  const e = error as {
    name?: string;
    message?: string;
    statusCode?: number;
    response?: { status?: number };
    body?: { error?: { message?: string } };
  };
  if (e && e.name === 'ResponseError') {
    return {
      status: e.statusCode ?? e.response?.status,
      message: e.body?.error?.message ?? e.message ?? 'Request failed',
    };
  }
  return { message: e?.message ?? String(error) };
}
