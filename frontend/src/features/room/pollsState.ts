// Polls in the room (docs/meetings.md "Polls"): what this browser knows of them, reduced from the
// room's messages. Everyone's view of a launched poll travels in its chat message (`message.poll`,
// changed by `chat.updated`); hosts and co-hosts also get every poll with live results here.
import type { RoomAction } from "./roomState";
import type { ChatMessage, Poll, PollHostView } from "./types";

export interface PollsState {
  /** Hosts and co-hosts: every poll of the meeting (drafts too) with live results, oldest first. */
  hosted: PollHostView[];
  /** My own votes: poll id -> the indexes of the options I chose. */
  myVotes: Record<string, number[]>;
  /** Pop-ups I closed (`popUpKey`): each comes back no more. */
  dismissed: string[];
}

export const NO_POLLS: PollsState = { hosted: [], myVotes: {}, dismissed: [] };

function upsert(polls: PollHostView[], poll: PollHostView): PollHostView[] {
  return polls.some((p) => p.id === poll.id) ? polls.map((p) => (p.id === poll.id ? poll : p)) : [...polls, poll];
}

export function pollsReducer(state: PollsState, action: RoomAction): PollsState {
  switch (action.type) {
    case "welcome":
      // A fresh snapshot (a reconnect, a role change): it replaces what we had.
      if (action.status !== "joined") return state;
      return { ...state, hosted: action.polls, myVotes: action.poll_votes };
    case "poll.updated":
      if ("deleted" in action) return { ...state, hosted: state.hosted.filter((p) => p.id !== action.poll_id) };
      return { ...state, hosted: upsert(state.hosted, action.poll) };
    case "poll.voted":
      return { ...state, myVotes: { ...state.myVotes, [action.poll_id]: action.choices } };
    case "local.poll_dismissed":
      return state.dismissed.includes(action.key) ? state : { ...state, dismissed: [...state.dismissed, action.key] };
    default:
      return state;
  }
}

/** The launched polls as everyone sees them, oldest first (the chat holds each one's latest state). */
export function launchedPolls(chat: ChatMessage[]): Poll[] {
  return chat.flatMap((message) => (message.poll ? [message.poll] : []));
}

/** One pop-up per poll and phase: first to vote, then again when its results are shared. */
export function popUpKey(poll: Poll): string {
  return `${poll.id}:${poll.results_shared ? "results" : "vote"}`;
}

/**
 * The poll to pop up for someone whose chat is closed: the newest one that is open and that I have
 * not voted on yet, or whose results were just shared; none once I closed that pop-up.
 */
export function pollToPopUp(chat: ChatMessage[], polls: PollsState): Poll | null {
  const candidates = launchedPolls(chat).filter(
    (poll) =>
      (poll.results_shared || (poll.status === "open" && !(poll.id in polls.myVotes))) &&
      !polls.dismissed.includes(popUpKey(poll)),
  );
  return candidates.at(-1) ?? null;
}
