import { fr } from "@codegouvfr/react-dsfr";
import { ButtonsGroup } from "@codegouvfr/react-dsfr/ButtonsGroup";

type Props = {
  /** 1-based number of the page shown. */
  page: number;
  /** Number of pages, when the total is known. */
  pageCount?: number;
  hasNextPage: boolean;
  onPrevious: () => void;
  onNext: () => void;
};

/** Previous and next buttons for a Relay cursor connection. */
export function CursorPager({ page, pageCount, hasNextPage, onPrevious, onNext }: Props) {
  return (
    <nav aria-label="Pagination" className={fr.cx("fr-mt-2w")}>
      <p className={fr.cx("fr-mb-1w")} aria-live="polite">
        {pageCount ? `Page ${page} sur ${pageCount}` : `Page ${page}`}
      </p>
      <ButtonsGroup
        inlineLayoutWhen="always"
        buttonsSize="small"
        buttons={[
          {
            children: "Page précédente",
            priority: "secondary",
            iconId: "fr-icon-arrow-left-s-line",
            iconPosition: "left",
            disabled: page <= 1,
            onClick: onPrevious,
          },
          {
            children: "Page suivante",
            priority: "secondary",
            iconId: "fr-icon-arrow-right-s-line",
            iconPosition: "right",
            disabled: !hasNextPage,
            onClick: onNext,
          },
        ]}
      />
    </nav>
  );
}

/** The pager of one page of a Relay connection, shown only when there is more than one page. */
export function ConnectionPager({
  connection,
  pages,
  pageSize,
}: {
  connection: { totalCount: number; pageInfo?: { hasNextPage: boolean; endCursor?: string | null } | null };
  pages: { page: number; previous: () => void; next: (cursor: string) => void };
  pageSize: number;
}) {
  const info = connection.pageInfo;
  if (!info || (pages.page <= 1 && !info.hasNextPage)) return null;
  return (
    <CursorPager
      page={pages.page}
      pageCount={Math.ceil(connection.totalCount / pageSize)}
      hasNextPage={info.hasNextPage}
      onPrevious={pages.previous}
      onNext={() => info.endCursor && pages.next(info.endCursor)}
    />
  );
}
