import { Button, Stack } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { Navigate, useSearchParams } from "react-router";
import { readCookie } from "../../../api/csrf";
import { PROVIDER_REDIRECT_URL, getProviders, routeFor, withNext } from "../api";
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
          <input type="hidden" name="callback_url" value={withNext("/signin/callback", params.get("next"))} />
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
 * Where the provider sends the browser back (`/signin/callback`, behind the anonymous gate, which
 * already sent a signed-in user on): to the step the session still needs, such as finishing a
 * social sign-up, or back to sign in with an error if the provider sign-in failed.
 */
export function ProviderCallback() {
  const session = useSession();
  const [params] = useSearchParams();
  const next = params.get("next");
  if (params.has("error")) return <Navigate to={withNext("/signin?error=social", next)} replace />;
  return session.data && <Navigate to={routeFor(session.data, next)} replace />;
}
