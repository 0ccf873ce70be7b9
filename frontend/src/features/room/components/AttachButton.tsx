import AttachFileIcon from "@mui/icons-material/AttachFile";
import { Box, Button, LinearProgress, Typography } from "@mui/material";
import { useRef, useState, type ChangeEvent } from "react";
import { formErrors } from "../../../api/errors";
import { UploadCancelled, uploadChatFile, type ChatFiles } from "../chatFiles";

interface AttachButtonProps {
  files: ChatFiles;
  /** A private recipient; null: everyone in my room. */
  to: string | null;
  disabled: boolean;
}

interface Uploading {
  name: string;
  /** 0..1 */
  progress: number;
  cancel: () => void;
}

/** "Attach file": picks a file and sends it to the chat, with its progress and the server's refusal. */
export function AttachButton({ files, to, disabled }: AttachButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState<Uploading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { auth } = files;

  const send = (file: File) => {
    if (!auth) return;
    setError(null);
    const upload = uploadChatFile({
      ...auth,
      file,
      to,
      onProgress: (progress) => setUploading((current) => current && { ...current, progress }),
    });
    setUploading({ name: file.name, progress: 0, cancel: upload.cancel });
    // The message itself arrives over the socket like any other.
    upload.done.then(
      () => setUploading(null),
      (reason: unknown) => {
        setUploading(null);
        if (!(reason instanceof UploadCancelled)) setError(formErrors(reason).message);
      },
    );
  };

  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ""; // the same file may be picked again
    if (file) send(file);
  };

  return (
    <Box sx={{ display: "grid", gap: 0.5 }}>
      <input ref={input} type="file" hidden tabIndex={-1} aria-hidden="true" onChange={picked} />
      <Button
        variant="outlined"
        size="small"
        startIcon={<AttachFileIcon />}
        onClick={() => input.current?.click()}
        disabled={disabled || !auth || uploading !== null}
        sx={{ justifySelf: "start" }}
      >
        Attach file
      </Button>
      {uploading && (
        <Box sx={{ display: "flex", alignItems: "center", gap: 1 }}>
          <LinearProgress
            variant="determinate"
            value={Math.round(uploading.progress * 100)}
            aria-label={`Uploading ${uploading.name}`}
            sx={{ flex: 1 }}
          />
          <Button size="small" color="inherit" onClick={uploading.cancel}>
            Cancel upload
          </Button>
        </Box>
      )}
      {error && (
        <Typography role="alert" variant="body2" color="error">
          {error}
        </Typography>
      )}
    </Box>
  );
}
