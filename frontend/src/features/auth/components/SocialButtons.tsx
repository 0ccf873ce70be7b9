import { Button, Stack } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { readCookie } from "../../../api/csrf";
import { PROVIDER_REDIRECT_URL, getProviders } from "../api";

const SUPPORTED = ["google", "facebook"];

/** "Continue with …" for each social provider the server has configured (none by default). */
export function SocialButtons() {
  const providers = useQuery({ queryKey: ["auth", "providers"], queryFn: getProviders, staleTime: Infinity });
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
          <input type="hidden" name="callback_url" value="/signin" />
          <input type="hidden" name="csrfmiddlewaretoken" value={readCookie("csrftoken") ?? ""} />
          <Button type="submit" variant="outlined" fullWidth>
            Continue with {provider.name}
          </Button>
        </form>
      ))}
    </Stack>
  );
}
