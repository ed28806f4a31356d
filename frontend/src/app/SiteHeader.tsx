import { Header, type HeaderProps } from "@codegouvfr/react-dsfr/Header";
import type { MainNavigationProps } from "@codegouvfr/react-dsfr/MainNavigation";

/** The DSFR header of SISERI: brand, service name, tagline and the given tools. */
export function SiteHeader({
  quickAccessItems,
  navigation,
}: {
  quickAccessItems?: HeaderProps["quickAccessItems"];
  navigation?: MainNavigationProps.Item[];
}) {
  return (
    <Header
      brandTop={
        <>
          République
          <br />
          Française
        </>
      }
      serviceTitle="SISERI"
      serviceTagline="Registre national de l'exposition des travailleurs aux rayonnements ionisants"
      homeLinkProps={{ to: "/", title: "Accueil - SISERI" }}
      quickAccessItems={quickAccessItems}
      navigation={navigation}
    />
  );
}
