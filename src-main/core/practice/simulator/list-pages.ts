import { single, type FormFields } from '../../http/form';
import { badRequestError } from './twilio-errors';

// Twilio's list paging: Page / PageSize in the query, and the page's own links in the body.

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  page: number;
  pageSize: number;
}

function nonNegativeInteger(query: FormFields, key: string): number | undefined {
  const value = single(query, key);
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw badRequestError(20001, `${key} must be a non-negative integer, got '${value}'`);
  return Number.parseInt(value, 10);
}

export function readPageRequest(query: FormFields): PageRequest {
  const pageSize = nonNegativeInteger(query, 'PageSize') ?? DEFAULT_PAGE_SIZE;
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw badRequestError(20001, `PageSize must be between 1 and ${MAX_PAGE_SIZE}`);
  return { page: nonNegativeInteger(query, 'Page') ?? 0, pageSize };
}

/** One page of `items` plus Twilio's paging fields; `filters` are repeated in every page link. */
export function listPage<T>(
  key: string,
  path: string,
  items: readonly T[],
  filters: ReadonlyArray<[string, string]>,
  { page, pageSize }: PageRequest,
): Record<string, unknown> {
  const start = page * pageSize;
  const slice = items.slice(start, start + pageSize);
  const link = (pageNumber: number): string => {
    const query = new URLSearchParams([...filters, ['PageSize', String(pageSize)], ['Page', String(pageNumber)]]);
    return `${path}?${query.toString()}`;
  };
  return {
    [key]: slice,
    end: slice.length > 0 ? start + slice.length - 1 : start,
    first_page_uri: link(0),
    next_page_uri: start + pageSize < items.length ? link(page + 1) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? link(page - 1) : null,
    start,
    uri: link(page),
  };
}
