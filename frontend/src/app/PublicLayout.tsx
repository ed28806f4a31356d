import { fr } from "@codegouvfr/react-dsfr";
import { Outlet } from "react-router";

import { SiteFooter } from "./SiteFooter";
import { SiteHeader } from "./SiteHeader";

/** The shell of pages open to anyone (sign-in). */
export function PublicLayout() {
  return (
    <>
      <SiteHeader />
      <main id="contenu" className={fr.cx("fr-container", "fr-py-4w")} tabIndex={-1}>
        <Outlet />
      </main>
      <SiteFooter />
    </>
  );
}
