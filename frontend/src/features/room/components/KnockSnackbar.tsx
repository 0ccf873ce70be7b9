import { Button, Snackbar } from "@mui/material";
import type { Participant } from "../types";

interface KnockSnackbarProps {
  knock: Participant | null;
  onAdmit: (participant: Participant) => void;
  onView: () => void;
  onDismiss: () => void;
}

/** Tells the host someone is knocking while the participants panel is closed. */
export function KnockSnackbar({ knock, onAdmit, onView, onDismiss }: KnockSnackbarProps) {
  return (
    <Snackbar
      open={knock !== null}
      message={knock ? `${knock.display_name} wants to join` : ""}
      onClose={(_, reason) => reason !== "clickaway" && onDismiss()}
      anchorOrigin={{ vertical: "bottom", horizontal: "left" }}
      // Above the controls toolbar (two rows on phones), away from the side panel.
      sx={{ bottom: { xs: 140, sm: 96 } }}
      action={
        knock && (
          <>
            <Button color="inherit" size="small" onClick={onView}>
              View
            </Button>
            <Button color="secondary" variant="contained" size="small" onClick={() => onAdmit(knock)}>
              Admit
            </Button>
          </>
        )
      }
    />
  );
}
