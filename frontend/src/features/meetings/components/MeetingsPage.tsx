import { Stack, Tab, Tabs, Typography } from "@mui/material";
import { useState } from "react";
import type { MeetingScope } from "../api";
import { useUserTimeZone } from "../hooks/useUserTimeZone";
import { JoinByCodeForm } from "./JoinByCodeForm";
import { MeetingList } from "./MeetingList";
import { NewMeetingMenu } from "./NewMeetingMenu";

const TABS: { scope: MeetingScope; label: string }[] = [
  { scope: "upcoming", label: "Upcoming" },
  { scope: "past", label: "Past" },
];

export function MeetingsPage() {
  const timeZone = useUserTimeZone();
  const [scope, setScope] = useState<MeetingScope>("upcoming");

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
        <Tabs value={scope} onChange={(_, value: MeetingScope) => setScope(value)} aria-label="Meetings to show"
          sx={{ borderBottom: 1, borderColor: "divider" }}>
          {TABS.map((tab) => (
            <Tab key={tab.scope} value={tab.scope} label={tab.label} id={`meetings-tab-${tab.scope}`} aria-controls="meetings-tabpanel" />
          ))}
        </Tabs>
        <div role="tabpanel" id="meetings-tabpanel" aria-labelledby={`meetings-tab-${scope}`}>
          <MeetingList key={scope} scope={scope} timeZone={timeZone} />
        </div>
      </Stack>
    </Stack>
  );
}
