import DeleteIcon from "@mui/icons-material/DeleteOutline";
import {
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  IconButton,
  Switch,
  TextField,
  Typography,
} from "@mui/material";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert, SubmitButton } from "../../../components/form";
import { CountdownSelect } from "../../room/components/CountdownSelect";
import { getBreakoutPlan, saveBreakoutPlan, type BreakoutPlan } from "../breakoutsApi";

interface RoomDraft {
  /** Rooms made earlier keep their id (and chat); new ones have none yet. */
  id?: string;
  name: string;
  emails: string;
}

interface Props {
  code: string;
  title: string;
  /** The meeting's invitees: suggested for the rooms. */
  invitees: string[];
  onClose: () => void;
}

/** "a@x, b@y" or one per line -> ["a@x", "b@y"]. */
function emailsOf(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** The host prepares a scheduled meeting's breakout rooms, putting invitees in them by email. */
export function BreakoutPlanDialog({ code, title, invitees, onClose }: Props) {
  const titleId = useId();
  const plan = useQuery({ queryKey: ["meetings", code, "breakouts"], queryFn: () => getBreakoutPlan(code) });
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Breakout rooms for {title}</DialogTitle>
      {plan.data ? (
        <PlanForm code={code} plan={plan.data} invitees={invitees} onClose={onClose} />
      ) : (
        <DialogContent>
          {plan.isError ? (
            <FormAlert errors={formErrors(plan.error)} />
          ) : (
            <CircularProgress aria-label="Loading breakout rooms" />
          )}
        </DialogContent>
      )}
    </Dialog>
  );
}

function PlanForm({ code, plan, invitees, onClose }: { code: string; plan: BreakoutPlan; invitees: string[]; onClose: () => void }) {
  const [rooms, setRooms] = useState<RoomDraft[]>(() =>
    plan.rooms.length
      ? plan.rooms.map((room) => ({ id: room.id, name: room.name, emails: room.emails.join(", ") }))
      : [{ name: "Room 1", emails: "" }, { name: "Room 2", emails: "" }],
  );
  const [allowChoosing, setAllowChoosing] = useState(plan.allow_choosing);
  const [timer, setTimer] = useState(plan.duration_minutes === null || plan.duration_minutes === undefined ? "" : String(plan.duration_minutes));
  const [countdown, setCountdown] = useState(plan.countdown_seconds);
  const save = useMutation({
    mutationFn: () =>
      saveBreakoutPlan(code, {
        allow_choosing: allowChoosing,
        duration_minutes: timer.trim() ? Number(timer) : null,
        countdown_seconds: countdown,
        rooms: rooms.map((room) => ({ id: room.id ?? null, name: room.name, emails: emailsOf(room.emails) })),
      }),
    onSuccess: onClose,
  });
  const errors = formErrors(save.error, ["duration_minutes", "countdown_seconds"]);
  const placed = new Set(rooms.flatMap((room) => emailsOf(room.emails).map((email) => email.toLowerCase())));
  const unplaced = invitees.filter((email) => !placed.has(email.toLowerCase()));
  const change = (index: number, patch: Partial<RoomDraft>) =>
    setRooms((current) => current.map((room, i) => (i === index ? { ...room, ...patch } : room)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <Box component="form" onSubmit={submit} noValidate>
      <DialogContent sx={{ display: "grid", gap: 2 }}>
        <FormAlert errors={errors} />
        <Typography variant="body2">
          Everyone you put in a room goes there when you open the rooms in the meeting. Others stay in the main room.
        </Typography>
        {rooms.map((room, index) => (
          <Box key={room.id ?? `new-${index}`} sx={{ display: "grid", gridTemplateColumns: "1fr 2fr auto", gap: 1, alignItems: "start" }}>
            <TextField label={`Room ${index + 1} name`} value={room.name} onChange={(event) => change(index, { name: event.target.value })} slotProps={{ htmlInput: { maxLength: 60 } }} />
            <TextField
              label={`People in room ${index + 1}`}
              value={room.emails}
              onChange={(event) => change(index, { emails: event.target.value })}
              placeholder="Invitees' emails, separated by commas"
              multiline
            />
            <IconButton aria-label={`Remove ${room.name || `room ${index + 1}`}`} disabled={rooms.length === 1} onClick={() => setRooms((current) => current.filter((_, i) => i !== index))}>
              <DeleteIcon />
            </IconButton>
          </Box>
        ))}
        <Box>
          <Button onClick={() => setRooms((current) => [...current, { name: `Room ${current.length + 1}`, emails: "" }])}>Add room</Button>
        </Box>
        {unplaced.length > 0 && (
          <Typography variant="body2" color="text.secondary">
            Not in a room yet: {unplaced.join(", ")}
          </Typography>
        )}
        <FormControlLabel control={<Switch checked={allowChoosing} onChange={(event) => setAllowChoosing(event.target.checked)} />} label="Let participants choose a room" />
        <Box sx={{ display: "flex", gap: 2 }}>
          <TextField
            label="Timer (minutes)"
            value={timer}
            onChange={(event) => setTimer(event.target.value)}
            error={Boolean(errors.fields.duration_minutes)}
            helperText={errors.fields.duration_minutes ?? "Empty: no timer"}
            slotProps={{ htmlInput: { inputMode: "numeric" } }}
            sx={{ flex: 1 }}
          />
          <CountdownSelect value={countdown} onChange={setCountdown} />
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <SubmitButton pending={save.isPending}>Save</SubmitButton>
      </DialogActions>
    </Box>
  );
}
