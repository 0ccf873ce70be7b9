import { Button, Stack, Typography } from "@mui/material";
import type { PagedList } from "../hooks/usePagedList";

/** Under a paginated list: how many are shown, and a button for the next page while there is one. */
export function LoadMore({ list }: { list: PagedList }) {
  if (!list.data || !list.hasNextPage) return null;
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: "center", justifyContent: "center" }}>
      <Typography variant="body2" color="text.secondary">
        Showing {list.data.items.length} of {list.data.count}
      </Typography>
      <Button variant="outlined" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
        Load more
      </Button>
    </Stack>
  );
}
