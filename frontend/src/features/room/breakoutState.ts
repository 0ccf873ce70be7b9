// Breakout rooms as this browser sees them: the plan the server sends, and (hosts) who asks for help.
import type { RoomAction } from "./roomState";
import type { Breakout, BreakoutHelp, BreakoutRoom, ChatMessage, Participant } from "./types";

export interface HelpRequest extends BreakoutHelp {
  id: number;
}

export interface BreakoutState {
  plan: Breakout;
  /** Hosts and co-hosts: requests for help not dealt with yet, oldest first. */
  help: HelpRequest[];
  nextHelpId: number;
}

export const CLOSED_PLAN: Breakout = {
  status: "closed",
  allow_choosing: false,
  duration_minutes: null,
  countdown_seconds: 60,
  opened_at: null,
  ends_at: null,
  closes_at: null,
  rooms: [],
  assignments: {},
};

export const NO_BREAKOUTS: BreakoutState = { plan: CLOSED_PLAN, help: [], nextHelpId: 1 };

export function breakoutReducer(state: BreakoutState, action: RoomAction): BreakoutState {
  switch (action.type) {
    case "welcome":
      // Requests from someone no longer in a breakout room are moot once the rooms close.
      return { ...state, plan: action.breakout ?? CLOSED_PLAN, help: action.breakout?.status === "closed" ? [] : state.help };
    case "breakout.updated":
      return { ...state, plan: action.breakout, help: action.breakout.status === "closed" ? [] : state.help };
    case "breakout.help": {
      const { participant_id, display_name, room_id, room_name } = action;
      // One request per person: asking again replaces the older one.
      const others = state.help.filter((request) => request.participant_id !== participant_id);
      const request = { id: state.nextHelpId, participant_id, display_name, room_id, room_name };
      return { ...state, help: [...others, request], nextHelpId: state.nextHelpId + 1 };
    }
    case "local.help_dismissed":
      return { ...state, help: state.help.filter((request) => request.id !== action.id) };
    default:
      return state;
  }
}

/** The breakout room someone is in (null: the main room). */
export function roomOf(roster: Participant[], participantId: string): string | null {
  return roster.find((participant) => participant.id === participantId)?.breakout_room_id ?? null;
}

/** Whether a chat message belongs to the room `roomId` (null: the main room). */
export function saidIn(message: ChatMessage, roomId: string | null): boolean {
  return (message.room_id ?? null) === roomId;
}

export function roomById(plan: Breakout, roomId: string | null): BreakoutRoom | null {
  return plan.rooms.find((room) => room.id === roomId) ?? null;
}

/** The room's name, or "Main room". */
export function roomLabel(plan: Breakout, roomId: string | null): string {
  return roomById(plan, roomId)?.name ?? "Main room";
}
