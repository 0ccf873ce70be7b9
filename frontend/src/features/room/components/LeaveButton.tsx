import ArrowDropUpIcon from "@mui/icons-material/ArrowDropUp";
import CallEndIcon from "@mui/icons-material/CallEnd";
import { Box, Button, IconButton, Menu, MenuItem } from "@mui/material";
import { useState } from "react";
import { useMenuAnchor } from "../../../hooks/useMenuAnchor";
import { EndMeetingDialog } from "./EndMeetingDialog";

interface LeaveButtonProps {
  canEndForAll: boolean;
  onLeave: () => void;
  onEndForAll: () => void;
}

/** Leave; the host and co-hosts also get "End meeting for all" from the arrow beside it. */
export function LeaveButton({ canEndForAll, onLeave, onEndForAll }: LeaveButtonProps) {
  const menu = useMenuAnchor();
  const [confirmEnd, setConfirmEnd] = useState(false);
  return (
    <Box sx={{ display: "flex", alignItems: "center" }}>
      <Button variant="contained" color="error" startIcon={<CallEndIcon />} onClick={onLeave} aria-label="Leave meeting" sx={{ borderRadius: 6 }}>
        Leave
      </Button>
      {canEndForAll && (
        <>
          <IconButton
            aria-label="More leave options"
            {...menu.buttonProps}
          >
            <ArrowDropUpIcon />
          </IconButton>
          <Menu {...menu.menuProps}>
            <MenuItem
              onClick={() => {
                menu.close();
                setConfirmEnd(true);
              }}
            >
              End meeting for all
            </MenuItem>
          </Menu>
          <EndMeetingDialog open={confirmEnd} onEnd={onEndForAll} onClose={() => setConfirmEnd(false)} />
        </>
      )}
    </Box>
  );
}
