// The poll composer's rules: the server's (docs/meetings.md "Polls"), checked before sending so each
// mistake shows under its own field.

export const MAX_QUESTION_LENGTH = 300;
export const MAX_OPTION_LENGTH = 120;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 10;

export interface PollDraft {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
}

export interface PollFormErrors {
  question: string | null;
  /** One per option field, null where it is fine. */
  options: (string | null)[];
}

export function emptyPollDraft(): PollDraft {
  return { question: "", options: ["", ""], multiple: false, anonymous: false };
}

function textError(text: string, max: number, empty: string): string | null {
  const value = text.trim();
  if (!value) return empty;
  if (value.length > max) return `At most ${max} characters (now ${value.length})`;
  if (value.includes("\u0000")) return "Remove the NUL character";
  return null;
}

/** What is wrong with the draft, field by field; null when it can be sent. */
export function validatePoll(draft: PollDraft): PollFormErrors | null {
  const question = textError(draft.question, MAX_QUESTION_LENGTH, "Write a question");
  const seen = new Map<string, number>();
  const options = draft.options.map((option, index) => {
    const error = textError(option, MAX_OPTION_LENGTH, "Write this option or remove it");
    if (error) return error;
    // Told apart as people read them: "Yes" and "yes " are the same answer.
    const key = option.trim().toLocaleLowerCase();
    const first = seen.get(key);
    if (first !== undefined) return `Same as option ${first + 1}`;
    seen.set(key, index);
    return null;
  });
  if (question === null && options.every((error) => error === null)) return null;
  return { question, options };
}

/** The draft as the server takes it: texts trimmed. */
export function pollToSend(draft: PollDraft): PollDraft {
  return { ...draft, question: draft.question.trim(), options: draft.options.map((option) => option.trim()) };
}
