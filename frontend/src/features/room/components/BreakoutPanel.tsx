import DeleteIcon from "@mui/icons-material/DeleteOutline";
import DragIndicatorIcon from "@mui/icons-material/DragIndicator";
import {
  Box,
  Button,
  Divider,
  FormControlLabel,
  IconButton,
  List,
  ListItem,
  MenuItem,
  Paper,
  Switch,
  TextField,
  Typography,
} from "@mui/material";
import { useState, type DragEvent, type FormEvent, type ReactNode } from "react";
import { useNow } from "../../../hooks/useNow";
import { roomLabel } from "../breakoutState";
import { clock, secondsUntil } from "../countdown";
import { isModerator } from "../roomState";
import type { Breakout, BreakoutMessage, Participant, Role } from "../types";
import { CountdownSelect } from "./CountdownSelect";
import { SidePanel } from "./SidePanel";

const MAX_ROOMS = 100;
const NOT_ASSIGNED = "";
const DRAG_TYPE = "application/x-aapoon-participant";

interface BreakoutPanelProps {
  plan: Breakout;
  me: { id: string; role: Role };
  /** Everyone in the meeting (ourselves included), with the room each is in. */
  participants: Participant[];
  send: (message: BreakoutMessage) => void;
  onClose: () => void;
}

type Send = BreakoutPanelProps["send"];

/** The rooms as `breakout_configure` takes them, with `change` applied. */
function roomsWith(plan: Breakout, change: (rooms: { id?: string; name: string }[]) => { id?: string; name: string }[]) {
  return change(plan.rooms.map((room) => ({ id: room.id, name: room.name })));
}

/** "Room 3", the first such name not taken. */
function nextRoomName(plan: Breakout): string {
  const taken = new Set(plan.rooms.map((room) => room.name.toLowerCase()));
  let n = plan.rooms.length + 1;
  while (taken.has(`room ${n}`)) n++;
  return `Room ${n}`;
}

/** Hosts set up, open, run and close breakout rooms; others (when allowed) pick one here. */
export function BreakoutPanel({ plan, me, participants, send, onClose }: BreakoutPanelProps) {
  const moderator = isModerator(me.role);
  const myRoom = participants.find((p) => p.id === me.id)?.breakout_room_id ?? null;
  return (
    <SidePanel label="Breakout rooms" onClose={onClose}>
      <Box
        sx={{
          flex: 1,
          overflowY: "auto",
          minHeight: 0,
          p: 2,
          display: "grid",
          // Children shrink to the panel (and its scrollbar) instead of overflowing it.
          gridTemplateColumns: "minmax(0, 1fr)",
          gap: 2,
          alignContent: "start",
        }}
      >
        {!moderator ? (
          <RoomChooser plan={plan} myRoom={myRoom} send={send} />
        ) : plan.rooms.length === 0 ? (
          <CreateRooms participants={participants.length} send={send} />
        ) : (
          <>
            {/* Keyed by the timer: another host's change shows here too. */}
            {plan.status === "closed" && <RoomSettings key={plan.duration_minutes ?? "none"} plan={plan} send={send} />}
            {plan.status !== "closed" && <LiveControls plan={plan} myRoom={myRoom} send={send} />}
            <AssignmentBoard plan={plan} me={me} participants={participants} send={send} />
          </>
        )}
      </Box>
    </SidePanel>
  );
}

function CreateRooms({ participants, send }: { participants: number; send: Send }) {
  const [count, setCount] = useState(String(Math.max(2, Math.min(MAX_ROOMS, Math.ceil((participants - 1) / 3)))));
  const value = Number(count);
  const valid = Number.isInteger(value) && value >= 1 && value <= MAX_ROOMS;
  const create = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    send({ type: "breakout_configure", rooms: Array.from({ length: value }, (_, i) => ({ name: `Room ${i + 1}` })) });
  };
  return (
    <Box component="form" onSubmit={create} sx={{ display: "grid", gap: 2 }}>
      <Typography>Split the meeting into smaller rooms, each with its own video and chat.</Typography>
      <TextField
        label="Number of rooms"
        type="number"
        value={count}
        onChange={(event) => setCount(event.target.value)}
        error={!valid}
        helperText={valid ? " " : `Between 1 and ${MAX_ROOMS}`}
        slotProps={{ htmlInput: { min: 1, max: MAX_ROOMS } }}
      />
      <Button type="submit" variant="contained" disabled={!valid}>
        Create rooms
      </Button>
    </Box>
  );
}

function RoomSettings({ plan, send }: { plan: Breakout; send: Send }) {
  const configure = (settings: Partial<Extract<BreakoutMessage, { type: "breakout_configure" }>>, rooms = roomsWith(plan, (r) => r)) =>
    send({ type: "breakout_configure", rooms, ...settings });
  const [timer, setTimer] = useState(plan.duration_minutes === null ? "" : String(plan.duration_minutes));
  const minutes = timer.trim() === "" ? null : Number(timer);
  const timerValid = minutes === null || (Number.isInteger(minutes) && minutes >= 1 && minutes <= 720);
  return (
    <Box sx={{ display: "grid", gap: 1.5 }}>
      {plan.rooms.map((room, index) => (
        <RoomName
          key={`${room.id}:${room.name}`}
          label={`Room ${index + 1} name`}
          name={room.name}
          canRemove={plan.rooms.length > 1}
          onRename={(name) => configure({}, roomsWith(plan, (rooms) => rooms.map((r) => (r.id === room.id ? { ...r, name } : r))))}
          onRemove={() => configure({}, roomsWith(plan, (rooms) => rooms.filter((r) => r.id !== room.id)))}
        />
      ))}
      <Box sx={{ display: "flex", gap: 1, flexWrap: "wrap" }}>
        <Button
          size="small"
          disabled={plan.rooms.length >= MAX_ROOMS}
          onClick={() => configure({}, roomsWith(plan, (rooms) => [...rooms, { name: nextRoomName(plan) }]))}
        >
          Add room
        </Button>
        <Button size="small" onClick={() => send({ type: "breakout_auto_assign" })}>
          Assign automatically
        </Button>
      </Box>
      <FormControlLabel
        control={<Switch checked={plan.allow_choosing} onChange={(event) => configure({ allow_choosing: event.target.checked })} />}
        label="Let participants choose a room"
      />
      <Box sx={{ display: "flex", gap: 2 }}>
        <TextField
          label="Timer (minutes)"
          value={timer}
          onChange={(event) => setTimer(event.target.value)}
          onBlur={() => timerValid && minutes !== plan.duration_minutes && configure({ duration_minutes: minutes })}
          error={!timerValid}
          helperText={timerValid ? "Empty: no timer" : "1 to 720 minutes"}
          slotProps={{ htmlInput: { inputMode: "numeric" } }}
          sx={{ flex: 1 }}
        />
        <CountdownSelect value={plan.countdown_seconds} onChange={(seconds) => configure({ countdown_seconds: seconds })} />
      </Box>
      <Button variant="contained" onClick={() => send({ type: "breakout_open" })}>
        Open all rooms
      </Button>
    </Box>
  );
}

function RoomName(props: { label: string; name: string; canRemove: boolean; onRename: (name: string) => void; onRemove: () => void }) {
  const [draft, setDraft] = useState(props.name);
  const trimmed = draft.trim();
  const commit = () => {
    if (trimmed && trimmed !== props.name) props.onRename(trimmed);
    else setDraft(props.name);
  };
  return (
    <Box sx={{ display: "flex", alignItems: "center", gap: 1 }}>
      <TextField
        size="small"
        label={props.label}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => event.key === "Enter" && commit()}
        slotProps={{ htmlInput: { maxLength: 60 } }}
        sx={{ flex: 1 }}
      />
      {props.canRemove && (
        <IconButton aria-label={`Remove ${props.name}`} onClick={props.onRemove}>
          <DeleteIcon />
        </IconButton>
      )}
    </Box>
  );
}

function LiveControls({ plan, myRoom, send }: { plan: Breakout; myRoom: string | null; send: Send }) {
  const now = useNow(1000);
  const [message, setMessage] = useState("");
  if (plan.status === "closing") {
    return <Typography role="status">Rooms close in {clock(secondsUntil(plan.closes_at, now) ?? 0)}</Typography>;
  }
  const left = secondsUntil(plan.ends_at, now);
  const broadcast = (event: FormEvent) => {
    event.preventDefault();
    if (!message.trim()) return;
    send({ type: "breakout_broadcast", text: message.trim() });
    setMessage("");
  };
  return (
    <Box sx={{ display: "grid", gap: 1.5 }}>
      <Typography role="status">{left === null ? "Breakout rooms are open" : `Breakout rooms are open · ${clock(left)} left`}</Typography>
      <Box component="form" onSubmit={broadcast} sx={{ display: "flex", gap: 1 }}>
        <TextField
          size="small"
          label="Message to all rooms"
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          slotProps={{ htmlInput: { maxLength: 500 } }}
          sx={{ flex: 1 }}
        />
        <Button type="submit" disabled={!message.trim()}>
          Send to all rooms
        </Button>
      </Box>
      {myRoom !== null && (
        <Button variant="outlined" onClick={() => send({ type: "breakout_join", room_id: null })}>
          Return to main room
        </Button>
      )}
      <Button variant="contained" color="warning" onClick={() => send({ type: "breakout_close" })}>
        Close all rooms
      </Button>
    </Box>
  );
}

/**
 * Who goes (or, while open, is) where: a column per room. Names are dragged between columns, or
 * moved with each name's "Room for …" list (the keyboard's way).
 */
function AssignmentBoard({ plan, me, participants, send }: Omit<BreakoutPanelProps, "onClose">) {
  const open = plan.status !== "closed";
  const others = participants.filter((p) => p.id !== me.id);
  const myRoom = participants.find((p) => p.id === me.id)?.breakout_room_id ?? null;
  // Open: where people are now; closed: where they will go.
  const columnOf = (p: Participant): string => (open ? p.breakout_room_id : plan.assignments[p.id]) ?? NOT_ASSIGNED;
  const assign = (participantId: string, roomId: string) =>
    send({ type: "breakout_assign", participant_id: participantId, room_id: roomId || null });
  const columns = [{ id: NOT_ASSIGNED, name: open ? "Main room" : "Not assigned" }, ...plan.rooms];
  return (
    <Box sx={{ display: "grid", gap: 1.5 }}>
      <Divider />
      {columns.map((column) => (
        <RoomColumn
          key={column.id}
          title={column.name}
          people={others.filter((p) => columnOf(p) === column.id)}
          onDrop={(participantId) => assign(participantId, column.id)}
          join={open && column.id !== NOT_ASSIGNED && myRoom !== column.id ? () => send({ type: "breakout_join", room_id: column.id }) : null}
          renderPicker={(person) => (
            <TextField
              select
              size="small"
              label={`Room for ${person.display_name}`}
              value={columnOf(person)}
              onChange={(event) => assign(person.id, event.target.value)}
              sx={{ minWidth: 140 }}
            >
              <MenuItem value={NOT_ASSIGNED}>{open ? "Main room" : "Not assigned"}</MenuItem>
              {plan.rooms.map((room) => (
                <MenuItem key={room.id} value={room.id}>
                  {roomLabel(plan, room.id)}
                </MenuItem>
              ))}
            </TextField>
          )}
        />
      ))}
    </Box>
  );
}

interface RoomColumnProps {
  title: string;
  people: Participant[];
  onDrop: (participantId: string) => void;
  join: (() => void) | null;
  renderPicker: (person: Participant) => ReactNode;
}

function RoomColumn({ title, people, onDrop, join, renderPicker }: RoomColumnProps) {
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const id = event.dataTransfer.getData(DRAG_TYPE);
    if (id) onDrop(id);
  };
  return (
    <Paper
      component="section"
      aria-label={title}
      variant="outlined"
      onDragOver={(event: DragEvent) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      sx={{ p: 1, borderColor: over ? "primary.main" : undefined, borderStyle: over ? "dashed" : undefined }}
    >
      <Box sx={{ display: "flex", alignItems: "center", gap: 1 }}>
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
          {title} ({people.length})
        </Typography>
        {join && (
          <Button size="small" onClick={join}>
            Join {title}
          </Button>
        )}
      </Box>
      <List dense aria-label={`People in ${title}`}>
        {people.map((person) => (
          <ListItem
            key={person.id}
            draggable
            onDragStart={(event) => event.dataTransfer.setData(DRAG_TYPE, person.id)}
            sx={{ gap: 1, cursor: "grab" }}
            secondaryAction={renderPicker(person)}
          >
            <DragIndicatorIcon fontSize="small" color="disabled" aria-hidden="true" />
            <Typography noWrap sx={{ pr: 18 }}>
              {person.display_name}
            </Typography>
          </ListItem>
        ))}
        {people.length === 0 && (
          <ListItem>
            <Typography variant="body2" color="text.secondary">
              Drag names here
            </Typography>
          </ListItem>
        )}
      </List>
    </Paper>
  );
}

/** Participants, when the host lets them choose: the open rooms with a way in. */
function RoomChooser({ plan, myRoom, send }: { plan: Breakout; myRoom: string | null; send: Send }) {
  if (plan.status !== "open") return <Typography>Breakout rooms aren't open now.</Typography>;
  if (!plan.allow_choosing) return <Typography>The host decides who goes to which room.</Typography>;
  return (
    <List aria-label="Rooms to choose from">
      {plan.rooms.map((room) => (
        <ListItem
          key={room.id}
          secondaryAction={
            room.id === myRoom ? (
              <Typography variant="body2">You are here</Typography>
            ) : (
              <Button size="small" onClick={() => send({ type: "breakout_join", room_id: room.id })}>
                Join {room.name}
              </Button>
            )
          }
        >
          {room.name}
        </ListItem>
      ))}
    </List>
  );
}
