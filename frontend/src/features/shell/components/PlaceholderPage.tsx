import { Stack, Typography } from "@mui/material";
import { EmptyState } from "../../../components/states";

/** A section whose feature has not landed yet. */
export function PlaceholderPage({ title, comingSoon }: { title: string; comingSoon: string }) {
  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">
        {title}
      </Typography>
      <EmptyState title="Coming soon">
        <Typography color="text.secondary">{comingSoon}</Typography>
      </EmptyState>
    </Stack>
  );
}
