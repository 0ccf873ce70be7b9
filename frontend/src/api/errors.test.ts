import { describe, expect, it } from "vitest";
import { ApiError, formErrors } from "./errors";

describe("formErrors", () => {
  it("puts allauth errors with a known param under that field", () => {
    const error = new ApiError(400, {
      status: 400,
      errors: [
        { code: "invalid", message: "Enter a valid email address.", param: "email" },
        { code: "too_short", message: "This password is too short.", param: "password" },
        { code: "incorrect", message: "The code is wrong." },
      ],
    });
    expect(formErrors(error, ["email", "password"])).toEqual({
      message: "The code is wrong.",
      fields: { email: "Enter a valid email address.", password: "This password is too short." },
    });
  });

  it("maps our 422 detail by the last part of loc, and keeps unknown fields as a message", () => {
    const error = new ApiError(422, {
      code: "validation_error",
      message: "Some fields are not valid.",
      detail: [
        { loc: ["body", "payload", "full_name"], msg: "String should have at most 150 characters" },
        { loc: ["body", "payload", "secret"], msg: "Not allowed" },
      ],
    });
    expect(formErrors(error, ["full_name"])).toEqual({
      message: "Not allowed",
      fields: { full_name: "String should have at most 150 characters" },
    });
  });

  it("maps our 400 field errors and plain messages", () => {
    expect(formErrors(new ApiError(400, { code: "invalid_input", message: "This field cannot be empty.", detail: [{ loc: ["city"], msg: "This field cannot be empty." }] }), ["city"]))
      .toEqual({ message: null, fields: { city: "This field cannot be empty." } });
    expect(formErrors(new ApiError(409, { code: "conflict", message: "That phone number belongs to another account.", detail: null }), ["phone"]))
      .toEqual({ message: "That phone number belongs to another account.", fields: {} });
  });

  it("explains bodies it cannot read and failures to reach the server", () => {
    expect(formErrors(new ApiError(429, "<html>")).message).toMatch(/too many attempts/i);
    expect(formErrors(new ApiError(502, null)).message).toMatch(/on our side/i);
    expect(formErrors(new TypeError("Failed to fetch")).message).toMatch(/cannot reach the server/i);
    expect(formErrors(null)).toEqual({ message: null, fields: {} });
  });
});
