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
