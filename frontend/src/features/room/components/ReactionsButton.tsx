import AddReactionIcon from "@mui/icons-material/AddReactionOutlined";
import { IconButton, Menu, MenuItem, Tooltip } from "@mui/material";
import { useState } from "react";
import { REACTIONS, type Reaction } from "../types";

export function ReactionsButton({ onReact }: { onReact: (emoji: Reaction) => void }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  return (
    <>
      <Tooltip title="Send a reaction" describeChild>
        <IconButton
          aria-label="Reactions"
          aria-haspopup="menu"
          aria-expanded={anchor ? "true" : undefined}
          onClick={(event) => setAnchor(event.currentTarget)}
          size="large"
        >
          <AddReactionIcon />
        </IconButton>
      </Tooltip>
      <Menu
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: "top", horizontal: "center" }}
        transformOrigin={{ vertical: "bottom", horizontal: "center" }}
        slotProps={{ list: { sx: { display: "flex" } } }}
      >
        {REACTIONS.map((emoji) => (
          <MenuItem
            key={emoji}
            onClick={() => {
              setAnchor(null);
              onReact(emoji);
            }}
            sx={{ fontSize: 24 }}
          >
            {emoji}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
