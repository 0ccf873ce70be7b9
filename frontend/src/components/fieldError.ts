import type { FormErrors } from "../api/errors";

/** Props that show a field's error under a TextField. */
export function fieldError(errors: FormErrors, name: string) {
  const message = errors.fields[name];
  return { error: Boolean(message), helperText: message };
}
