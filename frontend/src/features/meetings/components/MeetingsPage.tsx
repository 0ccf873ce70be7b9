import { Stack, Tab, Tabs, Typography } from "@mui/material";
import { useState } from "react";
import type { MeetingScope } from "../api";
import { useUserTimeZone } from "../hooks/useUserTimeZone";
import { JoinByCodeForm } from "./JoinByCodeForm";
import { MeetingList } from "./MeetingList";
import { NewMeetingMenu } from "./NewMeetingMenu";
import { RecordingList } from "./RecordingList";

type TabValue = MeetingScope | "recordings";

const TABS: { value: TabValue; label: string }[] = [
  { value: "upcoming", label: "Upcoming" },
  { value: "past", label: "Past" },
  { value: "recordings", label: "Recordings" },
];

export function MeetingsPage() {
  const timeZone = useUserTimeZone();
  const [tab, setTab] = useState<TabValue>("upcoming");

  return (
    <Stack spacing={3}>
      <Stack direction="row" spacing={2} sx={{ justifyContent: "space-between", alignItems: "flex-start" }}>
        <Typography variant="h4" component="h1">
          Meetings
        </Typography>
        <NewMeetingMenu timeZone={timeZone} />
      </Stack>
      <JoinByCodeForm />
      <Stack spacing={2}>
        <Tabs value={tab} onChange={(_, value: TabValue) => setTab(value)} aria-label="Meetings to show"
          sx={{ borderBottom: 1, borderColor: "divider" }}>
          {TABS.map(({ value, label }) => (
            <Tab key={value} value={value} label={label} id={`meetings-tab-${value}`} aria-controls="meetings-tabpanel" />
          ))}
        </Tabs>
        <div role="tabpanel" id="meetings-tabpanel" aria-labelledby={`meetings-tab-${tab}`}>
          {tab === "recordings" ? <RecordingList timeZone={timeZone} /> : <MeetingList key={tab} scope={tab} timeZone={timeZone} />}
        </div>
      </Stack>
    </Stack>
  );
}
