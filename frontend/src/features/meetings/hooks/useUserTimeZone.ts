import { useMe } from "../../account/hooks/useMe";
import { browserTimeZone } from "../zonedTime";

/** The time zone of the signed-in user's profile (the browser's until the profile has loaded). */
export function useUserTimeZone(): string {
  return useMe().data?.timezone ?? browserTimeZone();
}
