import { Alert, Button, Stack } from "@mui/material";
import { Link as RouterLink } from "react-router";
import { ApiError, formErrors } from "../../../api/errors";
import { AuthLayout } from "../../auth/components/AuthLayout";

/** A link from an email that did not open: why, in the server's words, and a way on. */
export function LinkErrorPage({ error, what }: { error: unknown; what: string }) {
  const title =
    error instanceof ApiError && error.status === 429
      ? "Too many tries"
      : error instanceof ApiError && error.status < 500
        ? `This ${what} link does not work`
        : "Something went wrong";
  return (
    <AuthLayout title={title}>
      <Alert severity="error" role="alert">
        {formErrors(error).message}
      </Alert>
      <Stack direction="row">
        <Button component={RouterLink} to="/">
          Go to aapoon meet
        </Button>
      </Stack>
    </AuthLayout>
  );
}
