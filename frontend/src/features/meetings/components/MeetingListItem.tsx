import { Box, Button, Paper, Stack, Typography } from "@mui/material";
import { useId, useState } from "react";
import { Link as RouterLink } from "react-router";
import { CopyLinkButton } from "../../../components/CopyLinkButton";
import { cancelMeeting, endMeeting, type Meeting } from "../api";
import { joinPath, shareableLink } from "../meetingLinks";
import { formatTimeRange, zoneLabel } from "../zonedTime";
import { BreakoutPlanDialog } from "./BreakoutPlanDialog";
import { ConfirmMeetingActionDialog } from "./ConfirmMeetingActionDialog";
import { ExportMeetingButton } from "./ExportMeetingButton";
import { MeetingRecordingsDialog } from "./MeetingRecordingsDialog";
import { MeetingStatusChip } from "./MeetingStatusChip";

const ACTIVE = new Set(["live", "scheduled"]);
/** Meetings that may have been recorded, or have a chat and polls to export. */
const RECORDABLE = new Set(["live", "ended"]);

function MeetingTime({ meeting, timeZone }: { meeting: Meeting; timeZone: string }) {
  // An instant meeting has no planned end; a past one shows when it really ended.
  const start = meeting.starts_at ?? meeting.started_at ?? meeting.created_at;
  const end = meeting.ends_at ?? meeting.ended_at;
  return (
    <>
      <Typography variant="body2">{formatTimeRange(start, end, timeZone)}</Typography>
      {meeting.timezone !== timeZone && (
        <Typography variant="body2" color="text.secondary">
          {formatTimeRange(start, end, meeting.timezone)} ({zoneLabel(meeting.timezone)})
        </Typography>
      )}
    </>
  );
}

const ANSWERS = [
  { rsvp: "accepted", label: "yes" },
  { rsvp: "tentative", label: "maybe" },
  { rsvp: "declined", label: "no" },
  { rsvp: "pending", label: "awaiting" },
];

/** "2 yes, 1 maybe, 3 awaiting": the invitees' answers, for the host. */
function rsvpCounts(invitees: Meeting["invitees"]): string {
  return ANSWERS.map(({ rsvp, label }) => [invitees.filter((invitee) => invitee.rsvp === rsvp).length, label] as const)
    .filter(([count]) => count > 0)
    .map(([count, label]) => `${count} ${label}`)
    .join(", ");
}

/** One meeting in a list: when, who hosts, its status, and what the user can do with it. */
export function MeetingListItem({ meeting, timeZone }: { meeting: Meeting; timeZone: string }) {
  const titleId = useId();
  const [confirming, setConfirming] = useState<"cancel" | "end" | null>(null);
  const [showRecordings, setShowRecordings] = useState(false);
  const [showBreakouts, setShowBreakouts] = useState(false);
  const active = ACTIVE.has(meeting.status);
  const hasRecordings = meeting.is_host && meeting.recording_allowed && RECORDABLE.has(meeting.status);
  const canExport = meeting.is_host && RECORDABLE.has(meeting.status);

  return (
    <Paper component="li" variant="outlined" aria-labelledby={titleId} sx={{ p: 2, listStyle: "none" }}>
      <Stack direction={{ xs: "column", md: "row" }} spacing={2} sx={{ justifyContent: "space-between" }}>
        <Box sx={{ minWidth: 0 }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: "center", mb: 0.5 }}>
            <Typography id={titleId} variant="subtitle1" component="h3" sx={{ fontWeight: 600, overflowWrap: "anywhere" }}>
              {meeting.title}
            </Typography>
            <MeetingStatusChip status={meeting.status} />
          </Stack>
          <MeetingTime meeting={meeting} timeZone={timeZone} />
          {meeting.recurrence_text && <Typography variant="body2">{meeting.recurrence_text}</Typography>}
          <Typography variant="body2" color="text.secondary">
            Host: {meeting.is_host ? `${meeting.host.name} (you)` : meeting.host.name}
          </Typography>
          {meeting.is_host && meeting.invitees.length > 0 && (
            <Typography variant="body2" color="text.secondary">Invitees: {rsvpCounts(meeting.invitees)}</Typography>
          )}
        </Box>
        {(active || hasRecordings || canExport) && (
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap", alignItems: "center", alignSelf: { md: "center" } }}>
            {active && (
              <>
                <Button component={RouterLink} to={joinPath(meeting.code, meeting.passcode ?? "")} variant="contained">
                  Join
                </Button>
                <CopyLinkButton link={shareableLink(meeting)} />
              </>
            )}
            {hasRecordings && <Button onClick={() => setShowRecordings(true)}>Recordings</Button>}
            {canExport && <ExportMeetingButton meeting={meeting} timeZone={timeZone} />}
            {meeting.is_host && meeting.status === "scheduled" && <Button onClick={() => setShowBreakouts(true)}>Breakout rooms</Button>}
            {meeting.is_host && meeting.status === "scheduled" && (
              <Button color="error" onClick={() => setConfirming("cancel")}>Cancel meeting</Button>
            )}
            {meeting.is_host && meeting.status === "live" && (
              <Button color="error" onClick={() => setConfirming("end")}>End meeting</Button>
            )}
          </Stack>
        )}
      </Stack>
      {showRecordings && (
        <MeetingRecordingsDialog code={meeting.code} title={meeting.title} timeZone={timeZone} onClose={() => setShowRecordings(false)} />
      )}
      {showBreakouts && (
        <BreakoutPlanDialog
          code={meeting.code}
          title={meeting.title}
          invitees={meeting.invitees.map((invitee) => invitee.email)}
          onClose={() => setShowBreakouts(false)}
        />
      )}
      {confirming === "cancel" && (
        <ConfirmMeetingActionDialog title="Cancel this meeting?" text={`“${meeting.title}” will be cancelled for everyone invited.`}
          confirmLabel="Cancel meeting" action={() => cancelMeeting(meeting.code)} onClose={() => setConfirming(null)} />
      )}
      {confirming === "end" && (
        <ConfirmMeetingActionDialog title="End this meeting for everyone?" text={`Everyone in “${meeting.title}” will be disconnected.`}
          confirmLabel="End meeting" action={() => endMeeting(meeting.code)} onClose={() => setConfirming(null)} />
      )}
    </Paper>
  );
}
