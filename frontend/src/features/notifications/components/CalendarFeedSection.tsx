import ContentCopy from "@mui/icons-material/ContentCopy";
import { Alert, Button, IconButton, InputAdornment, Stack, TextField, Typography } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FocusEvent } from "react";
import { formErrors } from "../../../api/errors";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { useCopyText } from "../../../hooks/useCopyText";
import { SectionCard } from "../../account/components/SectionCard";
import { createCalendarFeed, deleteCalendarFeed, getCalendarFeed, type CalendarFeed } from "../api";
import { CALENDAR_FEED_KEY } from "../queryKeys";

type Links = { webcal: string; https: string };

function CopyField({ label, value }: { label: string; value: string }) {
  const { copy, result, open } = useCopyText();
  return (
    <TextField label={label} value={value} fullWidth size="small"
      helperText={open ? (result.ok ? "Copied" : "Could not copy: select the link and copy it yourself.") : " "}
      slotProps={{
        htmlInput: { readOnly: true, onFocus: (e: FocusEvent<HTMLInputElement>) => e.target.select() },
        input: {
          endAdornment: (
            <InputAdornment position="end">
              <IconButton aria-label={`Copy ${label}`} edge="end" onClick={() => void copy(value)}>
                <ContentCopy />
              </IconButton>
            </InputAdornment>
          ),
        },
      }} />
  );
}

/** The links that add the feed to each calendar app, and the raw URLs to paste elsewhere. */
function NewLinks({ links }: { links: Links }) {
  const google = `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(links.webcal)}`;
  const outlook = `https://outlook.live.com/calendar/0/addfromweb?url=${encodeURIComponent(links.https)}&name=${encodeURIComponent("aapoon meet")}`;
  return (
    <Stack spacing={2}>
      <Alert severity="warning">
        Copy this link now: we show it only once. Anyone with it can see your meetings, so keep it private. If you lose
        it, regenerate it.
      </Alert>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={1}>
        <Button variant="outlined" href={google} target="_blank" rel="noopener noreferrer">Subscribe in Google Calendar</Button>
        <Button variant="outlined" href={outlook} target="_blank" rel="noopener noreferrer">Subscribe in Outlook</Button>
        <Button variant="outlined" href={links.webcal}>Subscribe in Apple Calendar</Button>
      </Stack>
      <CopyField label="Calendar link (webcal)" value={links.webcal} />
      <CopyField label="Calendar link (https)" value={links.https} />
    </Stack>
  );
}

const createdOn = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** A private iCalendar feed of the person's meetings: made, regenerated (old URL dies) or turned off. */
export function CalendarFeedSection() {
  const queryClient = useQueryClient();
  const feed = useQuery({ queryKey: CALENDAR_FEED_KEY, queryFn: getCalendarFeed });
  // The server keeps only a hash of the token: the URL exists in this page only right after it was made.
  const [links, setLinks] = useState<Links | null>(null);
  const [confirming, setConfirming] = useState<"regenerate" | "off" | null>(null);
  const create = useMutation({
    mutationFn: createCalendarFeed,
    onSuccess: (made: CalendarFeed) => {
      setConfirming(null);
      queryClient.setQueryData(CALENDAR_FEED_KEY, { ...made, webcal_url: null, https_url: null });
      setLinks(made.webcal_url && made.https_url ? { webcal: made.webcal_url, https: made.https_url } : null);
    },
  });
  const turnOff = useMutation({
    mutationFn: deleteCalendarFeed,
    onSuccess: () => {
      setConfirming(null);
      setLinks(null);
      void queryClient.invalidateQueries({ queryKey: CALENDAR_FEED_KEY });
    },
  });

  let body;
  if (feed.isPending) body = <Loading />;
  else if (feed.isError) body = <FormAlert errors={formErrors(feed.error)} />;
  else if (!feed.data.active)
    body = (
      <>
        <FormAlert errors={formErrors(create.error)} />
        <div>
          <Button variant="contained" loading={create.isPending} onClick={() => create.mutate()}>
            Create calendar link
          </Button>
        </div>
      </>
    );
  else
    body = (
      <>
        {links ? (
          <NewLinks links={links} />
        ) : (
          <Typography color="text.secondary">
            Your calendar link is on
            {feed.data.created_at && ` (made ${createdOn.format(new Date(feed.data.created_at))})`}. For your security we
            show it only when it is made: if you need it again, regenerate it.
          </Typography>
        )}
        <Stack direction="row" spacing={1}>
          <Button variant="outlined" onClick={() => { create.reset(); setConfirming("regenerate"); }}>Regenerate link</Button>
          <Button color="error" onClick={() => { turnOff.reset(); setConfirming("off"); }}>Turn off</Button>
        </Stack>
      </>
    );

  return (
    <SectionCard title="Calendar feed"
      description="See your meetings in Google Calendar, Outlook or Apple Calendar through a private link they keep up to date.">
      {body}
      <ConfirmDialog open={confirming === "regenerate"} title="Regenerate the calendar link?"
        text="The current link stops working: calendars subscribed to it stop updating until you subscribe them to the new one."
        confirmLabel="Regenerate" onConfirm={() => create.mutate()} onClose={() => setConfirming(null)}
        pending={create.isPending} errors={formErrors(create.error)} />
      <ConfirmDialog open={confirming === "off"} title="Turn off the calendar feed?"
        text="The link stops working and calendars subscribed to it stop updating. You can make a new one later."
        confirmLabel="Turn off" onConfirm={() => turnOff.mutate()} onClose={() => setConfirming(null)}
        pending={turnOff.isPending} errors={formErrors(turnOff.error)} />
    </SectionCard>
  );
}
