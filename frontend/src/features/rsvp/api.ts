import { api } from "../../api/clients";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/generated/aapoon";

export const ANSWERS = ["accepted", "tentative", "declined"] as const;
export type Answer = (typeof ANSWERS)[number];
export const isAnswer = (value: unknown): value is Answer => ANSWERS.includes(value as Answer);

/** `answer` is the one the link asked for ("" without one); `current` the one on record ("pending" until given). */
export type Rsvp = components["schemas"]["RsvpOut"];

const byToken = (token: string) => ({ params: { path: { token } } });

/** Reading never answers (mail scanners follow links): only `answerRsvp` records. */
export const getRsvp = (token: string, answer: Answer | null) =>
  unwrap(api.GET("/api/v1/rsvp/{token}", { params: { path: { token }, query: answer ? { answer } : {} } }));
export const answerRsvp = (token: string, answer: Answer) =>
  unwrap(api.POST("/api/v1/rsvp/{token}", { ...byToken(token), body: { answer } }));

export const getUnsubscribe = (token: string) => unwrap(api.GET("/api/v1/notifications/unsubscribe/{token}", byToken(token)));
export const confirmUnsubscribe = (token: string) =>
  unwrap(api.POST("/api/v1/notifications/unsubscribe/{token}", byToken(token)));
