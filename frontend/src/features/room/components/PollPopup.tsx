import { Box, Button } from "@mui/material";
import type { Poll } from "../types";
import { PollCard } from "./PollCard";

interface PollPopupProps {
  poll: Poll;
  myVote: number[] | undefined;
  canVote: boolean;
  onVote: (choices: number[]) => void;
  onDismiss: () => void;
}

/** A poll to answer (or its shared results) over the room while the chat is closed; it blocks nothing. */
export function PollPopup({ poll, myVote, canVote, onVote, onDismiss }: PollPopupProps) {
  return (
    <Box
      sx={{
        position: "fixed",
        // Above the controls toolbar (two rows on phones), across from the knock notice.
        right: 16,
        bottom: { xs: 140, sm: 96 },
        width: 340,
        maxWidth: "calc(100vw - 32px)",
        maxHeight: "60vh",
        overflowY: "auto",
        zIndex: (theme) => theme.zIndex.snackbar,
        boxShadow: 6,
        bgcolor: "background.paper",
        borderRadius: 1,
      }}
    >
      <PollCard
        poll={poll}
        myVote={myVote}
        canVote={canVote}
        onVote={onVote}
        actions={
          <Button size="small" color="inherit" onClick={onDismiss}>
            Dismiss
          </Button>
        }
      />
    </Box>
  );
}
