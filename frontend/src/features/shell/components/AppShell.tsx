import MenuIcon from "@mui/icons-material/Menu";
import { AppBar, Box, Drawer, IconButton, Toolbar, Typography, useMediaQuery, useTheme } from "@mui/material";
import { useState } from "react";
import { Outlet } from "react-router";
import { useSession } from "../../auth/hooks/useSession";
import { NotificationBell } from "../../notifications/components/NotificationBell";
import { AccountMenu } from "./AccountMenu";
import { MainNav } from "./MainNav";

const DRAWER_WIDTH = 240;

/** The signed-in layout: top bar, section navigation (a drawer on small screens), the page. */
export function AppShell() {
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up("md"));
  const [open, setOpen] = useState(false);
  const session = useSession().data;
  const user = session?.kind === "authenticated" ? session.user : null;

  return (
    <Box sx={{ display: "flex", minHeight: "100vh" }}>
      <AppBar position="fixed" color="inherit" elevation={0}
        sx={{ zIndex: theme.zIndex.drawer + 1, borderBottom: 1, borderColor: "divider" }}>
        <Toolbar>
          {!wide && (
            <IconButton edge="start" aria-label="Open navigation" onClick={() => setOpen(true)} sx={{ mr: 1 }}>
              <MenuIcon />
            </IconButton>
          )}
          <Typography variant="h6" component="span" sx={{ flexGrow: 1, fontWeight: 700, color: "primary.main" }}>
            aapoon meet
          </Typography>
          {user && <NotificationBell />}
          {user && <AccountMenu user={user} />}
        </Toolbar>
      </AppBar>
      {wide ? (
        <Drawer variant="permanent" sx={{ width: DRAWER_WIDTH, flexShrink: 0, "& .MuiDrawer-paper": { width: DRAWER_WIDTH } }}>
          <Toolbar />
          <MainNav />
        </Drawer>
      ) : (
        <Drawer variant="temporary" open={open} onClose={() => setOpen(false)}
          sx={{ "& .MuiDrawer-paper": { width: DRAWER_WIDTH } }}>
          <MainNav onNavigate={() => setOpen(false)} />
        </Drawer>
      )}
      <Box component="main" sx={{ flexGrow: 1, minWidth: 0, p: { xs: 2, sm: 3 } }}>
        <Toolbar />
        <Outlet />
      </Box>
    </Box>
  );
}
