import ContentCopy from "@mui/icons-material/ContentCopy";
import { Alert, Button, Snackbar, type ButtonProps, type SnackbarOrigin } from "@mui/material";
import { useCopyText } from "../hooks/useCopyText";

interface CopyLinkButtonProps extends ButtonProps {
  link: string;
  /** Where the note shows: the Snackbar's bottom left unless that would cover other controls. */
  noteAnchor?: SnackbarOrigin;
}

/** "Copy meeting link", with a note that says whether it worked (and shows the link when it did not). */
export function CopyLinkButton({ link, noteAnchor, ...props }: CopyLinkButtonProps) {
  const { copy, result, open, close } = useCopyText();
  return (
    <>
      <Button startIcon={<ContentCopy />} onClick={() => void copy(link)} {...props}>
        Copy meeting link
      </Button>
      <Snackbar open={open} autoHideDuration={result.ok ? 3000 : null} onClose={close} anchorOrigin={noteAnchor}>
        {result.ok ? (
          <Alert severity="success" role="status" onClose={close}>Meeting link copied</Alert>
        ) : (
          <Alert severity="warning" onClose={close} sx={{ wordBreak: "break-all" }}>
            Could not copy. The link is {result.text}
          </Alert>
        )}
      </Snackbar>
    </>
  );
}
