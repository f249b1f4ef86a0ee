// Every item of a paged list (limit + cursor), page after page.
type Page<T> = { items: T[]; next_cursor?: string };

export async function everything<T>(page: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 200; n++) {
    const p = await page(cursor);
    out.push(...p.items);
    if (!p.next_cursor) {
      break;
    }
    cursor = p.next_cursor;
  }
  return out;
}
