import { Button, Stack } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { Navigate, useSearchParams } from "react-router";
import { readCookie } from "../../../api/csrf";
import { Loading } from "../../../components/states";
import { PROVIDER_CALLBACK_PATH, PROVIDER_REDIRECT_URL, adoptBrowserTimeZone, getProviders, routeFor, withNext } from "../api";
import { useSession } from "../hooks/useSession";

const SUPPORTED = ["google", "facebook"];

/** "Continue with …" for each social provider the server has configured (none by default). */
export function SocialButtons() {
  const providers = useQuery({ queryKey: ["auth", "providers"], queryFn: getProviders, staleTime: Infinity });
  const [params] = useSearchParams();
  const shown = (providers.data ?? []).filter(
    (p) => SUPPORTED.includes(p.id) && p.flows.includes("provider_redirect"),
  );
  if (shown.length === 0) return null;
  return (
    <Stack spacing={1}>
      {shown.map((provider) => (
        // The redirect flow needs a real navigation, so this is a plain form POST.
        <form key={provider.id} method="post" action={PROVIDER_REDIRECT_URL}>
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="process" value="login" />
          <input type="hidden" name="callback_url" value={withNext(PROVIDER_CALLBACK_PATH, params.get("next"))} />
          <input type="hidden" name="csrfmiddlewaretoken" value={readCookie("csrftoken") ?? ""} />
          <Button type="submit" variant="outlined" fullWidth>
            Continue with {provider.name}
          </Button>
        </form>
      ))}
    </Stack>
  );
}

/**
 * Where the provider sends the browser back (`/signin/callback`): to the step the session still
 * needs, such as finishing a social sign-up, or back to sign in with an error if the provider
 * sign-in failed. A session the provider signed in (maybe a brand-new account) first gives a
 * profile still on "UTC" the browser's time zone, as the other sign-ups do; its failure is ignored.
 */
export function ProviderCallback() {
  const session = useSession();
  const [params] = useSearchParams();
  const next = params.get("next");
  const signedIn = session.data?.kind === "authenticated";
  // A query, so the zone is sent once per callback however often this renders.
  const adopted = useQuery({
    queryKey: ["auth", "adopt-time-zone"],
    queryFn: () => adoptBrowserTimeZone().then(() => true, () => false),
    enabled: signedIn,
    staleTime: Infinity,
    retry: false,
  });
  if (params.has("error")) return <Navigate to={withNext("/signin?error=social", next)} replace />;
  if (!session.data) return null;
  if (signedIn && adopted.isPending) return <Loading label="Signing you in" />;
  return <Navigate to={routeFor(session.data, next)} replace />;
}
