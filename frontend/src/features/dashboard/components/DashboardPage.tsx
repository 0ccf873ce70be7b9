import Add from "@mui/icons-material/Add";
import EventOutlined from "@mui/icons-material/EventOutlined";
import Repeat from "@mui/icons-material/Repeat";
import { Box, Button, Paper, Stack, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useId, useState, type ReactNode } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { EmptyState, Loading } from "../../../components/states";
import type { Occurrence } from "../../calendar/api";
import { JoinOccurrenceButton } from "../../calendar/components/JoinOccurrenceButton";
import { meetingZoneNote } from "../../calendar/occurrences";
import { JoinByCodeForm } from "../../meetings/components/JoinByCodeForm";
import { MeetingListItem } from "../../meetings/components/MeetingListItem";
import { ScheduleMeetingDialog } from "../../meetings/components/ScheduleMeetingDialog";
import { useStartInstantMeeting } from "../../meetings/hooks/useStartInstantMeeting";
import { useUserTimeZone } from "../../meetings/hooks/useUserTimeZone";
import { formatTimeRange } from "../../meetings/zonedTime";
import { recentQuery, upcomingQuery } from "../queries";

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <Stack component="section" spacing={1.5} aria-labelledby={id}>
      <Typography id={id} variant="h6" component="h2">{title}</Typography>
      {children}
    </Stack>
  );
}

function UpcomingItem({ occurrence, timeZone }: { occurrence: Occurrence; timeZone: string }) {
  const titleId = useId();
  const note = meetingZoneNote(occurrence.starts_at, occurrence.timezone, timeZone);
  return (
    <Paper component="li" variant="outlined" aria-labelledby={titleId} data-occurrence-start={occurrence.starts_at}
      sx={{ p: 2, listStyle: "none" }}>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ justifyContent: "space-between" }}>
        <Box sx={{ minWidth: 0 }}>
          <Stack direction="row" spacing={0.5} sx={{ alignItems: "center" }}>
            {occurrence.is_recurring && <Repeat fontSize="small" aria-label="Repeats" />}
            <Typography id={titleId} variant="subtitle1" component="h3" sx={{ fontWeight: 600, overflowWrap: "anywhere" }}>
              {occurrence.title}
            </Typography>
          </Stack>
          <Typography variant="body2">
            {formatTimeRange(occurrence.starts_at, occurrence.ends_at, timeZone)} {note}
          </Typography>
          {occurrence.is_host && <Typography variant="body2" color="text.secondary">You are the host</Typography>}
        </Box>
        <JoinOccurrenceButton occurrence={occurrence} />
      </Stack>
    </Paper>
  );
}

function Upcoming({ timeZone }: { timeZone: string }) {
  const upcoming = useQuery(upcomingQuery);
  if (upcoming.isPending) return <Loading label="Loading upcoming meetings" />;
  if (upcoming.isError) return <FormAlert errors={formErrors(upcoming.error)} />;
  if (upcoming.data.length === 0) return <EmptyState title="Nothing in the next 7 days." />;
  return (
    <Stack component="ul" spacing={1.5} aria-label="Upcoming meetings" sx={{ p: 0, m: 0 }}>
      {upcoming.data.map((occurrence) => <UpcomingItem key={occurrence.id} occurrence={occurrence} timeZone={timeZone} />)}
    </Stack>
  );
}

function Recent({ timeZone }: { timeZone: string }) {
  const recent = useQuery(recentQuery);
  if (recent.isPending) return <Loading label="Loading recent meetings" />;
  if (recent.isError) return <FormAlert errors={formErrors(recent.error)} />;
  if (recent.data.count === 0) return <EmptyState title="No past meetings yet." />;
  return (
    <Stack component="ul" spacing={1.5} aria-label="Recent meetings" sx={{ p: 0, m: 0 }}>
      {recent.data.items.map((meeting) => <MeetingListItem key={meeting.id} meeting={meeting} timeZone={timeZone} />)}
    </Stack>
  );
}

/** `/dashboard`, the signed-in home: the week ahead, recent meetings and the quick actions. */
export function DashboardPage() {
  const timeZone = useUserTimeZone();
  const startNow = useStartInstantMeeting();
  const [scheduling, setScheduling] = useState(false);

  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">Home</Typography>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap" }}>
        <Button variant="contained" startIcon={<Add />} loading={startNow.isPending} onClick={() => startNow.mutate()}>
          New meeting
        </Button>
        <Button variant="outlined" startIcon={<EventOutlined />} onClick={() => setScheduling(true)}>
          Schedule
        </Button>
      </Stack>
      <FormAlert errors={formErrors(startNow.error)} />
      <JoinByCodeForm />
      <Section title="Next 7 days">
        <Upcoming timeZone={timeZone} />
      </Section>
      <Section title="Recent meetings">
        <Recent timeZone={timeZone} />
      </Section>
      {scheduling && <ScheduleMeetingDialog timeZone={timeZone} onClose={() => setScheduling(false)} />}
    </Stack>
  );
}
