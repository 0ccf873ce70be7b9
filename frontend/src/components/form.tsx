import { Alert, Button, type ButtonProps } from "@mui/material";
import type { FormErrors } from "../api/errors";

/** The form-level error, announced to screen readers. */
export function FormAlert({ errors }: { errors: FormErrors }) {
  if (!errors.message) return null;
  return (
    <Alert severity="error" role="alert">
      {errors.message}
    </Alert>
  );
}

/** A submit button that is disabled and says so while its request runs. */
export function SubmitButton({ pending, children, ...props }: ButtonProps & { pending: boolean }) {
  return (
    <Button type="submit" variant="contained" loading={pending} {...props}>
      {children}
    </Button>
  );
}
