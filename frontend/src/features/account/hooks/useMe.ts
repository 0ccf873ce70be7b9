import { useQuery } from "@tanstack/react-query";
import { getMe } from "../api";
import { ME_KEY } from "../queryKeys";

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: getMe });
}
