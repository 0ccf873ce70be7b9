import type { DateSelectArg, EventClickArg, EventContentArg, EventDropArg, EventMountArg, EventSourceFuncArg, DatesSetArg, EventInput } from "@fullcalendar/core";
import dayGridPlugin from "@fullcalendar/daygrid";
import interactionPlugin, { type EventResizeDoneArg } from "@fullcalendar/interaction";
import listPlugin from "@fullcalendar/list";
import luxonPlugin from "@fullcalendar/luxon3";
import FullCalendar from "@fullcalendar/react";
import timeGridPlugin from "@fullcalendar/timegrid";
import EventOutlined from "@mui/icons-material/EventOutlined";
import Repeat from "@mui/icons-material/Repeat";
import { Box, Button, Stack, Typography } from "@mui/material";
import { useCallback, useEffect, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { useMe } from "../../account/hooks/useMe";
import { ScheduleMeetingDialog, type Slot } from "../../meetings/components/ScheduleMeetingDialog";
import { zoneLabel } from "../../meetings/zonedTime";
import { listOccurrences, type Occurrence } from "../api";
import { useOnMeetingsInvalidated } from "../hooks/useOnMeetingsInvalidated";
import { dateIn, occurrenceToEvent, slotIn } from "../occurrences";
import { CancelOccurrenceDialog } from "./CancelOccurrenceDialog";
import { MoveOccurrenceDialog, type PendingMove } from "./MoveOccurrenceDialog";
import { OccurrencePopover } from "./OccurrencePopover";

const PLUGINS = [luxonPlugin, dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin];
const VIEWS = ["dayGridMonth", "timeGridWeek", "timeGridDay", "listWeek"];
const HEADER = { left: "prev,next today", center: "title", right: VIEWS.join(",") };
const BUTTONS = { today: "Today", dayGridMonth: "Month", timeGridWeek: "Week", timeGridDay: "Day", listWeek: "Agenda" };
const TIME = { hour: "2-digit", minute: "2-digit", hour12: false } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The occurrence behind an event; none for the mirror FullCalendar draws while a slot is selected. */
const occurrenceOf = (event: { extendedProps: Record<string, unknown> }) => event.extendedProps.occurrence as Occurrence | undefined;

function EventContent({ event, timeText }: EventContentArg) {
  const occurrence = occurrenceOf(event);
  return (
    <Box sx={{ display: "flex", gap: 0.5, alignItems: "flex-start", overflow: "hidden", fontSize: "0.8rem", lineHeight: 1.3 }}>
      {occurrence?.is_recurring && <Repeat aria-label="Repeats" sx={{ fontSize: "0.9rem", flexShrink: 0, mt: 0.1 }} />}
      <Box sx={{ minWidth: 0 }}>
        <Box component="span" sx={{ fontWeight: 600, mr: 0.5 }}>{timeText}</Box>
        <span>{event.title}</span>
      </Box>
    </Box>
  );
}

/** What the browser test and tools read off a rendered event (never pixels). */
function markEvent({ el, event }: EventMountArg) {
  const occurrence = occurrenceOf(event);
  if (!occurrence) return;
  el.dataset.occurrenceStart = occurrence.starts_at;
  el.dataset.occurrenceEnd = occurrence.ends_at;
  el.dataset.meetingCode = occurrence.meeting_code;
}

/** "Change time…" starts from the occurrence's own times. */
const pendingFrom = (occurrence: Occurrence): PendingMove => ({ occurrence, starts_at: occurrence.starts_at, ends_at: occurrence.ends_at });

/** The view and date to open on, from `?view=&date=` (so a week can be linked to). */
function initialPlace(params: URLSearchParams) {
  const view = params.get("view") ?? "";
  const date = params.get("date") ?? "";
  return { view: VIEWS.includes(view) ? view : "timeGridWeek", date: DATE.test(date) ? date : undefined };
}

function CalendarView({ timeZone }: { timeZone: string }) {
  const calendar = useRef<FullCalendar>(null);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [initial] = useState(() => initialPlace(params));
  // Where the calendar is, kept in the address (set after FullCalendar renders, not during it).
  const [place, setPlace] = useState<string | null>(null);
  const [empty, setEmpty] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  // What the schedule dialog opens on: a selected slot, or (Schedule button) the next full hour.
  const [scheduling, setScheduling] = useState<{ slot?: Slot } | null>(null);
  const [selected, setSelected] = useState<{ occurrence: Occurrence; anchor: HTMLElement } | null>(null);
  // A drag (put back if not saved) or "Change time…" (new times asked for in the dialog).
  const [move, setMove] = useState<(PendingMove & { revert?: () => void }) | null>(null);
  const [cancelling, setCancelling] = useState<Occurrence | null>(null);

  // Every change (made here or announced live) invalidates MEETINGS_KEY; the events are not in TanStack Query.
  const refetch = useCallback(() => calendar.current?.getApi().refetchEvents(), []);
  useOnMeetingsInvalidated(refetch);

  // Stable callbacks: a new `events` function would make FullCalendar fetch again on every render.
  const events = useCallback(async (range: EventSourceFuncArg): Promise<EventInput[]> => {
    try {
      const items = await listOccurrences(range.start.toISOString(), range.end.toISOString());
      setEmpty(items.length === 0);
      setLoadError(null);
      return items.map(occurrenceToEvent);
    } catch (error) {
      setLoadError(error);
      throw error;
    }
  }, []);

  const datesSet = useCallback(
    ({ view }: DatesSetArg) => {
      setPlace(`?${new URLSearchParams({ view: view.type, date: dateIn(view.calendar.getDate(), timeZone) })}`);
    },
    [timeZone],
  );
  useEffect(() => {
    if (place) void navigate({ search: place }, { replace: true });
  }, [navigate, place]);

  const select = useCallback(
    (info: DateSelectArg) => {
      setScheduling({ slot: slotIn(info.start, info.end, timeZone, info.allDay) });
      info.view.calendar.unselect();
    },
    [timeZone],
  );

  const eventClick = useCallback((info: EventClickArg) => {
    info.jsEvent.preventDefault();
    const occurrence = occurrenceOf(info.event);
    if (occurrence) setSelected({ occurrence, anchor: info.el });
  }, []);

  const eventChange = useCallback((info: EventDropArg | EventResizeDoneArg) => {
    const { event } = info;
    const occurrence = occurrenceOf(event);
    if (!occurrence || !event.start || !event.end) return info.revert();
    setMove({ occurrence, starts_at: event.start.toISOString(), ends_at: event.end.toISOString(), revert: info.revert });
  }, []);

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: "center", justifyContent: "space-between" }}>
        <Typography color="text.secondary" data-testid="calendar-zone">Times in {zoneLabel(timeZone)}</Typography>
        <Button variant="outlined" startIcon={<EventOutlined />} onClick={() => setScheduling({})}>Schedule</Button>
      </Stack>
      {loadError != null && <FormAlert errors={formErrors(loadError)} />}
      {/* The line is always there, so the grid doesn't move under the pointer when events arrive. */}
      <Typography role="status" color="text.secondary" sx={{ minHeight: "1.5em" }}>
        {empty ? "Nothing scheduled in this period. Select a time on the calendar to schedule a meeting." : ""}
      </Typography>
      <Box sx={{ "& .fc": { fontFamily: "inherit" }, "& .fc-event": { cursor: "pointer" } }}>
        <FullCalendar ref={calendar} plugins={PLUGINS} timeZone={timeZone} initialView={initial.view} initialDate={initial.date}
          headerToolbar={HEADER} buttonText={BUTTONS} firstDay={1} height="auto" nowIndicator scrollTime="08:00:00"
          eventTimeFormat={TIME} slotLabelFormat={TIME} selectable selectMirror editable={false} eventInteractive
          events={events} eventContent={EventContent} eventDidMount={markEvent} datesSet={datesSet} select={select}
          eventClick={eventClick} eventDrop={eventChange} eventResize={eventChange} />
      </Box>
      {scheduling && (
        <ScheduleMeetingDialog timeZone={timeZone} slot={scheduling.slot} onClose={() => setScheduling(null)} />
      )}
      {selected && (
        <OccurrencePopover occurrence={selected.occurrence} anchor={selected.anchor} timeZone={timeZone} onClose={() => setSelected(null)}
          onChangeTime={() => { setMove(pendingFrom(selected.occurrence)); setSelected(null); }}
          onCancelMeeting={() => { setCancelling(selected.occurrence); setSelected(null); }} />
      )}
      {move && (
        <MoveOccurrenceDialog move={move} timeZone={timeZone} editTime={!move.revert} onFailed={() => move.revert?.()}
          onCancel={() => { move.revert?.(); setMove(null); }}
          onSaved={() => setMove(null)} />
      )}
      {cancelling && (
        <CancelOccurrenceDialog occurrence={cancelling} timeZone={timeZone} onDone={() => setCancelling(null)} onClose={() => setCancelling(null)} />
      )}
    </Stack>
  );
}

/** `/calendar`: the meetings I host or am invited to, in my profile's time zone. */
export function CalendarPage() {
  const me = useMe();
  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">Calendar</Typography>
      {me.isPending && <Loading label="Loading your calendar" />}
      {me.isError && <FormAlert errors={formErrors(me.error)} />}
      {me.data && <CalendarView timeZone={me.data.timezone} />}
    </Stack>
  );
}
