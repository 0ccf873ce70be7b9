import { useQuery } from "@tanstack/react-query";
import { pushState } from "../push";
import { PUSH_STATE_KEY } from "../queryKeys";

/**
 * Push on this browser as the server confirmed it. Mounted with the signed-in app, so on every
 * load a subscription the browser has is posted again for the current user; the settings page
 * shows that answer (and asks again after turning push on or off).
 */
export function usePushState() {
  return useQuery({ queryKey: PUSH_STATE_KEY, queryFn: pushState, staleTime: Infinity, retry: false });
}
