import { Box, CircularProgress, Paper, Typography } from "@mui/material";
import type { ReactNode } from "react";

export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <Box role="status" sx={{ display: "flex", justifyContent: "center", py: 6 }}>
      <CircularProgress aria-label={label} />
    </Box>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 4, textAlign: "center", borderStyle: "dashed" }}>
      <Typography variant="h6" component="p" gutterBottom>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}
