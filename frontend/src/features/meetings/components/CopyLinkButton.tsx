import ContentCopy from "@mui/icons-material/ContentCopy";
import { Alert, Button, Snackbar, type ButtonProps } from "@mui/material";
import { useCopyText } from "../hooks/useCopyText";

/** "Copy meeting link", with a note that says whether it worked (and shows the link when it did not). */
export function CopyLinkButton({ link, ...props }: ButtonProps & { link: string }) {
  const { copy, result, open, close } = useCopyText();
  return (
    <>
      <Button startIcon={<ContentCopy />} onClick={() => void copy(link)} {...props}>
        Copy meeting link
      </Button>
      <Snackbar open={open} autoHideDuration={result.ok ? 3000 : null} onClose={close}>
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
