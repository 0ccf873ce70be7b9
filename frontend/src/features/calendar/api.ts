import { api } from "../../api/clients";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/generated/aapoon";

type Schemas = components["schemas"];
/** One occurrence of a meeting I host or am invited to. */
export type Occurrence = Schemas["OccurrenceOut"];
export type OccurrenceMove = Schemas["OccurrenceMoveIn"];
/** Which occurrences a cancellation applies to: this one, or this and the following ones. */
export type CancelScope = Schemas["OccurrenceCancelIn"]["scope"];
/** Which occurrences a change to one of a series applies to. */
export type SeriesScope = OccurrenceMove["scope"];

/** Occurrences overlapping [start, end) (ISO instants; at most 100 days apart). */
export const listOccurrences = (start: string, end: string) =>
  unwrap(api.GET("/api/v1/calendar/occurrences", { params: { query: { start, end } } }));

export const moveOccurrence = (code: string, occurrenceKey: string, body: OccurrenceMove) =>
  unwrap(
    api.PATCH("/api/v1/meetings/{code}/occurrences/{occurrence_key}", {
      params: { path: { code, occurrence_key: occurrenceKey } },
      body,
    }),
  );

export const cancelOccurrence = (code: string, occurrenceKey: string, scope: CancelScope) =>
  unwrap(
    api.POST("/api/v1/meetings/{code}/occurrences/{occurrence_key}/cancel", {
      params: { path: { code, occurrence_key: occurrenceKey } },
      body: { scope },
    }),
  );
