import AddReactionIcon from "@mui/icons-material/AddReactionOutlined";
import { IconButton, Menu, MenuItem, Tooltip } from "@mui/material";
import { useMenuAnchor } from "../../../hooks/useMenuAnchor";
import { REACTIONS, type Reaction } from "../types";

export function ReactionsButton({ onReact }: { onReact: (emoji: Reaction) => void }) {
  const menu = useMenuAnchor();
  return (
    <>
      <Tooltip title="Send a reaction" describeChild>
        <IconButton
          aria-label="Reactions"
          {...menu.buttonProps}
          size="large"
        >
          <AddReactionIcon />
        </IconButton>
      </Tooltip>
      <Menu
        {...menu.menuProps}
        anchorOrigin={{ vertical: "top", horizontal: "center" }}
        transformOrigin={{ vertical: "bottom", horizontal: "center" }}
        slotProps={{ list: { sx: { display: "flex" } } }}
      >
        {REACTIONS.map((emoji) => (
          <MenuItem
            key={emoji}
            onClick={() => {
              menu.close();
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
