import { Box, keyframes } from "@mui/material";
import { useEffect } from "react";
import type { FloatingReaction } from "../roomState";

const SHOWN_MS = 3000;

const rise = keyframes`
  from { transform: translateY(0) scale(0.8); opacity: 0; }
  15% { transform: translateY(-10%) scale(1.1); opacity: 1; }
  to { transform: translateY(-160%) scale(1); opacity: 0; }
`;

function Bubble({ reaction, index, onDone }: { reaction: FloatingReaction; index: number; onDone: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDone(reaction.id), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [reaction.id, onDone]);
  return (
    <Box
      component="span"
      sx={{
        position: "absolute",
        bottom: 16,
        left: `calc(50% + ${(index % 3) * 28 - 28}px)`,
        fontSize: 40,
        animation: `${rise} ${SHOWN_MS}ms ease-out forwards`,
        "@media (prefers-reduced-motion: reduce)": { animation: "none" },
      }}
    >
      {reaction.emoji}
    </Box>
  );
}

/** Reactions rising over a participant's tile for a few seconds. */
export function FloatingReactions({ reactions, onDone }: { reactions: FloatingReaction[]; onDone: (id: number) => void }) {
  if (reactions.length === 0) return null;
  return (
    <Box role="status" sx={{ position: "absolute", inset: 0, pointerEvents: "none", overflow: "hidden" }}>
      {reactions.map((reaction, index) => (
        <Bubble key={reaction.id} reaction={reaction} index={index} onDone={onDone} />
      ))}
    </Box>
  );
}
