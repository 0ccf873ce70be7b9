import DeleteOutlineIcon from "@mui/icons-material/DeleteOutline";
import DownloadIcon from "@mui/icons-material/Download";
import InsertDriveFileOutlinedIcon from "@mui/icons-material/InsertDriveFileOutlined";
import { Box, IconButton, Typography } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formErrors } from "../../../api/errors";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { chatFileLink, fileSize, removeChatFile, saveFile, type ChatFileLink, type ChatFiles, type ChatFilesAuth } from "../chatFiles";
import type { Attachment, ChatMessage } from "../types";

/** Links are reused until shortly before they expire. */
const LINK_MARGIN_MS = 30_000;

function linkQuery(auth: ChatFilesAuth, fileId: string) {
  return {
    queryKey: ["chat-file-link", auth.code, fileId],
    queryFn: () => chatFileLink(auth, fileId),
    staleTime: (query: { state: { data?: ChatFileLink } }) =>
      query.state.data ? Math.max(0, Date.parse(query.state.data.expires_at) - Date.now() - LINK_MARGIN_MS) : 0,
    retry: false,
  };
}

/** An image's preview, loaded through a signed link. */
function Preview({ attachment, auth }: { attachment: Attachment; auth: ChatFilesAuth }) {
  const link = useQuery(linkQuery(auth, attachment.id));
  if (!link.data) return null;
  return (
    <Box
      component="img"
      src={link.data.url}
      alt={attachment.name}
      sx={{ display: "block", maxWidth: "100%", maxHeight: 200, mt: 0.5, borderRadius: 1, objectFit: "contain" }}
    />
  );
}

interface ChatAttachmentProps {
  attachment: Attachment;
  files: ChatFiles;
}

/** A shared file: its name and size, a download, a preview for images, and (hosts) removal. */
export function ChatAttachment({ attachment, files }: ChatAttachmentProps) {
  const { auth, canRemove } = files;
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const download = useMutation({
    mutationFn: async (given: ChatFilesAuth) => {
      const link = await queryClient.fetchQuery(linkQuery(given, attachment.id));
      saveFile(link.url, attachment.name);
    },
  });
  const remove = useMutation({
    mutationFn: (given: ChatFilesAuth) => removeChatFile(given, attachment.id),
    // The server sends the changed message (chat.updated): this row goes by itself.
    onSuccess: () => setConfirming(false),
  });
  const { name } = attachment;
  return (
    <Box sx={{ mt: 0.5 }}>
      <Box sx={{ display: "flex", alignItems: "center", gap: 0.5, minWidth: 0 }}>
        <InsertDriveFileOutlinedIcon fontSize="small" color="action" aria-hidden="true" />
        <Box sx={{ minWidth: 0, flex: 1 }}>
          <Typography variant="body2" sx={{ overflowWrap: "anywhere" }}>
            {name}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {fileSize(attachment.size_bytes)}
          </Typography>
        </Box>
        <IconButton
          size="small"
          aria-label={`Download ${name}`}
          title="Download"
          disabled={!auth}
          loading={download.isPending}
          onClick={() => auth && download.mutate(auth)}
        >
          <DownloadIcon fontSize="small" />
        </IconButton>
        {canRemove && (
          <IconButton size="small" aria-label={`Remove ${name}`} title="Remove" disabled={!auth} onClick={() => setConfirming(true)}>
            <DeleteOutlineIcon fontSize="small" />
          </IconButton>
        )}
      </Box>
      {download.error && (
        <Typography role="alert" variant="caption" color="error">
          {formErrors(download.error).message}
        </Typography>
      )}
      {attachment.is_image && auth && <Preview attachment={attachment} auth={auth} />}
      {confirming && (
        <ConfirmDialog
          title="Remove file?"
          text={`Everyone will see "File removed by the host" instead of ${name}.`}
          confirmLabel="Remove"
          cancelLabel="Keep file"
          pending={remove.isPending}
          errors={remove.error ? formErrors(remove.error) : undefined}
          onConfirm={() => auth && remove.mutate(auth)}
          onClose={() => {
            setConfirming(false);
            remove.reset();
          }}
        />
      )}
    </Box>
  );
}

/** The files of a chat message (none once the host removed them). */
export function ChatAttachments({ message, files }: { message: ChatMessage; files: ChatFiles }) {
  return message.attachments.map((attachment) => <ChatAttachment key={attachment.id} attachment={attachment} files={files} />);
}
