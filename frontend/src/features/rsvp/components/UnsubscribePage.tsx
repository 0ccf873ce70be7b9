import { Alert, Button, Link } from "@mui/material";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link as RouterLink, useParams } from "react-router";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { AuthLayout } from "../../auth/components/AuthLayout";
import { confirmUnsubscribe, getUnsubscribe } from "../api";
import { LinkErrorPage } from "./PublicPage";

/** /unsubscribe/:token, from an email's footer: says which emails stop; only the button stops them. */
export function UnsubscribePage() {
  const { token = "" } = useParams();
  const about = useQuery({ queryKey: ["unsubscribe", token], queryFn: () => getUnsubscribe(token) });
  const stop = useMutation({ mutationFn: () => confirmUnsubscribe(token) });

  if (about.isPending) return <AuthLayout title="Unsubscribe"><Loading /></AuthLayout>;
  if (about.isError) return <LinkErrorPage error={about.error} what="unsubscribe" />;

  const settings = (
    <Link component={RouterLink} to="/account/notifications">
      Manage all your notification settings
    </Link>
  );
  if (stop.isSuccess)
    return (
      <AuthLayout title="Unsubscribed">
        <Alert severity="success" role="status">
          You will no longer get emails about: {about.data.label}.
        </Alert>
        {settings}
      </AuthLayout>
    );
  return (
    <AuthLayout title="Unsubscribe" intro={`Stop emails about: ${about.data.label}. Other notifications are not changed.`}>
      <FormAlert errors={formErrors(stop.error)} />
      <div>
        <Button variant="contained" loading={stop.isPending} onClick={() => stop.mutate()}>
          Unsubscribe
        </Button>
      </div>
      {settings}
    </AuthLayout>
  );
}
