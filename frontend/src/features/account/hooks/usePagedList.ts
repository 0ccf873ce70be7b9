import { useInfiniteQuery } from "@tanstack/react-query";
import type { Page, PageQuery } from "../api";

export const PAGE_SIZE = 50;

const loaded = <T>(pages: Page<T>[]) => pages.reduce((total, page) => total + page.items.length, 0);

/**
 * A paginated list read a page at a time: `data` is every item loaded so far and the total count;
 * `fetchNextPage` loads more. A refetch (e.g. after an invalidation) reloads the pages shown.
 */
export function usePagedList<T>(queryKey: readonly unknown[], fetchPage: (query: PageQuery) => Promise<Page<T>>) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage({ limit: PAGE_SIZE, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => (last.items.length > 0 && loaded(pages) < last.count ? loaded(pages) : undefined),
    select: (data) => ({ items: data.pages.flatMap((page) => page.items), count: data.pages[data.pages.length - 1].count }),
  });
}

/** What a pager needs from `usePagedList`, whatever the item type. */
export type PagedList = Pick<ReturnType<typeof usePagedList<unknown>>, "data" | "hasNextPage" | "isFetchingNextPage" | "fetchNextPage">;
