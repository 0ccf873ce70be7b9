import { Alert, Box, Button } from "@mui/material";
import { useState } from "react";
import { useNow } from "../../../hooks/useNow";
import { roomLabel } from "../breakoutState";
import { clock, secondsUntil } from "../countdown";
import type { Breakout } from "../types";

/** The timer turns into a warning this close to the end. */
const WARN_SECONDS = 60;

interface BreakoutBannerProps {
  plan: Breakout;
  /** The breakout room we are in (null: the main room). */
  myRoomId: string | null;
  /** The room we are assigned to, if any. */
  assignedRoomId: string | null;
  moderator: boolean;
  onJoin: (roomId: string | null) => void;
  onAskForHelp: () => void;
  onChooseRoom: () => void;
}

/** "Ask for help", then (in this room) a note that the hosts were asked. */
function AskForHelp({ onAsk }: { onAsk: () => void }) {
  const [asked, setAsked] = useState(false);
  return (
    <Button
      color="inherit"
      size="small"
      disabled={asked}
      onClick={() => {
        onAsk();
        setAsked(true);
      }}
    >
      {asked ? "Hosts asked to come" : "Ask for help"}
    </Button>
  );
}

/** While breakout rooms are open: where we are, the time left, and the way in, out or to help. */
export function BreakoutBanner({ plan, myRoomId, assignedRoomId, moderator, ...actions }: BreakoutBannerProps) {
  const now = useNow(1000);
  if (plan.status === "closed") return null;
  if (plan.status === "closing") {
    const left = secondsUntil(plan.closes_at, now) ?? 0;
    return (
      <Box sx={{ px: 1, pt: 1 }}>
        <Alert severity="warning" role="status">
          Breakout rooms close in {clock(left)}. Everyone returns to the main room.
        </Alert>
      </Box>
    );
  }
  const left = secondsUntil(plan.ends_at, now);
  const timeLeft = left === null ? "" : ` · ${clock(left)} left`;
  const severity = left !== null && left <= WARN_SECONDS ? "warning" : "info";
  const inRoom = myRoomId !== null;
  const assigned = assignedRoomId !== null && assignedRoomId !== myRoomId ? roomLabel(plan, assignedRoomId) : null;
  const buttons = (
    <Box sx={{ display: "flex", gap: 1, flexWrap: "wrap" }}>
      {inRoom && !moderator && <AskForHelp key={myRoomId} onAsk={actions.onAskForHelp} />}
      {inRoom && (
        <Button color="inherit" size="small" onClick={() => actions.onJoin(null)}>
          {moderator ? "Return to main room" : "Leave breakout room"}
        </Button>
      )}
      {!inRoom && assigned && assignedRoomId && (
        <Button color="inherit" size="small" onClick={() => actions.onJoin(assignedRoomId)}>
          Join {assigned}
        </Button>
      )}
      {!moderator && plan.allow_choosing && (
        <Button color="inherit" size="small" onClick={actions.onChooseRoom}>
          Choose a room
        </Button>
      )}
    </Box>
  );
  return (
    <Box sx={{ px: 1, pt: 1 }}>
      <Alert severity={severity} role="status" action={buttons}>
        {inRoom ? `You are in ${roomLabel(plan, myRoomId)}` : "Breakout rooms are open"}
        {timeLeft}
      </Alert>
    </Box>
  );
}
