import { Stack, Tab, Tabs, Typography } from "@mui/material";
import { Link as RouterLink, Outlet, useLocation } from "react-router";

const PAGES = [
  { label: "Profile", to: "/account/profile" },
  { label: "Security", to: "/account/security" },
  { label: "Addresses", to: "/account/addresses" },
  { label: "Bank account", to: "/account/bank" },
  { label: "Organisation", to: "/account/organisation" },
  { label: "Notifications", to: "/account/notifications" },
];

export function AccountLayout() {
  const { pathname } = useLocation();
  const current = PAGES.find((page) => pathname.startsWith(page.to))?.to ?? false;
  return (
    <Stack spacing={3} sx={{ maxWidth: 880 }}>
      <Typography variant="h4" component="h1">
        Account
      </Typography>
      <Tabs value={current} variant="scrollable" scrollButtons="auto" allowScrollButtonsMobile aria-label="Account pages"
        sx={{ borderBottom: 1, borderColor: "divider" }}>
        {PAGES.map((page) => (
          <Tab key={page.to} label={page.label} value={page.to} component={RouterLink} to={page.to} />
        ))}
      </Tabs>
      <Outlet />
    </Stack>
  );
}
