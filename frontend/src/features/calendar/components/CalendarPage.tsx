import type { DateSelectArg, EventClickArg, EventContentArg, EventDropArg, EventMountArg, EventSourceFuncArg, DatesSetArg, EventInput } from "@fullcalendar/core";
import dayGridPlugin from "@fullcalendar/daygrid";
import interactionPlugin, { type EventResizeDoneArg } from "@fullcalendar/interaction";
import listPlugin from "@fullcalendar/list";
import luxonPlugin from "@fullcalendar/luxon3";
import FullCalendar from "@fullcalendar/react";
import timeGridPlugin from "@fullcalendar/timegrid";
import Repeat from "@mui/icons-material/Repeat";
import { Box, Stack, Typography } from "@mui/material";
import { useCallback, useEffect, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { useMe } from "../../account/hooks/useMe";
import { ScheduleMeetingDialog, type Slot } from "../../meetings/components/ScheduleMeetingDialog";
import { zoneLabel } from "../../meetings/zonedTime";
import { listOccurrences, type Occurrence } from "../api";
import { dateIn, occurrenceToEvent, slotIn } from "../occurrences";
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
  const [slot, setSlot] = useState<Slot | null>(null);
  const [selected, setSelected] = useState<{ occurrence: Occurrence; anchor: HTMLElement } | null>(null);
  const [move, setMove] = useState<(PendingMove & { revert: () => void }) | null>(null);

  const refetch = () => calendar.current?.getApi().refetchEvents();

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
      setSlot(slotIn(info.start, info.end, timeZone, info.allDay));
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
      <Typography color="text.secondary" data-testid="calendar-zone">Times in {zoneLabel(timeZone)}</Typography>
      {loadError != null && <FormAlert errors={formErrors(loadError)} />}
      {empty && (
        <Typography role="status" color="text.secondary">
          Nothing scheduled in this period. Select a time on the calendar to schedule a meeting.
        </Typography>
      )}
      <Box sx={{ "& .fc": { fontFamily: "inherit" }, "& .fc-event": { cursor: "pointer" } }}>
        <FullCalendar ref={calendar} plugins={PLUGINS} timeZone={timeZone} initialView={initial.view} initialDate={initial.date}
          headerToolbar={HEADER} buttonText={BUTTONS} firstDay={1} height="auto" nowIndicator scrollTime="08:00:00"
          eventTimeFormat={TIME} slotLabelFormat={TIME} selectable selectMirror editable={false} eventInteractive
          events={events} eventContent={EventContent} eventDidMount={markEvent} datesSet={datesSet} select={select}
          eventClick={eventClick} eventDrop={eventChange} eventResize={eventChange} />
      </Box>
      {slot && (
        <ScheduleMeetingDialog timeZone={timeZone} slot={slot} onClose={() => { setSlot(null); refetch(); }} />
      )}
      {selected && (
        <OccurrencePopover occurrence={selected.occurrence} anchor={selected.anchor} timeZone={timeZone} onClose={() => setSelected(null)} />
      )}
      {move && (
        <MoveOccurrenceDialog move={move} timeZone={timeZone} onFailed={move.revert}
          onCancel={() => { move.revert(); setMove(null); }}
          onSaved={() => { setMove(null); refetch(); }} />
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
