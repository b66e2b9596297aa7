/** What a list action answers about its page (the cloud's PageNumber and TotalCount). */
export interface PageAnswer {
  PageNumber: number;
  TotalCount: number;
}

/**
 * Server-side pages (PageNumber/PageSize), as the cloud's list actions count them. The page shown
 * is the answer's PageNumber, so the text never runs ahead of the rows while the next page loads;
 * `requested` stands in only until a first answer has come.
 */
export function Pager({
  answer,
  requested,
  pageSize,
  onPage,
  label,
}: {
  answer: PageAnswer | undefined;
  requested: number;
  pageSize: number;
  onPage(page: number): void;
  label: string;
}) {
  const pageNumber = answer?.PageNumber ?? requested;
  const totalCount = answer?.TotalCount ?? 0;
  const pages = Math.max(1, Math.ceil(totalCount / pageSize));
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <span>
        {totalCount} in all · page {pageNumber} of {pages}
      </span>
      <button type="button" onClick={() => onPage(pageNumber - 1)} disabled={pageNumber <= 1}>
        Previous page
      </button>
      <button type="button" onClick={() => onPage(pageNumber + 1)} disabled={pageNumber >= pages}>
        Next page
      </button>
    </nav>
  );
}
