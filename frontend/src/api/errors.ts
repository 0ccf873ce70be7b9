/** A non-2xx answer from our API or from allauth, with the body it carried. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(`HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

export interface FormErrors {
  /** Shown above the form: errors not tied to one of the form's fields. */
  message: string | null;
  /** Shown under each field, keyed by the API's field name. */
  fields: Record<string, string>;
}

type Issue = { field: string | null; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fallbackMessage(status: number): string {
  if (status === 401) return "Confirm it's you (or sign in again) to do that.";
  if (status === 409) return "This step has expired. Start again.";
  if (status === 429) return "Too many attempts. Wait a minute and try again.";
  if (status === 403) return "You are not allowed to do that.";
  if (status >= 500) return "Something went wrong on our side. Try again in a moment.";
  return "That did not work. Check the form and try again.";
}

/** The issues in a body: allauth's `errors[]` (with `param`) or our `{code, message, detail}`. */
function issuesOf(status: number, body: unknown): Issue[] {
  if (!isRecord(body)) return [{ field: null, message: fallbackMessage(status) }];
  if (Array.isArray(body.errors)) {
    return body.errors.filter(isRecord).map((e) => ({
      field: typeof e.param === "string" ? e.param : null,
      message: String(e.message ?? ""),
    }));
  }
  const issues: Issue[] = [];
  const { detail, message } = body;
  if (Array.isArray(detail)) {
    // 422 and field-level 400/409: [{loc: [..., "field"], msg}]
    for (const item of detail.filter(isRecord)) {
      const loc = Array.isArray(item.loc) ? item.loc : [];
      issues.push({ field: loc.length ? String(loc[loc.length - 1]) : null, message: String(item.msg ?? "") });
    }
  }
  if (issues.length === 0) {
    issues.push({ field: null, message: typeof message === "string" && message ? message : fallbackMessage(status) });
  }
  return issues;
}

/**
 * Maps an error to what a form shows. `fieldNames` are the API field names the form has; an
 * error for any other field is shown as a form message so it is never lost.
 */
export function formErrors(error: unknown, fieldNames: readonly string[] = []): FormErrors {
  if (error == null) return { message: null, fields: {} };
  if (!(error instanceof ApiError)) {
    return { message: "Cannot reach the server. Check your connection and try again.", fields: {} };
  }
  const fields: Record<string, string> = {};
  const messages: string[] = [];
  for (const issue of issuesOf(error.status, error.body)) {
    if (issue.field && fieldNames.includes(issue.field) && !fields[issue.field]) {
      fields[issue.field] = issue.message;
    } else if (issue.message) {
      messages.push(issue.message);
    }
  }
  return { message: messages.length ? messages.join(" ") : null, fields };
}

/** Resolves to the body of a 2xx response from an openapi-fetch call; throws ApiError otherwise. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, error);
  return data as T;
}
