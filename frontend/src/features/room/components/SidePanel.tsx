import CloseIcon from "@mui/icons-material/Close";
import { Box, Drawer, IconButton, Paper, Typography, useMediaQuery, useTheme } from "@mui/material";
import type { ReactNode } from "react";

interface SidePanelProps {
  label: string;
  onClose: () => void;
  children: ReactNode;
}

/** A named panel beside the video grid on wide screens, a drawer over it on narrow ones. */
export function SidePanel({ label, onClose, children }: SidePanelProps) {
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up("md"));
  const content = (
    <Box
      component="section"
      aria-label={label}
      sx={{ width: wide ? 360 : "100vw", maxWidth: "100%", height: "100%", display: "flex", flexDirection: "column", minHeight: 0 }}
    >
      <Box sx={{ display: "flex", alignItems: "center", px: 2, py: 1, borderBottom: 1, borderColor: "divider" }}>
        <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          {label}
        </Typography>
        <IconButton aria-label={`Close ${label.toLowerCase()}`} onClick={onClose} edge="end">
          <CloseIcon />
        </IconButton>
      </Box>
      {children}
    </Box>
  );
  if (!wide) {
    return (
      <Drawer anchor="right" open onClose={onClose}>
        {content}
      </Drawer>
    );
  }
  return (
    <Paper variant="outlined" square sx={{ flexShrink: 0, display: "flex", minHeight: 0, borderTop: 0, borderBottom: 0 }}>
      {content}
    </Paper>
  );
}
