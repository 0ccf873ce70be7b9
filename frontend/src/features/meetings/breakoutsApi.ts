import { api } from "../../api/clients";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/generated/aapoon";

export type BreakoutPlan = components["schemas"]["BreakoutPlanOut"];
export type BreakoutPlanIn = components["schemas"]["BreakoutPlanIn"];

const byCode = (code: string) => ({ params: { path: { code } } });

/** The breakout rooms a host prepares ahead, with the people (by email) going to each. */
export const getBreakoutPlan = (code: string) => unwrap(api.GET("/api/v1/meetings/{code}/breakouts", byCode(code)));
export const saveBreakoutPlan = (code: string, body: BreakoutPlanIn) =>
  unwrap(api.PUT("/api/v1/meetings/{code}/breakouts", { ...byCode(code), body }));
