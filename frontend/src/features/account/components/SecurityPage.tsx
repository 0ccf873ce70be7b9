import { Stack } from "@mui/material";
import { useSession } from "../../auth/hooks/useSession";
import { EmailSection } from "./EmailSection";
import { PasswordSection } from "./PasswordSection";
import { TwoFactorSection } from "./TwoFactorSection";

export function SecurityPage() {
  const session = useSession().data;
  const hasPassword = session?.kind === "authenticated" ? session.user.has_usable_password : true;
  return (
    <Stack spacing={3}>
      <TwoFactorSection />
      <PasswordSection hasPassword={hasPassword} />
      <EmailSection />
    </Stack>
  );
}
