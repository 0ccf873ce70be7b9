import LinkIcon from "@mui/icons-material/Link";
import { Button, Snackbar } from "@mui/material";
import { useState } from "react";

/** The link to share: the passcode travels in the fragment when this page was opened with one. */
function meetingLink(code: string): string {
  const passcode = location.hash.startsWith("#p=") ? location.hash : "";
  return `${location.origin}/m/${code}${passcode}`;
}

export function CopyLinkButton({ code }: { code: string }) {
  const [notice, setNotice] = useState<string | null>(null);
  const copy = async () => {
    const link = meetingLink(code);
    try {
      await navigator.clipboard.writeText(link);
      setNotice("Meeting link copied");
    } catch {
      setNotice(`Copy this link: ${link}`);
    }
  };
  return (
    <>
      <Button size="small" variant="outlined" startIcon={<LinkIcon />} onClick={() => void copy()}>
        Copy meeting link
      </Button>
      <Snackbar
        open={notice !== null}
        message={notice}
        autoHideDuration={4000}
        onClose={() => setNotice(null)}
        anchorOrigin={{ vertical: "top", horizontal: "center" }}
      />
    </>
  );
}
