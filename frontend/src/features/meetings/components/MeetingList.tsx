import { Stack } from "@mui/material";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { EmptyState, Loading } from "../../../components/states";
import { LoadMore } from "../../account/components/LoadMore";
import { usePagedList } from "../../account/hooks/usePagedList";
import { listMeetings, type MeetingScope } from "../api";
import { meetingsListKey } from "../queryKeys";
import { MeetingListItem } from "./MeetingListItem";

const EMPTY: Record<MeetingScope, string> = {
  upcoming: "No upcoming meetings. Start one now or schedule one.",
  past: "No past meetings yet.",
};

/** The user's upcoming or past meetings, a page at a time. */
export function MeetingList({ scope, timeZone }: { scope: MeetingScope; timeZone: string }) {
  const meetings = usePagedList(meetingsListKey(scope), (query) => listMeetings(scope, query));

  if (meetings.isPending) return <Loading label="Loading meetings" />;
  if (meetings.isError) return <FormAlert errors={formErrors(meetings.error)} />;
  if (meetings.data.count === 0) return <EmptyState title={EMPTY[scope]} />;
  return (
    <Stack spacing={2}>
      <Stack component="ul" spacing={1.5} aria-label={scope === "upcoming" ? "Upcoming meetings" : "Past meetings"} sx={{ p: 0, m: 0 }}>
        {meetings.data.items.map((meeting) => (
          <MeetingListItem key={meeting.id} meeting={meeting} timeZone={timeZone} />
        ))}
      </Stack>
      <LoadMore list={meetings} />
    </Stack>
  );
}
