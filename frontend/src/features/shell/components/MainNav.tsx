import { List, ListItem, ListItemButton, ListItemIcon, ListItemText } from "@mui/material";
import { NavLink } from "react-router";
import { SECTIONS } from "../sections";

/** The app's sections; those not built yet are shown, disabled, as "Coming soon". */
export function MainNav({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <nav aria-label="Main">
      <List>
        {SECTIONS.map(({ label, to, icon: Icon }) =>
          to ? (
            <ListItem key={label} disablePadding>
              <ListItemButton component={NavLink} to={to} onClick={onNavigate}
                sx={{ "&.active": { bgcolor: "action.selected", "& .MuiListItemIcon-root": { color: "primary.main" } } }}>
                <ListItemIcon>
                  <Icon />
                </ListItemIcon>
                <ListItemText primary={label} />
              </ListItemButton>
            </ListItem>
          ) : (
            <ListItem key={label} aria-disabled="true" sx={{ color: "text.disabled" }}>
              <ListItemIcon sx={{ color: "inherit" }}>
                <Icon />
              </ListItemIcon>
              <ListItemText primary={label} secondary="Coming soon" slotProps={{ secondary: { color: "inherit" } }} />
            </ListItem>
          ),
        )}
      </List>
    </nav>
  );
}
