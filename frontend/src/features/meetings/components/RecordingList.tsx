import { Stack } from "@mui/material";
import { useEffect } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { EmptyState, Loading } from "../../../components/states";
import { LoadMore } from "../../account/components/LoadMore";
import { usePagedList } from "../../account/hooks/usePagedList";
import { recordingsListKey } from "../queryKeys";
import { listMeetingRecordings, listRecordings } from "../recordingsApi";
import { RecordingListItem } from "./RecordingListItem";

/** How often the list is read again while a recording is still being made, processed or transcribed. */
export const RECORDINGS_POLL_MS = 3000;

/** Recordings I may manage: one meeting's (`meetingCode`) or all of them. */
export function RecordingList({ meetingCode = null, timeZone }: { meetingCode?: string | null; timeZone: string }) {
  const recordings = usePagedList(recordingsListKey(meetingCode), (query) =>
    meetingCode ? listMeetingRecordings(meetingCode, query) : listRecordings(query),
  );
  const unfinished =
    recordings.data?.items.some((item) => item.status === "recording" || item.status === "processing" || item.transcript?.status === "processing") ?? false;
  const { refetch } = recordings;
  useEffect(() => {
    if (!unfinished) return;
    // Not while the tab is hidden (nobody looks); at once when it shows again.
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") void refetch();
    }, RECORDINGS_POLL_MS);
    const onVisibility = () => {
      if (document.visibilityState === "visible") void refetch();
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [unfinished, refetch]);

  if (recordings.isPending) return <Loading label="Loading recordings" />;
  if (recordings.isError) return <FormAlert errors={formErrors(recordings.error)} />;
  if (recordings.data.count === 0) return <EmptyState title={meetingCode ? "No recordings of this meeting." : "No recordings yet."} />;
  return (
    <Stack spacing={2}>
      <Stack component="ul" spacing={1.5} aria-label="Recordings" sx={{ p: 0, m: 0 }}>
        {recordings.data.items.map((recording) => (
          <RecordingListItem key={recording.id} recording={recording} timeZone={timeZone} />
        ))}
      </Stack>
      <LoadMore list={recordings} />
    </Stack>
  );
}
