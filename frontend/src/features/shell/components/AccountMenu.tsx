import { Avatar, Divider, IconButton, ListItemText, Menu, MenuItem } from "@mui/material";
import { useState } from "react";
import { Link as RouterLink } from "react-router";
import type { User } from "../../auth/api";
import { useSignOut } from "../../auth/hooks/useSignOut";

export function AccountMenu({ user }: { user: User }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const signOut = useSignOut();
  const close = () => setAnchor(null);
  return (
    <>
      <IconButton aria-label="Account menu" aria-haspopup="menu" aria-expanded={Boolean(anchor)}
        onClick={(e) => setAnchor(e.currentTarget)}>
        <Avatar sx={{ width: 32, height: 32, bgcolor: "secondary.main" }}>{(user.display || "?")[0].toUpperCase()}</Avatar>
      </IconButton>
      <Menu anchorEl={anchor} open={Boolean(anchor)} onClose={close}
        anchorOrigin={{ vertical: "bottom", horizontal: "right" }} transformOrigin={{ vertical: "top", horizontal: "right" }}>
        <ListItemText primary={user.display} secondary={user.email} sx={{ px: 2, py: 1 }} />
        <Divider />
        <MenuItem component={RouterLink} to="/account/profile" onClick={close}>
          Profile
        </MenuItem>
        <MenuItem onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </MenuItem>
      </Menu>
    </>
  );
}
