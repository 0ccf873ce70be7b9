import { Box, Button, LinearProgress, Paper, Stack, Typography } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formErrors } from "../../../api/errors";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { FormAlert } from "../../../components/form";
import { RECORDINGS_KEY } from "../queryKeys";
import { deleteRecording, downloadUrl, recordingLink, type Recording } from "../recordingsApi";
import { transcriptFileUrl } from "../transcriptsApi";
import { formatDuration, formatTimeRange } from "../zonedTime";
import { TranscriptViewer } from "./TranscriptViewer";

function RecordingState({ recording }: { recording: Recording }) {
  switch (recording.status) {
    case "recording":
      return <Typography variant="body2" color="error.main">Recording</Typography>;
    case "processing":
      return (
        <Box>
          <Typography variant="body2">Processing {recording.progress}%</Typography>
          <LinearProgress variant="determinate" value={recording.progress} aria-label="Processing progress" sx={{ mt: 0.5, maxWidth: 240 }} />
        </Box>
      );
    case "ready":
      return (
        <Typography variant="body2">
          Ready{recording.duration_sec !== null ? ` · ${formatDuration(recording.duration_sec)}` : ""}
        </Typography>
      );
    case "failed":
      return <Typography variant="body2" color="error.main">Failed: {recording.error || "processing did not finish"}</Typography>;
  }
}

/** How the transcript is coming along; nothing when the meeting was not transcribed (or it is ready). */
function TranscriptState({ recording }: { recording: Recording }) {
  const transcript = recording.status === "ready" ? recording.transcript : null;
  if (transcript?.status === "processing") return <Typography variant="body2">Transcribing {transcript.progress}%</Typography>;
  if (transcript?.status === "failed") {
    return <Typography variant="body2" color="error.main">Transcript failed: {transcript.error || "it did not finish"}</Typography>;
  }
  return null;
}

/** One recording: its state, and for the host or an account admin: play, download, delete. */
export function RecordingListItem({ recording, timeZone }: { recording: Recording; timeZone: string }) {
  const queryClient = useQueryClient();
  const [playing, setPlaying] = useState<string | null>(null);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const transcribed = recording.transcript?.status === "ready";
  const [confirming, setConfirming] = useState(false);
  const link = useMutation({ mutationFn: () => recordingLink(recording.id) });
  const remove = useMutation({
    mutationFn: () => deleteRecording(recording.id),
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: RECORDINGS_KEY });
    },
  });
  const when = formatTimeRange(recording.started_at, recording.stopped_at, timeZone);

  // The signed link lives for minutes: ask for one at each click rather than holding one.
  const play = async () => setPlaying((await link.mutateAsync()).url);
  const download = async () => window.location.assign(downloadUrl((await link.mutateAsync()).url));

  return (
    <Paper component="li" variant="outlined" aria-label={`${recording.meeting_title}, ${when}`} sx={{ p: 2, listStyle: "none" }}>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ justifyContent: "space-between" }}>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, overflowWrap: "anywhere" }}>
            {recording.meeting_title}
          </Typography>
          <Typography variant="body2" color="text.secondary">{when}</Typography>
          <RecordingState recording={recording} />
          <TranscriptState recording={recording} />
        </Box>
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap", alignItems: "center", alignSelf: { sm: "center" } }}>
          {recording.status === "ready" &&
            (playing ? (
              <Button onClick={() => setPlaying(null)}>Hide player</Button>
            ) : (
              <Button variant="contained" onClick={() => void play().catch(() => undefined)} loading={link.isPending}>
                Play
              </Button>
            ))}
          {recording.status === "ready" && <Button onClick={() => void download().catch(() => undefined)}>Download</Button>}
          {recording.status !== "recording" && (
            <Button color="error" onClick={() => setConfirming(true)}>Delete recording</Button>
          )}
        </Stack>
      </Stack>
      {link.error && <FormAlert errors={formErrors(link.error)} />}
      {playing && (
        <Box sx={{ display: "grid", gridTemplateColumns: { xs: "1fr", md: transcribed ? "3fr 2fr" : "1fr" }, gap: 2, mt: 2, alignItems: "start" }}>
          <Box component="video" ref={setVideo} src={playing} controls autoPlay aria-label="Recording player" sx={{ display: "block", width: "100%", maxHeight: 480, bgcolor: "common.black" }}>
            {transcribed && <track kind="captions" label="Transcript" src={transcriptFileUrl(recording.id, "vtt")} default />}
          </Box>
          {transcribed && <TranscriptViewer recordingId={recording.id} video={video} />}
        </Box>
      )}
      {confirming && (
        <ConfirmDialog
          title="Delete this recording?"
          text={`The recording of “${recording.meeting_title}” (${when}) will be deleted for good.`}
          confirmLabel="Delete"
          cancelLabel="Keep recording"
          onConfirm={() => remove.mutate()}
          onClose={() => setConfirming(false)}
          pending={remove.isPending}
          errors={formErrors(remove.error)}
        />
      )}
    </Paper>
  );
}
