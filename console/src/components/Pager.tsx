/** Server-side pages (PageNumber/PageSize), as the cloud's list actions count them. `pageNumber` is the page shown: the answer's PageNumber, so the text never runs ahead of the rows while the next page loads. */
export function Pager({
  pageNumber,
  pageSize,
  totalCount,
  onPage,
  label,
}: {
  pageNumber: number;
  pageSize: number;
  totalCount: number;
  onPage(page: number): void;
  label: string;
}) {
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
