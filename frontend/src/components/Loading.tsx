import { fr } from "@codegouvfr/react-dsfr";

/** A polite status line while data loads. */
export function Loading({ label = "Chargement…" }: { label?: string }) {
  return (
    <p role="status" className={fr.cx("fr-my-4w")}>
      {label}
    </p>
  );
}
