/**
 * The most values one statement takes in an `IN (…)` list. PostgreSQL's protocol carries at most 65,535
 * bind parameters per statement; a list that grows with the data is read in pages of this size instead.
 */
export const IN_LIST_PAGE = 1_000;

/** `read` over `items` a page at a time (at most `IN_LIST_PAGE` each), the results in page order. */
export async function inPages<T, R>(
  items: readonly T[],
  read: (page: T[]) => Promise<readonly R[]>,
  size = IN_LIST_PAGE,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await read(items.slice(i, i + size))));
  return out;
}
