import Repeat from "@mui/icons-material/Repeat";
import { Button, Popover, Stack, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link as RouterLink } from "react-router";
import { getMeeting } from "../../meetings/api";
import { joinPath } from "../../meetings/meetingLinks";
import { MEETINGS_KEY } from "../../meetings/queryKeys";
import { formatTimeRange } from "../../meetings/zonedTime";
import type { Occurrence } from "../api";
import { meetingZoneNote } from "../occurrences";
import { JoinOccurrenceButton } from "./JoinOccurrenceButton";

const RSVP: Record<string, string> = {
  accepted: "Going",
  tentative: "Maybe",
  declined: "Not going",
};

interface Props {
  occurrence: Occurrence;
  anchor: HTMLElement;
  timeZone: string;
  onClose: () => void;
  /** The host's keyboard-friendly alternatives to dragging, and cancelling. */
  onChangeTime: () => void;
  onCancelMeeting: () => void;
}

/**
 * What a click on a calendar event shows: when (in my zone and the meeting's), who hosts, my answer,
 * Open and Join; for the host also Change time and Cancel.
 */
export function OccurrencePopover({ occurrence, anchor, timeZone, onClose, onChangeTime, onCancelMeeting }: Props) {
  const titleId = useId();
  // The series' wording and its host come with the meeting itself.
  const meeting = useQuery({
    queryKey: [...MEETINGS_KEY, "detail", occurrence.meeting_code],
    queryFn: () => getMeeting(occurrence.meeting_code),
  });
  const note = meetingZoneNote(occurrence.starts_at, occurrence.timezone, timeZone);
  const rsvp = occurrence.is_host ? "You are the host" : `Your answer: ${RSVP[occurrence.my_rsvp ?? ""] ?? "not answered yet"}`;
  const meetingPage = joinPath(occurrence.meeting_code);

  return (
    <Popover open anchorEl={anchor} onClose={onClose} anchorOrigin={{ vertical: "bottom", horizontal: "left" }}
      slotProps={{ paper: { role: "dialog", "aria-labelledby": titleId, sx: { p: 2, maxWidth: 380 } } }}>
      <Stack spacing={1}>
        <Typography id={titleId} variant="subtitle1" component="h2" sx={{ fontWeight: 600, overflowWrap: "anywhere" }}>
          {occurrence.title}
        </Typography>
        <Typography variant="body2">
          {formatTimeRange(occurrence.starts_at, occurrence.ends_at, timeZone)} {note}
        </Typography>
        {occurrence.is_recurring && (
          <Stack direction="row" spacing={0.5} sx={{ alignItems: "center" }}>
            <Repeat fontSize="small" aria-hidden />
            <Typography variant="body2">{meeting.data?.recurrence_text || "Repeating meeting"}</Typography>
          </Stack>
        )}
        {meeting.data && <Typography variant="body2" color="text.secondary">Host: {meeting.data.host.name}</Typography>}
        <Typography variant="body2" color="text.secondary">{rsvp}</Typography>
        {occurrence.is_host && (
          <Stack direction="row" spacing={1} sx={{ justifyContent: "flex-end", pt: 1 }}>
            <Button onClick={onChangeTime}>Change time…</Button>
            <Button color="error" onClick={onCancelMeeting}>Cancel this meeting</Button>
          </Stack>
        )}
        <Stack direction="row" spacing={1} sx={{ justifyContent: "flex-end", alignItems: "flex-start", pt: 1 }}>
          <Button component={RouterLink} to={meetingPage}>Open</Button>
          <JoinOccurrenceButton occurrence={occurrence} to={joinPath(occurrence.meeting_code, meeting.data?.passcode ?? "")} />
        </Stack>
      </Stack>
    </Popover>
  );
}
